import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export type Duck = DuckDBConnection;

/**
 * One thread, so Parquet files come out byte-identical on every run of the same input. A database file lets big
 * jobs (millions of generated rows) spill to disk instead of holding everything in memory.
 */
export async function openDuck(databaseFile = ':memory:'): Promise<Duck> {
  const instance = await DuckDBInstance.create(databaseFile, { threads: '1' });
  return instance.connect();
}

/** Rows as plain JSON values: BIGINT and HUGEINT as strings, dates and timestamps as ISO-like text. */
export async function queryJson(conn: Duck, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

export async function queryNumber(conn: Duck, sql: string): Promise<number> {
  const [row] = await queryJson(conn, sql);
  const value = row ? Object.values(row)[0] : undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`Expected a number from: ${sql}`);
  return n;
}

/** A SQL string literal (for file paths and names the code controls). */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
