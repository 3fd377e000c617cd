import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import { describe, expect, it } from 'vitest';
import { DuckSession } from './core/duck-session';
import { createNodeBindings } from './core/node-bindings';
import type { HostPlatform } from './host-platform';
import { UserInstances } from './user-instances';

/** Node's DuckDB for every instance; each creation is recorded as `threads` or `one thread`. */
function platform() {
  const created: string[] = [];
  const released: DuckDBBindings[] = [];
  const threaded = new Set<DuckDBBindings>();
  const p = {
    async createBindings(_use: 'user' | 'staging', options?: { threads: boolean }) {
      created.push(options?.threads ? 'threads' : 'one thread');
      const b = await createNodeBindings();
      if (options?.threads) threaded.add(b);
      return b;
    },
    releaseBindings: (b: DuckDBBindings) => released.push(b),
    replaceAfterStop: (b: DuckDBBindings) => threaded.has(b),
  } as unknown as HostPlatform;
  return { p, created, released, threaded };
}

describe('the user instances', () => {
  it('give a small role the one-thread instance started early, and empty it for the next small role', async () => {
    const { p, created } = platform();
    const instances = new UserInstances(p);
    instances.startEarly();
    const first = await instances.first(false);
    instances.use(first, false);
    const role = new DuckSession(first);
    role.query('CREATE TABLE kept_by_the_role_before AS SELECT 1 AS n');
    role.close();
    expect(await instances.emptiedOrNew(false)).toBe(first);
    expect(created).toEqual(['one thread']);
    expect(instances.stopCostsInstance()).toBe(false);
  });

  it('start a threaded instance for a large role and leave the early one to the staging', async () => {
    const { p, created, threaded } = platform();
    const instances = new UserInstances(p);
    instances.startEarly();
    const big = await instances.first(true);
    expect(threaded.has(big)).toBe(true);
    instances.use(big, true);
    expect(instances.stopCostsInstance()).toBe(true);
    const early = await instances.takeEarly();
    expect(early).toBeDefined();
    expect(threaded.has(early as DuckDBBindings)).toBe(false);
    expect(created).toEqual(['one thread', 'threads']);
  });

  it('switch to an instance with the right number of threads when a role of the other size comes', async () => {
    const { p, created, released, threaded } = platform();
    const instances = new UserInstances(p);
    const small = await instances.first(false);
    instances.use(small, false);
    const big = await instances.emptiedOrNew(true);
    expect(threaded.has(big)).toBe(true);
    expect(released).toEqual([small]);
    instances.use(big, true);
    expect(await instances.emptiedOrNew(true)).toBe(big);
    const smallAgain = await instances.emptiedOrNew(false);
    expect(threaded.has(smallAgain)).toBe(false);
    expect(released).toEqual([small, big]);
    expect(created).toEqual(['one thread', 'threads', 'one thread']);
  });
});
