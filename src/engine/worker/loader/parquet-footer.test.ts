import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeParquet } from '../../testing/lake-fixture';
import { FooterError, footerOf, footerStats } from './parquet-footer';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakebook-footer-'));
  file = path.join(dir, 'events.parquet');
  await writeParquet(
    file,
    `SELECT i::INTEGER AS id, (i * 1000)::BIGINT AS big, DATE '2024-01-01' + (i // 100)::INTEGER AS day,
            TIMESTAMP '2024-01-01' + INTERVAL (i) MINUTE AS at, CASE WHEN i >= 4096 THEN i END::INTEGER AS late,
            'x' || i AS label, i / 3 AS ratio
     FROM range(10240) t(i)`,
    2048,
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Native DuckDB's reading of the same statistics, as text. */
async function nativeStats(): Promise<Record<string, string>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const rows = await con.runAndReadAll(
    `SELECT row_group_id::INTEGER AS g, path_in_schema AS c, stats_min AS lo, stats_max AS hi, stats_null_count::INTEGER AS n
     FROM parquet_metadata('${file}') ORDER BY g, column_id`,
  );
  con.closeSync();
  db.closeSync();
  return rows.getRowObjectsJson() as Record<string, string>[];
}

describe('row-group statistics from the footer', () => {
  it('reads the min, max and NULL count of integers, dates and timestamps as native DuckDB does', async () => {
    const groups = footerStats(footerOf(new Uint8Array(fs.readFileSync(file))));
    expect(groups.map((g) => g.rows)).toEqual([2048, 2048, 2048, 2048, 2048]);
    const day = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
    const at = (n: bigint) =>
      new Date(Number(n / 1000n)).toISOString().replace('T', ' ').replace('.000Z', '');
    for (const row of await nativeStats()) {
      const stats = groups[Number(row.g)].columns[row.c];
      if (row.c === 'label' || row.c === 'ratio') {
        expect(stats).toBeUndefined();
        continue;
      }
      expect(stats.nulls).toBe(Number(row.n));
      if (row.lo === null) {
        expect(stats.min).toBeUndefined();
        continue;
      }
      const shown =
        stats.kind === 'date'
          ? [day(Number(stats.min)), day(Number(stats.max))]
          : stats.kind === 'timestamp'
            ? [at(stats.min as bigint), at(stats.max as bigint)]
            : [String(stats.min), String(stats.max)];
      expect(shown, `${row.c} in group ${row.g}`).toEqual([row.lo, row.hi]);
    }
    expect(groups[0].columns.big).toEqual({ kind: 'bigint', min: 0n, max: 2_047_000n, nulls: 0 });
    expect(groups[0].columns.late).toEqual({ kind: 'integer', nulls: 2048 });
  });

  it('refuses bytes that are not a footer instead of guessing', () => {
    expect(() => footerStats(new Uint8Array([0x19, 0xff, 0xff]))).toThrow(FooterError);
    expect(() => footerOf(new Uint8Array([1, 2, 3, 4, 0xff, 0, 0, 0, 80, 65, 82, 49]))).toThrow(FooterError);
  });
});
