/**
 * The native floor: `@duckdb/node-api` on one thread, reading the same Parquet files the browser reads and
 * running the same queries on in-memory tables (as the browser engines do).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import path from 'node:path';
import type { Manifest } from '../../src/lake/manifest.ts';
import type { BenchQuery } from '../lake/queries.ts';
import { median, timeRuns } from '../report/stats.ts';

export interface NativeFigures {
  version: string;
  /** Median ms to read each table's Parquet into a table, one thread. */
  loadMs: Record<string, number>;
  /** Median ms per query id, result fully read. */
  queryMs: Record<string, number>;
  queryRuns: Record<string, number[]>;
  queryRows: Record<string, number>;
  /** First cell of each query's result as text (the cold-start race looks for it on screen). */
  firstValue: Record<string, string>;
}

async function timed(
  conn: DuckDBConnection,
  sql: string,
): Promise<{ ms: number; rows: number; first: string }> {
  const t0 = performance.now();
  const reader = await conn.runAndReadAll(sql);
  const ms = performance.now() - t0;
  const first = reader.currentRowCount > 0 ? String(reader.getColumnsJson()[0]?.[0] ?? '') : '';
  return { ms, rows: reader.currentRowCount, first };
}

export async function measureNative(
  lakeDir: string,
  manifest: Manifest,
  queries: readonly BenchQuery[],
  runs: number,
): Promise<NativeFigures> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  try {
    const versionReader = await conn.runAndReadAll('SELECT version() AS v');
    const version = String(versionReader.getRowObjectsJson()[0]?.v ?? 'unknown');
    const loadMs: Record<string, number> = {};
    for (const table of manifest.tables) {
      const files = table.files.map((f) => `'${path.join(lakeDir, f.path).replaceAll("'", "''")}'`);
      const load = `CREATE OR REPLACE TABLE ${table.name} AS SELECT * FROM read_parquet([${files.join(', ')}])`;
      loadMs[table.name] = median(
        await timeRuns(Math.max(2, Math.min(runs, 3)), 0, async () => (await timed(conn, load)).ms),
      );
    }
    const queryMs: Record<string, number> = {};
    const queryRuns: Record<string, number[]> = {};
    const queryRows: Record<string, number> = {};
    const firstValue: Record<string, string> = {};
    for (const q of queries) {
      queryRuns[q.id] = await timeRuns(runs, 1, async () => {
        const r = await timed(conn, q.sql);
        queryRows[q.id] = r.rows;
        firstValue[q.id] = r.first;
        return r.ms;
      });
      queryMs[q.id] = median(queryRuns[q.id]!);
    }
    return { version, loadMs, queryMs, queryRuns, queryRows, firstValue };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Compressed bytes of one column's chunks in a Parquet file: what an ideal one-column read fetches. */
export async function columnChunkBytes(file: string, column: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  try {
    const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
    const reader = await conn.runAndReadAll(
      `SELECT sum(total_compressed_size) AS b FROM parquet_metadata(${lit(file)}) WHERE path_in_schema = ${lit(column)}`,
    );
    return Number(reader.getRowObjectsJson()[0]?.b ?? 0);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export interface FilteredRead {
  /** `column > cutoff` is the filter. */
  cutoff: string;
  /** Rows that meet it. */
  rows: number;
  groups: number;
  /** Row groups whose maximum is above the cutoff: those that can hold a match. */
  groupsRead: number;
  chunkBytes: number;
  columnBytes: number;
}

/**
 * A filter on a timestamp column that the row groups' statistics can answer: `column > cutoff`, the cutoff
 * being the median of the row groups' maxima, so that about half the groups cannot hold a match. Returns
 * the groups whose range meets it and the compressed bytes of the column's chunks in them (what an ideal
 * filtered read of that column fetches), of the whole column, and the rows that match.
 */
export async function filteredChunkBytes(file: string, column: string): Promise<FilteredRead> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  try {
    const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
    const reader = await conn.runAndReadAll(
      `WITH chunks AS (
         SELECT stats_max::TIMESTAMP AS hi, total_compressed_size AS bytes
         FROM parquet_metadata(${lit(file)}) WHERE path_in_schema = ${lit(column)}),
       cut AS (SELECT quantile_disc(hi, 0.5) AS cutoff FROM chunks)
       SELECT strftime(cutoff, '%Y-%m-%d %H:%M:%S.%f') AS cutoff, count(*)::INTEGER AS groups,
              count(*) FILTER (WHERE hi > cutoff)::INTEGER AS groups_read,
              coalesce(sum(bytes) FILTER (WHERE hi > cutoff), 0)::BIGINT AS chunk_bytes,
              sum(bytes)::BIGINT AS column_bytes
       FROM chunks, cut GROUP BY cutoff`,
    );
    const row = reader.getRowObjectsJson()[0] ?? {};
    const cutoff = String(row.cutoff ?? '');
    const ident = `"${column.replaceAll('"', '""')}"`;
    const matching = await conn.runAndReadAll(
      `SELECT count(*)::INTEGER AS n FROM read_parquet(${lit(file)}) WHERE ${ident} > TIMESTAMP ${lit(cutoff)}`,
    );
    return {
      cutoff,
      rows: Number(matching.getRowObjectsJson()[0]?.n ?? 0),
      groups: Number(row.groups ?? 0),
      groupsRead: Number(row.groups_read ?? 0),
      chunkBytes: Number(row.chunk_bytes ?? 0),
      columnBytes: Number(row.column_bytes ?? 0),
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
