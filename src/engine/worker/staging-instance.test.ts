import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNodeBindings } from './core/node-bindings';
import { StagingInstance } from './staging-instance';

describe('the staging instance', () => {
  it('is started once and shared, and a failed start is tried again at the next need', async () => {
    let asked = 0;
    const staging = new StagingInstance(() => {
      asked++;
      return asked === 1 ? Promise.reject(new Error('no memory')) : createNodeBindings();
    });
    staging.prewarm();
    await expect(staging.get()).rejects.toThrow('no memory');
    const first = await staging.get();
    expect(await staging.get()).toBe(first);
    expect(asked).toBe(2);
    expect(first.query('SELECT 42 AS n').getChild('n')?.get(0)).toBe(42);
  });

  describe('started ahead of need', () => {
    afterEach(() => vi.useRealTimers());

    it('waits for an idle spell: a request asked meanwhile puts it off to the next one', async () => {
      vi.useFakeTimers();
      let asked = 0;
      const staging = new StagingInstance(() => {
        asked++;
        return createNodeBindings();
      });
      staging.prewarmWhenIdle(1_000);
      vi.advanceTimersByTime(900);
      staging.busy();
      vi.advanceTimersByTime(5_000);
      expect(asked).toBe(0);
      staging.prewarmWhenIdle(1_000);
      vi.advanceTimersByTime(1_000);
      expect(asked).toBe(1);
      vi.useRealTimers();
      const started = await staging.get();
      staging.prewarmWhenIdle(1_000);
      expect(await staging.get()).toBe(started);
      expect(asked).toBe(1);
    });
  });
});
