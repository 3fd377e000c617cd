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
}

async function timed(conn: DuckDBConnection, sql: string): Promise<{ ms: number; rows: number }> {
  const t0 = performance.now();
  const reader = await conn.runAndReadAll(sql);
  return { ms: performance.now() - t0, rows: reader.currentRowCount };
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
    for (const q of queries) {
      let rows = 0;
      queryRuns[q.id] = await timeRuns(runs, 1, async () => {
        const r = await timed(conn, q.sql);
        rows = r.rows;
        return r.ms;
      });
      queryMs[q.id] = median(queryRuns[q.id]!);
      queryRows[q.id] = rows;
    }
    return { version, loadMs, queryMs, queryRuns, queryRows };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
