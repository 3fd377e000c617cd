import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseManifest, type Manifest, type TableEntry } from '../../src/lake/manifest.ts';
import { writeFileAtomic } from './atomic-file.ts';

export const CATALOG_FILE = 'catalog.json';

export function emptyManifest(name: string, now: string): Manifest {
  return { format: 'lakebook-catalog', version: 1, name, generatedAt: now, tables: [] };
}

export function readManifest(lakeDir: string): Manifest | undefined {
  const file = path.join(lakeDir, CATALOG_FILE);
  if (!existsSync(file)) return undefined;
  return parseManifest(JSON.parse(readFileSync(file, 'utf8')));
}

/** Validates before writing, so no command can leave a catalog that readers would refuse. */
export function writeManifest(lakeDir: string, manifest: Manifest): void {
  const zoneOrder = { curated: 0, raw: 1, metrics: 2 } as const;
  const tables = [...manifest.tables].sort(
    (a, b) => zoneOrder[a.zone] - zoneOrder[b.zone] || a.name.localeCompare(b.name),
  );
  const valid = parseManifest({ ...manifest, tables });
  writeFileAtomic(path.join(lakeDir, CATALOG_FILE), JSON.stringify(valid, null, 2) + '\n');
}

function sameContent(a: TableEntry, b: TableEntry): boolean {
  const strip = (t: TableEntry) => JSON.stringify({ ...t, updatedAt: '', asOf: '' });
  return strip(a) === strip(b);
}

/**
 * Puts a table entry into the manifest by name. An entry whose content did not change keeps its old
 * `updatedAt`, so rebuilding an unchanged lake leaves the catalog byte-identical.
 */
export function upsertTable(manifest: Manifest, entry: TableEntry): Manifest {
  const old = manifest.tables.find((t) => t.name === entry.name);
  const unchanged = old !== undefined && sameContent(old, entry);
  const next = unchanged ? { ...entry, updatedAt: old.updatedAt, asOf: old.asOf } : entry;
  const tables = manifest.tables.filter((t) => t.name !== entry.name).concat(next);
  return { ...manifest, tables, generatedAt: unchanged ? manifest.generatedAt : entry.updatedAt };
}
