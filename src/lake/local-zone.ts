import { contractForFile, type TableContract, type TypedRow } from './contracts.ts';
import { eventFileFormat, parseEvents } from './event-parse.ts';
import { rowKey, validateBatch, type RejectedEvent } from './ingest-batch.ts';
import { tableTier } from './layout.ts';
import type { TableEntry } from './manifest.ts';

/**
 * A browser session's own raw and curated zones: files a user drops are validated with the same contracts
 * and the same batch step as the lake CLI, kept as they arrived (`local_raw_<source>`, every field text) and
 * upserted by key into typed tables (`local_<table>`). The kept files are the state: replaying them in order
 * rebuilds every table, so persisting the files is enough to survive a reload.
 */

export const LOCAL_TAG = 'local';
const SHOWN_REJECTS = 20;

export interface KeptFile {
  name: string;
  text: string;
  /** ISO time the file was first ingested. */
  at: string;
}

export interface LocalFileReport {
  file: string;
  table: string;
  rawTable: string;
  /** True when the same file (name and content) was ingested before: nothing changed. */
  alreadyKept: boolean;
  ingested: number;
  duplicate: number;
  rejected: number;
  /** The first rejected events with their reasons. */
  rejects: RejectedEvent[];
}

export class LocalIngestError extends Error {
  override name = 'LocalIngestError';
}

interface Zone {
  contract: TableContract;
  raw: Record<string, string | null>[];
  curated: Map<string, TypedRow>;
  files: string[];
  updatedAt: string;
}

export class LocalZone {
  private readonly kept: KeptFile[] = [];
  private readonly zones = new Map<string, Zone>();

  constructor(private readonly contracts: readonly TableContract[]) {}

  /** The files in the order they were ingested, for persistence. */
  files(): readonly KeptFile[] {
    return this.kept;
  }

  /** Rebuilds the zones from persisted files. */
  static replay(contracts: readonly TableContract[], files: readonly KeptFile[]): LocalZone {
    const zone = new LocalZone(contracts);
    for (const f of files) zone.ingest(f.name, f.text, new Date(f.at));
    return zone;
  }

  ingest(name: string, text: string, now: Date): LocalFileReport {
    const kind = eventFileFormat(name.replace(/\.gz$/i, ''));
    if (!kind)
      throw new LocalIngestError(`${name}: only JSON, JSON lines and CSV event files can be ingested here.`);
    const contract = contractForFile(this.contracts, name);
    if (!contract) {
      const known = this.contracts.map((c) => c.source).join(', ');
      throw new LocalIngestError(
        `${name}: no table contract for this file. Name it after a source (${known}).`,
      );
    }
    const records = parseEvents(text, kind.format);
    const batch = validateBatch(contract, records);
    const zone = this.zoneOf(contract, now);
    const report: LocalFileReport = {
      file: name,
      table: localName(contract.table),
      rawTable: localRawName(contract.source),
      alreadyKept: this.kept.some((f) => f.name === name && f.text === text),
      ingested: 0,
      duplicate: batch.valid - batch.rows.length,
      rejected: batch.rejected.length,
      rejects: batch.rejected.slice(0, SHOWN_REJECTS),
    };
    if (!report.alreadyKept) {
      this.kept.push({ name, text, at: now.toISOString() });
      const columns = contract.columns.map((c) => c.name);
      for (const r of records)
        if (r.record) zone.raw.push(Object.fromEntries(columns.map((c) => [c, asText(r.record![c])])));
      zone.files.push(name);
      zone.updatedAt = now.toISOString();
    }
    for (const row of batch.rows) {
      const key = rowKey(contract, row);
      const old = zone.curated.get(key);
      if (old && sameRow(old, row)) report.duplicate++;
      else {
        zone.curated.set(key, row);
        report.ingested++;
        zone.updatedAt = now.toISOString();
      }
    }
    return report;
  }

  /** Every local table as a catalog entry (no lake files: the data lives in this browser). */
  entries(): TableEntry[] {
    return [...this.zones.values()].flatMap((z) => {
      const tags = [...z.contract.tags, LOCAL_TAG];
      const columnTags = (name: string) => z.contract.columns.find((c) => c.name === name)?.tags;
      const tier = tableTier({ tags, columns: z.contract.columns });
      const common = {
        tier,
        owner: 'This browser',
        source: `Uploaded here: ${z.files.join(', ')}`,
        license: 'As uploaded',
        tags,
        files: [],
        bytes: 0,
        updatedAt: z.updatedAt,
      };
      return [
        {
          ...common,
          name: localRawName(z.contract.source),
          zone: 'raw' as const,
          description: `Events of ${z.contract.source} as they arrived in this browser, every field as text.`,
          columns: z.contract.columns.map((c) => ({
            name: c.name,
            type: 'VARCHAR',
            ...tagged(columnTags(c.name)),
          })),
          rowCount: z.raw.length,
        },
        {
          ...common,
          name: localName(z.contract.table),
          zone: 'curated' as const,
          description: `${z.contract.description} Uploaded in this browser, validated and upserted by key.`,
          columns: z.contract.columns.map((c) => ({ name: c.name, type: c.type, ...tagged(c.tags) })),
          rowCount: z.curated.size,
          key: z.contract.key,
        },
      ];
    });
  }

  /** The rows of a local table, in the column order of its entry. */
  rows(table: string): Record<string, string | number | boolean | null>[] {
    for (const z of this.zones.values()) {
      if (table === localRawName(z.contract.source)) return z.raw;
      if (table === localName(z.contract.table)) return [...z.curated.values()];
    }
    throw new LocalIngestError(`There is no local table ${table}.`);
  }

  private zoneOf(contract: TableContract, now: Date): Zone {
    let zone = this.zones.get(contract.table);
    if (!zone) {
      zone = { contract, raw: [], curated: new Map(), files: [], updatedAt: now.toISOString() };
      this.zones.set(contract.table, zone);
    }
    return zone;
  }
}

export function localName(table: string): string {
  return `local_${table}`;
}

export function localRawName(source: string): string {
  return `local_raw_${source}`;
}

function tagged(tags: string[] | undefined) {
  return tags ? { tags } : {};
}

function asText(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function sameRow(a: TypedRow, b: TypedRow): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? null) === (b[k] ?? null));
}
