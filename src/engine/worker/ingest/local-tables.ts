import { Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray, type DataType } from 'apache-arrow';
import { quoteIdent } from '../../../gov/sql-text';
import type { ColumnEntry } from '../../../lake/manifest';
import type { DuckSession } from '../core/duck-session';
import type { ParquetSource } from '../loader/parquet-decoder';

/**
 * Typing of the browser's own tables with DuckDB itself: rows go into the trusted staging instance as text
 * and come back cast to the catalog's types, so a local table loads through the same path (and the same
 * masks) as a lake file. The staging instance never sees user SQL.
 */

const SCRATCH = '__lakebook_local_scratch';

type Value = string | number | boolean | null;

/** Arrow IPC of `rows` with each column cast to its catalog type. */
export async function typedIpc(
  staging: DuckSession,
  columns: readonly ColumnEntry[],
  rows: readonly Record<string, Value>[],
): Promise<Uint8Array> {
  const casts = columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${c.type}) AS ${quoteIdent(c.name)}`);
  if (rows.length === 0) {
    const empty = columns.map((c) => `CAST(NULL AS ${c.type}) AS ${quoteIdent(c.name)}`);
    return staging.run(`SELECT ${empty.join(', ')} WHERE false`);
  }
  const text = new Table(
    Object.fromEntries(
      columns.map((c) => [
        c.name,
        vectorFromArray(
          rows.map((r) => asText(r[c.name])),
          new Utf8(),
        ),
      ]),
    ),
  );
  return throughScratch(staging, tableToIPC(text, 'stream'), `SELECT ${casts.join(', ')}`);
}

/** A decoded Parquet file as DuckDB types it: its columns and its rows as Arrow IPC from DuckDB. */
export async function describedIpc(
  staging: DuckSession,
  ipc: Uint8Array,
): Promise<{ columns: ColumnEntry[]; ipc: Uint8Array; rows: number }> {
  staging.query(`DROP TABLE IF EXISTS ${SCRATCH}`);
  staging.insertIpc(SCRATCH, ipc, true);
  try {
    const described = staging.query(`DESCRIBE ${SCRATCH}`).toArray() as {
      column_name: string;
      column_type: string;
    }[];
    const rows = Number(staging.query(`SELECT count(*) AS n FROM ${SCRATCH}`).get(0)?.n ?? 0);
    const typed = await staging.run(`SELECT * FROM ${SCRATCH}`);
    return {
      columns: described.map((d) => ({ name: d.column_name, type: d.column_type })),
      ipc: typed,
      rows,
    };
  } finally {
    staging.query(`DROP TABLE IF EXISTS ${SCRATCH}`);
  }
}

async function throughScratch(staging: DuckSession, ipc: Uint8Array, select: string): Promise<Uint8Array> {
  staging.query(`DROP TABLE IF EXISTS ${SCRATCH}`);
  staging.insertIpc(SCRATCH, ipc, true);
  try {
    return await staging.run(`${select} FROM ${SCRATCH}`);
  } finally {
    staging.query(`DROP TABLE IF EXISTS ${SCRATCH}`);
  }
}

/** A table held in memory, read by the loader like a Parquet file (one chunk, the columns asked for). */
export function memorySource(columns: readonly string[], ipc: () => Promise<Uint8Array>): ParquetSource {
  return {
    columnIndex: (name) => columns.indexOf(name),
    async read(_groups, wanted) {
      const all = tableFromIPC(await ipc());
      const kept = columns.filter((c) => wanted.includes(c));
      return kept.length === columns.length
        ? tableToIPC(all, 'stream')
        : tableToIPC(all.select(kept), 'stream');
    },
    close: () => undefined,
  };
}

/** Rows of Arrow IPC as plain records, values as the event contracts read them (times as ISO text). */
export function ipcRecords(ipc: Uint8Array): Record<string, unknown>[] {
  const table = tableFromIPC(ipc);
  const fields = table.schema.fields;
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const record: Record<string, unknown> = {};
    for (const [j, f] of fields.entries()) record[f.name] = plain(table.getChildAt(j)?.get(i), f.type);
    out.push(record);
  }
  return out;
}

function plain(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  const typeName = String(type);
  if (typeName.startsWith('Date') && typeof value === 'number')
    return new Date(value).toISOString().slice(0, 10);
  if (typeName.startsWith('Timestamp') && typeof value === 'number')
    return new Date(value).toISOString().replace('T', ' ').replace('Z', '');
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  return value;
}

function asText(v: Value | undefined): string | null {
  return v === null || v === undefined ? null : String(v);
}
