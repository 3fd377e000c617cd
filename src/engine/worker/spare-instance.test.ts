import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import { describe, expect, it, vi } from 'vitest';
import { SpareInstance } from './spare-instance';

/** Instances are numbered in the order they were created; `failFirst` makes the first creation fail. */
function counter(failFirst = false) {
  let made = 0;
  const create = () => {
    made++;
    if (failFirst && made === 1) return Promise.reject(new Error('no memory'));
    return Promise.resolve({ id: made } as unknown as DuckDBBindings);
  };
  return { create, made: () => made };
}
const idOf = (b: DuckDBBindings) => (b as unknown as { id: number }).id;

describe('a spare DuckDB instance', () => {
  it('is started before it is asked for, once, and handed over whole', async () => {
    const c = counter();
    const spare = new SpareInstance(c.create);
    spare.fill();
    spare.fill();
    expect(c.made()).toBe(1);
    expect(spare.ready).toBe(false);
    await Promise.resolve();
    expect(spare.ready).toBe(true);
    expect(idOf(await spare.take())).toBe(1);
    expect(spare.ready).toBe(false);
    // Taken means gone: the next switch gets a new instance, never the one handed over.
    expect(idOf(await spare.take())).toBe(2);
  });

  it('without a spare, or when the spare failed to start, a new instance is created', async () => {
    const c = counter(true);
    const spare = new SpareInstance(c.create);
    spare.fill();
    expect(idOf(await spare.take())).toBe(2);
    expect(c.made()).toBe(2);
  });
});

describe('a spare made when the engine is idle', () => {
  it('waits for an idle spell, and anything asked meanwhile puts it off', async () => {
    vi.useFakeTimers();
    try {
      const c = counter();
      const spare = new SpareInstance(c.create);
      spare.fillWhenIdle(1000);
      await vi.advanceTimersByTimeAsync(900);
      spare.busy();
      await vi.advanceTimersByTimeAsync(1000);
      expect(c.made()).toBe(0);
      spare.fillWhenIdle(1000);
      await vi.advanceTimersByTimeAsync(1000);
      expect(c.made()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
