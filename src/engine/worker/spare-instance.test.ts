import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import { describe, expect, it } from 'vitest';
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
    expect(idOf(await spare.take())).toBe(1);
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
