import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tableTier, tierFolder } from '../../src/lake/layout.ts';
import { sha256Of } from './atomic-file.ts';
import type { Duck } from './duck.ts';
import { readEventFile } from './event-file.ts';
import { findUntaggedIdentifiers } from './identifier-check.ts';
import { lakeColumnValues } from './identifier-values.ts';
import { readManifest } from './manifest-store.ts';
import { definitionDrift } from './metric-lineage.ts';
import { describeParquet } from './parquet-file.ts';
import { unlistedFiles } from './unlisted-files.ts';

export interface VerifyProblem {
  table: string;
  file?: string;
  problem: string;
}

/**
 * Holds the catalog to the files (presence, size, checksum, row counts, Parquet schemas, no unlisted file in a
 * table's folder), metric views to their SQL files (with `projectDir`: the SHA-256 their lineage records), and
 * the catalog to its tags: a column whose values look like keys must carry a key or identifier tag, or the
 * policy would not mask it.
 */
export async function verifyLake(
  conn: Duck,
  lakeDir: string,
  options: { projectDir?: string } = {},
): Promise<VerifyProblem[]> {
  const manifest = readManifest(lakeDir);
  if (!manifest) return [{ table: '(lake)', problem: `no catalog.json in ${lakeDir}` }];
  const problems: VerifyProblem[] = [];
  for (const u of unlistedFiles(lakeDir, manifest))
    problems.push({
      table: u.table,
      file: u.path,
      problem: manifest.tables.some((t) => t.name === u.table)
        ? "file is in the table's folder but not in the catalog; remove it (raw events enter through ingest, metric snapshots through metrics)"
        : 'file belongs to a table the catalog does not list; run the catalog command or remove it',
    });
  if (options.projectDir)
    for (const table of manifest.tables.filter((t) => t.zone === 'metrics' && !t.withheld)) {
      const drift = definitionDrift(options.projectDir, table);
      if (drift) problems.push({ table: table.name, file: table.lineage?.definition, problem: drift });
    }
  for (const table of manifest.tables) {
    const say = (problem: string, file?: string) => problems.push({ table: table.name, file, problem });
    if (tableTier(table) !== table.tier)
      say(`tags call for tier ${tableTier(table)}, catalog says ${table.tier}`);
    const sumRows = table.files.reduce((n, f) => n + f.rows, 0);
    const sumBytes = table.files.reduce((n, f) => n + f.bytes, 0);
    if (sumRows !== table.rowCount) say(`rowCount ${table.rowCount} but files hold ${sumRows}`);
    if (sumBytes !== table.bytes) say(`bytes ${table.bytes} but files hold ${sumBytes}`);
    for (const file of table.files) {
      if (!file.path.startsWith(`${tierFolder(table.tier)}/${table.zone}/`)) {
        say(`file is outside ${tierFolder(table.tier)}/${table.zone}/`, file.path);
      }
      const abs = path.join(lakeDir, file.path);
      if (!existsSync(abs)) {
        say('file is missing', file.path);
        continue;
      }
      const bytes = readFileSync(abs);
      if (bytes.length !== file.bytes)
        say(`size ${bytes.length} bytes, catalog says ${file.bytes}`, file.path);
      if (sha256Of(bytes) !== file.sha256) say('checksum differs from the catalog', file.path);
      if (file.format !== 'parquet') {
        const rows = readEventFile(abs).records.length;
        if (rows !== file.rows) say(`${rows} events, catalog says ${file.rows}`, file.path);
        continue;
      }
      try {
        const facts = await describeParquet(conn, lakeDir, file.path);
        if (facts.file.rows !== file.rows)
          say(`${facts.file.rows} rows, catalog says ${file.rows}`, file.path);
        const actual = facts.columns.map((c) => `${c.name} ${c.type}`).join(', ');
        const expected = table.columns.map((c) => `${c.name} ${c.type}`).join(', ');
        if (actual !== expected) say(`schema (${actual}) differs from the catalog (${expected})`, file.path);
      } catch (e) {
        say(`not readable as Parquet: ${(e as Error).message.split('\n')[0]}`, file.path);
      }
    }
  }
  if (problems.length > 0) return problems;
  for (const f of findUntaggedIdentifiers(await lakeColumnValues(conn, lakeDir, manifest))) {
    problems.push({ table: f.table, problem: f.message });
  }
  return problems;
}
