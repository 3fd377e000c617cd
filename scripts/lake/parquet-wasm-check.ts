import { readParquet } from 'parquet-wasm/node';
import { DuckSession } from '../../src/engine/worker/core/duck-session.ts';
import { createNodeBindings } from '../../src/engine/worker/core/node-bindings.ts';

export interface BrowserPathResult {
  rows: number;
  columns: { name: string; type: string }[];
}

/**
 * Loads Parquet files the way the app does (parquet-wasm decodes, Arrow IPC goes into DuckDB-WASM) and reports
 * the rows and the DuckDB types that come out, so tests can hold the manifest to what the browser will see.
 */
export async function createBrowserPathLoader(): Promise<(bytes: Uint8Array) => BrowserPathResult> {
  const session = new DuckSession(await createNodeBindings());
  let loaded = 0;
  return (bytes) => {
    const name = `t${loaded++}`;
    session.insertIpc(name, readParquet(bytes).intoIPCStream(), true);
    const count = session.query(`SELECT count(*)::INTEGER AS n FROM ${name}`).getChild('n')?.get(0) as number;
    const described = session.query(`DESCRIBE ${name}`);
    const names = described.getChild('column_name')?.toArray() as string[];
    const types = described.getChild('column_type')?.toArray() as string[];
    session.query(`DROP TABLE ${name}`);
    return { rows: count, columns: names.map((n, i) => ({ name: n, type: String(types[i]) })) };
  };
}
