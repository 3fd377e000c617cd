import path from 'node:path';
import type { Manifest } from '../../src/lake/manifest.ts';
import { sqlIdent, sqlString, type Duck } from './duck.ts';

/** Makes catalog tables queryable by name in a Node DuckDB session (Parquet tables only). */
export async function registerTables(
  conn: Duck,
  lakeDir: string,
  manifest: Manifest,
  names: readonly string[],
) {
  for (const name of names) {
    const table = manifest.tables.find((t) => t.name === name);
    if (!table) throw new Error(`Table "${name}" is not in the catalog.`);
    const files = table.files
      .filter((f) => f.format === 'parquet')
      .map((f) => sqlString(path.join(lakeDir, f.path)));
    if (files.length === 0) throw new Error(`Table "${name}" has no Parquet file to read.`);
    await conn.run(
      `CREATE OR REPLACE VIEW ${sqlIdent(name)} AS SELECT * FROM read_parquet([${files.join(', ')}], union_by_name = false)`,
    );
  }
}

export async function dropViews(conn: Duck, names: readonly string[]) {
  for (const name of names) await conn.run(`DROP VIEW IF EXISTS ${sqlIdent(name)}`);
}
