import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { tierFolder } from '../../src/lake/layout.ts';
import type { Manifest, TableEntry } from '../../src/lake/manifest.ts';
import { rawTableName, scanLake } from './lake-scan.ts';

/** A file inside a table's folder that the catalog does not list (or a folder of a table it does not list). */
export interface UnlistedFile {
  table: string;
  path: string;
}

/** The folder that holds a table's files, relative to the lake root. */
export function tableFolderOf(table: Pick<TableEntry, 'name' | 'zone' | 'tier'>): string {
  const name = table.zone === 'raw' ? table.name.replace(/^raw_/, '') : table.name;
  return `${tierFolder(table.tier)}/${table.zone}/${name}`;
}

/** Hidden files are temporaries of an unfinished write and never part of a table. */
function filesUnder(lakeDir: string, rel: string): string[] {
  const dir = path.join(lakeDir, rel);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort()
    .flatMap((n) =>
      statSync(path.join(dir, n)).isDirectory() ? filesUnder(lakeDir, `${rel}/${n}`) : [`${rel}/${n}`],
    );
}

/**
 * Every file in a catalogued table's folder that the catalog does not list, and every table folder whose
 * table the catalog does not list: files that no command of the lake wrote, so nothing vouches for them.
 */
export function unlistedFiles(lakeDir: string, manifest: Manifest): UnlistedFile[] {
  const found: UnlistedFile[] = [];
  const known = new Set<string>();
  for (const table of manifest.tables.filter((t) => !t.withheld)) {
    known.add(table.name);
    const listed = new Set(table.files.map((f) => f.path));
    for (const file of filesUnder(lakeDir, tableFolderOf(table)))
      if (!listed.has(file)) found.push({ table: table.name, path: file });
  }
  for (const t of scanLake(lakeDir)) {
    const name = t.zone === 'raw' && t.source ? rawTableName(t.source) : t.name;
    if (!known.has(name)) found.push(...t.files.map((file) => ({ table: name, path: file })));
  }
  return found;
}
