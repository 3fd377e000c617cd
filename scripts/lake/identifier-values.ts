import path from 'node:path';
import type { Manifest } from '../../src/lake/manifest.ts';
import { queryJson, sqlIdent, sqlString, type Duck } from './duck.ts';
import { readEventFile } from './event-file.ts';
import { isKeyTag, type ColumnValues } from './identifier-check.ts';

/** Only text and whole-number columns can hold keys. */
const KEY_TYPES = new Set(['VARCHAR', 'BIGINT', 'INTEGER']);
/** An untagged column is judged on a sample; a key column needs all its values for the overlap test. */
const SAMPLE = 1000;

/** Distinct values of every text or whole-number column of the lake, for `findUntaggedIdentifiers`. */
export async function lakeColumnValues(
  conn: Duck,
  lakeDir: string,
  manifest: Manifest,
): Promise<ColumnValues[]> {
  const out: ColumnValues[] = [];
  for (const table of manifest.tables) {
    const parquet = table.files.filter((f) => f.format === 'parquet');
    const events = table.files.filter((f) => f.format !== 'parquet');
    const records = events.flatMap((f) =>
      readEventFile(path.join(lakeDir, f.path)).records.flatMap((r) => (r.record ? [r.record] : [])),
    );
    const files = parquet.map((f) => sqlString(path.join(lakeDir, f.path))).join(', ');
    for (const column of table.columns) {
      if (!KEY_TYPES.has(column.type)) continue;
      const tags = [...table.tags, ...(column.tags ?? [])];
      const full = tags.some(isKeyTag);
      const limit = full ? '' : `LIMIT ${SAMPLE}`;
      const values = new Set<string>();
      if (parquet.length > 0) {
        const rows = await queryJson(
          conn,
          `SELECT DISTINCT CAST(${sqlIdent(column.name)} AS VARCHAR) AS v FROM read_parquet([${files}])
           WHERE ${sqlIdent(column.name)} IS NOT NULL ORDER BY hash(v) ${limit}`,
        );
        for (const r of rows) values.add(String(r.v));
      }
      for (const r of records) {
        const v = r[column.name];
        if (v !== undefined && v !== null && v !== '') values.add(String(v));
      }
      const all = [...values];
      out.push({
        table: table.name,
        column: column.name,
        tags,
        values: full ? all : all.slice(0, SAMPLE),
      });
    }
  }
  return out;
}
