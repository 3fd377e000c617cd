import path from 'node:path';
import type { Manifest } from '../../src/lake/manifest.ts';
import { sqlIdent, sqlString, type Duck } from './duck.ts';

/** The absolute paths of a catalog table's Parquet files. */
export function parquetFiles(lakeDir: string, manifest: Manifest, name: string): string[] {
  const table = manifest.tables.find((t) => t.name === name);
  if (!table) throw new Error(`Table "${name}" is not in the catalog.`);
  const files = table.files.filter((f) => f.format === 'parquet').map((f) => path.resolve(lakeDir, f.path));
  if (files.length === 0) throw new Error(`Table "${name}" has no Parquet file to read.`);
  return files;
}

/** The statement that makes a table queryable by name over its Parquet files. */
export function parquetViewSql(name: string, files: readonly string[], temporary = false): string {
  return `CREATE OR REPLACE ${temporary ? 'TEMP ' : ''}VIEW ${sqlIdent(name)} AS SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}], union_by_name = false)`;
}

/** Makes catalog tables queryable by name in a Node DuckDB session (Parquet tables only). */
export async function registerTables(
  conn: Duck,
  lakeDir: string,
  manifest: Manifest,
  names: readonly string[],
) {
  for (const name of names) await conn.run(parquetViewSql(name, parquetFiles(lakeDir, manifest, name)));
}

export async function dropViews(conn: Duck, names: readonly string[]) {
  for (const name of names) await conn.run(`DROP VIEW IF EXISTS ${sqlIdent(name)}`);
}
