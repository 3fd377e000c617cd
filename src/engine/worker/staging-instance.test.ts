import { describe, expect, it } from 'vitest';
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
});
