/** Rows as comparable text, for tests that compare the engine's answers with native DuckDB's. */
import { tableFromIPC } from 'apache-arrow';
import type { QueryResult } from '../../contract/results';

/** JSON of row arrays; BIGINTs as numbers, since the two engines type some aggregates differently. */
export function rowsText(rows: unknown[][]): string {
  return JSON.stringify(rows, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}

export function resultRowsText(result: QueryResult): string {
  const table = tableFromIPC(result.ipc);
  return rowsText(
    table.toArray().map((r: Record<string, unknown>) => table.schema.fields.map((f) => r[f.name])),
  );
}
