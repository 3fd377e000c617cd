import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { TableContract } from '../../src/lake/contracts.ts';
import type { Manifest, TableEntry } from '../../src/lake/manifest.ts';
import { tableTier } from '../../src/lake/layout.ts';
import { sha256Of } from './atomic-file.ts';
import type { Duck } from './duck.ts';
import { readEventFile } from './event-file.ts';
import { scanLake, type FoundTable } from './lake-scan.ts';
import { emptyManifest, readManifest, upsertTable, writeManifest } from './manifest-store.ts';
import { describeParquet, type ParquetFacts } from './parquet-file.ts';
import { tableEntry, type TableMeta } from './table-entry.ts';

export interface CatalogReport {
  tables: number;
  added: string[];
  updated: string[];
  /** Tables the catalog lists whose files are gone: kept in the catalog and reported, never dropped silently. */
  vanished: { table: string; missing: string[] }[];
  /** Tables whose tags call for another tier folder than the one holding their files. */
  misplaced: { table: string; folderTier: string; tagTier: string }[];
  /**
   * Files found in a table's folder that the catalog does not list and no command of this run wrote: never
   * adopted, so a file dropped beside a table cannot become part of it (or of a metric's history) unnoticed.
   */
  refused: { table: string; files: string[] }[];
}

/**
 * What the catalog already says about a table wins over defaults: tags and descriptions are people's work. A
 * column the catalog left untagged takes its contract's tags, so a key the contract learns to tag gets masked.
 */
function metaFromEntry(entry: TableEntry, columns: string[], contract?: TableContract): TableMeta {
  const contractTags = (name: string) => contract?.columns.find((c) => c.name === name)?.tags;
  const keep = entry.columns
    .filter((c) => columns.includes(c.name))
    .map((c) => (c.tags ? c : { ...c, tags: contractTags(c.name) }));
  return {
    name: entry.name,
    zone: entry.zone,
    description: entry.description,
    owner: entry.owner,
    source: entry.source,
    license: entry.license,
    tags: entry.tags,
    columnTags: Object.fromEntries(keep.filter((c) => c.tags).map((c) => [c.name, c.tags ?? []])),
    columnDescriptions: Object.fromEntries(
      keep.filter((c) => c.description).map((c) => [c.name, c.description ?? '']),
    ),
    key: entry.key,
    lineage: entry.lineage,
    asOf: entry.asOf,
  };
}

function metaFromContract(found: FoundTable, contract: TableContract): TableMeta {
  const raw = found.zone === 'raw';
  return {
    name: found.name,
    zone: found.zone,
    description: raw
      ? `Events of ${contract.table} as they arrived, one file per batch, fields as text.`
      : contract.description,
    owner: contract.owner,
    source: contract.sourceText,
    license: contract.license,
    tags: contract.tags,
    columnTags: Object.fromEntries(contract.columns.filter((c) => c.tags).map((c) => [c.name, c.tags ?? []])),
    columnDescriptions: Object.fromEntries(
      contract.columns.filter((c) => c.description).map((c) => [c.name, c.description ?? '']),
    ),
    key: raw ? undefined : contract.key,
  };
}

function defaultMeta(found: FoundTable): TableMeta {
  return {
    name: found.name,
    zone: found.zone,
    description: '',
    owner: 'unassigned',
    source: '',
    license: 'unknown',
    tags: [found.tier],
  };
}

async function factsOf(conn: Duck, lakeDir: string, found: FoundTable, contract?: TableContract) {
  if (found.zone !== 'raw') return Promise.all(found.files.map((f) => describeParquet(conn, lakeDir, f)));
  return found.files.map((rel): ParquetFacts => {
    const events = readEventFile(path.join(lakeDir, rel));
    const names = contract
      ? contract.columns.map((c) => c.name)
      : [...new Set(events.records.flatMap((r) => Object.keys(r.record ?? {})))];
    return {
      file: {
        path: rel,
        format: events.format,
        bytes: events.bytes.length,
        rows: events.records.length,
        sha256: sha256Of(events.bytes),
        ...(events.gzip ? { compression: 'gzip' as const } : {}),
      },
      columns: names.map((name) => ({ name, type: 'VARCHAR' })),
    };
  });
}

/**
 * Rescans the zones and brings the catalog in line with the files it lists, keeping tags and descriptions. A
 * table it lists takes no file it does not list unless the caller wrote it (`written`: the raw files ingest
 * kept); a table found for the first time is added whole, except in the metrics zone, whose views only the
 * metrics command records (with their lineage).
 */
export async function rescanCatalog(
  conn: Duck,
  lakeDir: string,
  contracts: readonly TableContract[],
  now: string,
  options: { written?: readonly string[] } = {},
): Promise<CatalogReport> {
  let manifest: Manifest = readManifest(lakeDir) ?? emptyManifest(path.basename(lakeDir), now);
  const report: CatalogReport = {
    tables: 0,
    added: [],
    updated: [],
    vanished: [],
    misplaced: [],
    refused: [],
  };
  const written = new Set(options.written ?? []);
  const found = scanLake(lakeDir);
  const foundNames = new Set(found.map((t) => t.name));
  const isFile = (rel: string) =>
    existsSync(path.join(lakeDir, rel)) && statSync(path.join(lakeDir, rel)).isFile();
  for (const t of manifest.tables) {
    const missing = t.files.map((f) => f.path).filter((p) => !isFile(p));
    if (!foundNames.has(t.name) || missing.length > 0) report.vanished.push({ table: t.name, missing });
  }
  for (const scanned of found) {
    const listed = manifest.tables.find((t) => t.name === scanned.name);
    const allowed = (file: string) =>
      listed ? listed.files.some((f) => f.path === file) || written.has(file) : scanned.zone !== 'metrics';
    const refused = scanned.files.filter((f) => !allowed(f));
    if (refused.length > 0) report.refused.push({ table: scanned.name, files: refused });
    const table = { ...scanned, files: scanned.files.filter(allowed) };
    if (table.files.length === 0) continue;
    const contract = contracts.find((c) =>
      table.zone === 'raw' ? c.source === table.source : c.table === table.name && table.zone === 'curated',
    );
    const facts = await factsOf(conn, lakeDir, table, contract);
    const columns = facts[0]?.columns.map((c) => c.name) ?? [];
    const old = manifest.tables.find((t) => t.name === table.name);
    const meta = old
      ? metaFromEntry(old, columns, contract)
      : contract
        ? metaFromContract(table, contract)
        : defaultMeta(table);
    const entry = tableEntry(meta, table.tier, facts, now);
    const tagTier = tableTier(entry);
    if (tagTier !== table.tier) report.misplaced.push({ table: table.name, folderTier: table.tier, tagTier });
    manifest = upsertTable(manifest, entry);
    const next = manifest.tables.find((t) => t.name === table.name);
    if (!old) report.added.push(table.name);
    else if (next?.updatedAt !== old.updatedAt) report.updated.push(table.name);
  }
  report.tables = manifest.tables.length;
  writeManifest(lakeDir, manifest);
  return report;
}
