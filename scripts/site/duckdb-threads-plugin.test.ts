import { describe, expect, it } from 'vitest';
import { duckdbThreadedGlue, THREADED_GLUE_ID, threadedGlueSource } from './duckdb-threads-plugin';

describe('the threaded DuckDB loader as a module', () => {
  it('is the Emscripten loader of the threaded build, exported, with no Node module left to bundle', () => {
    const source = threadedGlueSource();
    expect(source.startsWith('var DuckDB = ')).toBe(true);
    // The threaded build's loader starts a pool of pthread workers; the single-threaded ones have none.
    expect(source).toContain('allocateUnusedWorker');
    expect(source).not.toMatch(/[^A-Za-z_]require\(/);
    // An ES module: no CommonJS export for the bundler to warn about.
    expect(source).not.toContain('module.exports');
  });

  it('is served under its virtual id only', async () => {
    const plugin = duckdbThreadedGlue();
    const resolveId = plugin.resolveId as (id: string) => string | undefined;
    const load = plugin.load as (id: string) => string | undefined;
    const resolved = resolveId(THREADED_GLUE_ID);
    expect(resolved).toBeDefined();
    expect(resolveId('react')).toBeUndefined();
    expect(load(resolved!)).toMatch(/export default DuckDB;\n$/);
    expect(load('react')).toBeUndefined();
  });
});
