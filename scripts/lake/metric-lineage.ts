import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TableEntry } from '../../src/lake/manifest.ts';
import { sha256OfFile } from './atomic-file.ts';

/**
 * Why a metric view no longer follows from its SQL file, or undefined when it does: the file is gone, the
 * catalog records no checksum of it, or the file changed since the view was built.
 */
export function definitionDrift(projectDir: string, table: TableEntry): string | undefined {
  const file = table.lineage?.definition;
  if (!file) return `metric ${table.name} names no SQL definition in its lineage`;
  const rebuild = `rebuild the metric views (npm run lake -- metrics --lake DIR; for the sample lake, npm run lake:build)`;
  const abs = path.join(projectDir, file);
  if (!existsSync(abs)) return `${file}, the definition of ${table.name}, is missing`;
  const recorded = table.lineage?.definitionSha256;
  if (!recorded) return `the lineage of ${table.name} records no SHA-256 of ${file}; ${rebuild} to record it`;
  const now = sha256OfFile(abs);
  if (now !== recorded)
    return `${file} changed since ${table.name} was built (SHA-256 ${now.slice(0, 12)}…, lineage records ${recorded.slice(0, 12)}…); ${rebuild}`;
  return undefined;
}
