import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SENSITIVITY_TAGS, type SensitivityTag, type Zone } from '../../src/lake/manifest.ts';
import { tierFolder } from '../../src/lake/layout.ts';

/** A table as found on disk: its folder tier, zone and files (paths relative to the lake root). */
export interface FoundTable {
  name: string;
  zone: Zone;
  tier: SensitivityTag;
  /** Raw zone only: the source folder the table is named after. */
  source?: string;
  files: string[];
}

export const rawTableName = (source: string) => `raw_${source}`;

/** Hidden files are temporaries of an unfinished write and never part of a table. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort()
    .flatMap((n) => {
      const abs = path.join(dir, n);
      return statSync(abs).isDirectory() ? listFiles(abs) : [abs];
    });
}

function subfolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.') && statSync(path.join(dir, n)).isDirectory())
    .sort();
}

/** Walks `<tier>/<zone>/<table or source>/...` and returns every table it finds. */
export function scanLake(lakeDir: string): FoundTable[] {
  const found: FoundTable[] = [];
  const rel = (abs: string) => path.relative(lakeDir, abs).split(path.sep).join('/');
  for (const tier of SENSITIVITY_TAGS) {
    for (const zone of ['curated', 'metrics'] as const) {
      const zoneDir = path.join(lakeDir, tierFolder(tier), zone);
      for (const name of subfolders(zoneDir)) {
        const files = listFiles(path.join(zoneDir, name)).filter((f) => f.endsWith('.parquet'));
        if (files.length > 0) found.push({ name, zone, tier, files: files.map(rel) });
      }
    }
    const rawDir = path.join(lakeDir, tierFolder(tier), 'raw');
    for (const source of subfolders(rawDir)) {
      const files = listFiles(path.join(rawDir, source));
      if (files.length > 0)
        found.push({ name: rawTableName(source), zone: 'raw', tier, source, files: files.map(rel) });
    }
  }
  const seen = new Map<string, FoundTable>();
  for (const t of found) {
    const other = seen.get(t.name);
    if (other) throw new Error(`Table "${t.name}" is in two places: ${other.files[0]} and ${t.files[0]}.`);
    seen.set(t.name, t);
  }
  return found;
}
