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
