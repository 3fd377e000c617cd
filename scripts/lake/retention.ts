import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { rawFileDay } from '../../src/lake/layout.ts';
import type { Manifest } from '../../src/lake/manifest.ts';
import { scanLake } from './lake-scan.ts';

export interface RetentionReport {
  archived: string[];
  deleted: string[];
}

const DAY_MS = 86_400_000;

/**
 * Raw files older than `days` (by their partition day) move to `<tier>/archive/raw/...`, still inside their
 * tier folder so protection follows them. Files are only deleted when `force` is set.
 */
export function applyRetention(lakeDir: string, days: number, now: Date, force: boolean): RetentionReport {
  const cutoff = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * DAY_MS;
  const report: RetentionReport = { archived: [], deleted: [] };
  for (const table of scanLake(lakeDir).filter((t) => t.zone === 'raw')) {
    for (const rel of table.files) {
      const day = rawFileDay(rel);
      if (!day || day.getTime() >= cutoff) continue;
      const abs = path.join(lakeDir, rel);
      if (force) {
        rmSync(abs);
        report.deleted.push(rel);
        continue;
      }
      const archived = rel.replace('/raw/', '/archive/raw/');
      mkdirSync(path.dirname(path.join(lakeDir, archived)), { recursive: true });
      renameSync(abs, path.join(lakeDir, archived));
      report.archived.push(archived);
    }
  }
  return report;
}

/** The catalog stops listing the files retention moved away; their tables stay, with fewer rows. */
export function forgetFiles(manifest: Manifest, gone: readonly string[], now: string): Manifest {
  const goneSet = new Set(gone);
  const tables = manifest.tables.map((t) => {
    const files = t.files.filter((f) => !goneSet.has(f.path));
    if (files.length === t.files.length) return t;
    const rowCount = files.reduce((n, f) => n + f.rows, 0);
    return { ...t, files, rowCount, bytes: files.reduce((n, f) => n + f.bytes, 0), updatedAt: now };
  });
  return { ...manifest, tables, generatedAt: now };
}
