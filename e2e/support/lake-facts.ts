/**
 * Expected values computed from the sample lake's own Parquet files with native DuckDB, so that tests compare
 * the browser's answers with an independent engine instead of numbers written into the test.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseManifest } from '../../src/lake/manifest';

const lake = path.resolve('public/sample-lake');

export function parquetOf(table: string): string {
  const manifest = parseManifest(JSON.parse(readFileSync(path.join(lake, 'catalog.json'), 'utf8')));
  const entry = manifest.tables.find((t) => t.name === table);
  if (!entry) throw new Error(`table ${table} is not in the sample lake`);
  const files = entry.files.filter((f) => f.format === 'parquet').map((f) => `'${path.join(lake, f.path)}'`);
  return `read_parquet([${files.join(', ')}])`;
}

/** The value of the first column of the first row of `sql`, where `{table}` stands for a lake table. */
export async function nativeScalar(sql: string): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const resolved = sql.replace(/\{(\w+)\}/g, (_m, t: string) => parquetOf(t));
    const reader = await connection.runAndReadAll(resolved);
    return String(reader.getRows()[0]![0]);
  } finally {
    connection.closeSync();
  }
}
