import { createRequire } from 'node:module';
import path from 'node:path';
import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';

const require = createRequire(import.meta.url);

/** Starts DuckDB-WASM on Node: the engine the browser runs, for tests and the guard CLI. */
export async function createNodeBindings(): Promise<DuckDBBindings> {
  // Resolved through an exported wasm file and loaded by absolute path: tsconfig `paths` map the module
  // name to its .d.ts for the type checker, and tsx applies those paths at run time too.
  const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
  const duckdb = require(
    path.join(dist, 'duckdb-node-blocking.cjs'),
  ) as typeof import('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const bindings = await duckdb.createDuckDB(
    {
      mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: '' },
      eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: '' },
    },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await bindings.instantiate(() => {});
  bindings.open({});
  return bindings;
}
