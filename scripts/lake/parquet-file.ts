import { mkdirSync, renameSync, statSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ColumnEntry, FileEntry } from '../../src/lake/manifest.ts';
import { sha256OfFile, tempPathFor } from './atomic-file.ts';
import { queryJson, sqlString, type Duck } from './duck.ts';

/** Row groups of this size let the browser load a few at a time (range reads) without tiny-group overhead. */
export const ROW_GROUP_SIZE = 122_880;

/** Writes the result of a SELECT as zstd Parquet through a temporary file and a rename. */
export async function writeParquet(conn: Duck, select: string, target: string): Promise<void> {
  mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    await conn.run(
      `COPY (${select}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`,
    );
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
  }
}

export interface ParquetFacts {
  file: FileEntry;
  columns: Pick<ColumnEntry, 'name' | 'type'>[];
}

/** What the manifest records about a Parquet file, read back from the file itself. */
export async function describeParquet(conn: Duck, lakeDir: string, relPath: string): Promise<ParquetFacts> {
  const abs = path.join(lakeDir, relPath);
  const lit = sqlString(abs);
  const groups = await queryJson(
    conn,
    `SELECT row_group_id, any_value(row_group_num_rows) AS n FROM parquet_metadata(${lit}) GROUP BY 1 ORDER BY 1`,
  );
  const rowGroups = groups.map((g) => Number(g.n));
  const described = await queryJson(conn, `DESCRIBE SELECT * FROM read_parquet(${lit})`);
  return {
    file: {
      path: relPath,
      format: 'parquet',
      bytes: statSync(abs).size,
      rows: rowGroups.reduce((a, b) => a + b, 0),
      sha256: sha256OfFile(abs),
      rowGroups,
    },
    columns: described.map((c) => ({ name: String(c.column_name), type: String(c.column_type) })),
  };
}
