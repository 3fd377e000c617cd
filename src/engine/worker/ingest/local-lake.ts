import { gunzipSync, strFromU8 } from 'fflate';
import type { Policy } from '../../../gov/policy-schema';
import { contractForFile, type TableContract } from '../../../lake/contracts';
import { LOCAL_TAG, LocalIngestError, LocalZone, localRawName } from '../../../lake/local-zone';
import type { Manifest, TableEntry } from '../../../lake/manifest';
import type { DuckSession } from '../core/duck-session';
import type { ParquetDecoder } from '../loader/parquet-decoder';
import type { IngestFile, IngestFileReport } from '../../../contract/ingest';
import { withLocalTwins } from './local-policy';
import { describedIpc, ipcRecords, memorySource, typedIpc } from './local-tables';
import type { KeptUpload, UploadStore } from './upload-store';

/** Decodes a whole Parquet file to Arrow IPC (parquet-wasm in the worker). */
export type ParquetToIpc = (bytes: Uint8Array) => Uint8Array;

export interface LocalLakeDeps {
  store: UploadStore;
  contracts: readonly TableContract[];
  parquetToIpc?: ParquetToIpc;
  staging: () => Promise<DuckSession>;
}

/** Where the loader finds local tables: a path no lake folder uses (lake paths start with a tier folder). */
const LOCAL_PATH = 'browser-local/';
const NO_CHECKSUM = '0'.repeat(64);
const PARQUET_DEFAULT_TAGS = ['PHI', LOCAL_TAG];

interface ParquetTable {
  entry: TableEntry;
  ipc: Uint8Array;
}

/**
 * The browser's own lake zones inside the engine: event files go through the lake's contracts
 * (`LocalZone`), Parquet files with no contract become raw tables tagged PHI. The dropped files persist as
 * they arrived and are replayed on start, so the tables come back after a reload until the user erases them.
 */
export class LocalLake {
  private zone: LocalZone;
  private parquet = new Map<string, ParquetTable>();
  private readonly typed = new Map<string, Promise<Uint8Array>>();
  /** Name and content digest of every kept upload: the same file dropped again is not stored twice. */
  private readonly keptKeys = new Set<string>();

  private constructor(private readonly deps: LocalLakeDeps) {
    this.zone = new LocalZone(deps.contracts);
  }

  /** Rebuilds the zones from the kept files; a kept file that no longer applies is reported, not fatal. */
  static async open(deps: LocalLakeDeps): Promise<{ lake: LocalLake; problems: string[] }> {
    const lake = new LocalLake(deps);
    const problems: string[] = [];
    for (const upload of await deps.store.list()) {
      const report = await lake.apply(upload);
      lake.keptKeys.add(await uploadKey(upload));
      if (report.error) problems.push(`Uploaded file ${upload.name} could not be restored: ${report.error}`);
    }
    return { lake, problems };
  }

  /** Validates and adds each file; files that enter no table are not kept. */
  async ingest(files: readonly IngestFile[], now: Date): Promise<IngestFileReport[]> {
    const reports: IngestFileReport[] = [];
    for (const file of files) {
      const upload = { name: file.name, at: now.toISOString(), bytes: file.bytes };
      const key = await uploadKey(upload);
      const report = await this.apply(upload);
      if (!report.error && report.tables.length > 0 && !this.keptKeys.has(key)) {
        await this.deps.store.add(upload);
        this.keptKeys.add(key);
      }
      reports.push(report);
    }
    return reports;
  }

  async erase(): Promise<string[]> {
    const tables = this.entries().map((e) => e.name);
    await this.deps.store.clear();
    this.zone = new LocalZone(this.deps.contracts);
    this.parquet.clear();
    this.typed.clear();
    this.keptKeys.clear();
    return tables;
  }

  /** Catalog entries of every local table, with a file the loader reads through `decoder`. */
  entries(): TableEntry[] {
    const events = this.zone.entries().map((e) => ({ ...e, files: [localFile(e.name, e.rowCount)] }));
    return [...events, ...[...this.parquet.values()].map((p) => p.entry)];
  }

  /** The lake's catalog with the local tables added (a lake table of the same name wins). */
  merge(manifest: Manifest): Manifest {
    const names = new Set(manifest.tables.map((t) => t.name));
    const local = this.entries().filter((e) => !names.has(e.name));
    return local.length === 0 ? manifest : { ...manifest, tables: [...manifest.tables, ...local] };
  }

  /** The policy with every rule that names a contract's table also naming that table's local twins. */
  policy(policy: Policy): Policy {
    return withLocalTwins(policy, this.deps.contracts, new Set(this.entries().map((e) => e.name)));
  }

  /** The loader's decoder, serving local tables from memory and everything else from the lake. */
  decoder(lake: ParquetDecoder, lakeUrl: string): ParquetDecoder {
    const prefix = lakeUrl + LOCAL_PATH;
    return {
      open: async (url, bytes, rowGroups) => {
        if (!url.startsWith(prefix)) return lake.open(url, bytes, rowGroups);
        const entry = this.entries().find((e) => e.files[0]?.path === url.slice(lakeUrl.length));
        if (!entry) throw new LocalIngestError(`${url}: this local table was erased.`);
        return memorySource(
          entry.columns.map((c) => c.name),
          () => this.ipcOf(entry),
        );
      },
    };
  }

  private ipcOf(entry: TableEntry): Promise<Uint8Array> {
    const parquet = this.parquet.get(entry.name);
    if (parquet) return Promise.resolve(parquet.ipc);
    const key = `${entry.name}@${entry.updatedAt}@${entry.rowCount}`;
    let ipc = this.typed.get(key);
    if (!ipc) {
      ipc = this.deps.staging().then((s) => typedIpc(s, entry.columns, this.zone.rows(entry.name)));
      this.typed.set(key, ipc);
    }
    return ipc;
  }

  private async apply(upload: KeptUpload): Promise<IngestFileReport> {
    const refused = (error: string): IngestFileReport => ({
      file: upload.name,
      tables: [],
      ingested: 0,
      duplicate: 0,
      rejected: 0,
      rejects: [],
      error,
    });
    try {
      const lower = upload.name.toLowerCase();
      if (lower.endsWith('.parquet')) return await this.applyParquet(upload);
      const text = lower.endsWith('.gz') ? strFromU8(gunzipSync(upload.bytes)) : strFromU8(upload.bytes);
      return this.applyEvents(upload.name, text, new Date(upload.at));
    } catch (e) {
      if (e instanceof LocalIngestError) return refused(e.message);
      return refused(`${upload.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private applyEvents(name: string, text: string, at: Date): IngestFileReport {
    const r = this.zone.ingest(name, text, at);
    return {
      file: name,
      tables: [r.rawTable, r.table],
      ingested: r.ingested,
      duplicate: r.duplicate,
      rejected: r.rejected,
      rejects: r.rejects.map(({ line, reason }) => ({ line, reason })),
      note: r.alreadyKept ? 'This file was ingested before; nothing changed.' : undefined,
    };
  }

  private async applyParquet(upload: KeptUpload): Promise<IngestFileReport> {
    const toIpc = this.deps.parquetToIpc ?? fail(`${upload.name}: this engine cannot read Parquet files.`);
    let ipc: Uint8Array;
    try {
      ipc = toIpc(upload.bytes);
    } catch (e) {
      fail(`${upload.name}: not a readable Parquet file (${e instanceof Error ? e.message : String(e)}).`);
    }
    const contract = contractForFile(this.deps.contracts, upload.name);
    if (contract) {
      // Same contract, same validation as an event file: the rows travel as JSON lines.
      const lines = ipcRecords(ipc).map((r) => JSON.stringify(r));
      const asEvents = upload.name.replace(/\.parquet$/i, '.jsonl');
      return { ...this.applyEvents(asEvents, lines.join('\n'), new Date(upload.at)), file: upload.name };
    }
    const staging = await this.deps.staging();
    const described = await describedIpc(staging, ipc);
    const name = localRawName(slug(upload.name));
    const entry: TableEntry = {
      name,
      zone: 'raw',
      tier: 'PHI',
      description: `Parquet file ${upload.name} as uploaded in this browser. It matches no table contract, so it is treated as PHI until a steward says otherwise.`,
      owner: 'This browser',
      source: `Uploaded here: ${upload.name}`,
      license: 'As uploaded',
      tags: [...PARQUET_DEFAULT_TAGS],
      columns: described.columns,
      files: [localFile(name, described.rows)],
      rowCount: described.rows,
      bytes: upload.bytes.byteLength,
      updatedAt: upload.at,
    };
    const before = this.parquet.get(name);
    this.parquet.set(name, { entry, ipc: described.ipc });
    return {
      file: upload.name,
      tables: [name],
      ingested: described.rows,
      duplicate: 0,
      rejected: 0,
      rejects: [],
      note: `${upload.name} matches no table contract: loaded as the raw table ${name}, tagged PHI by default${before ? ', replacing the earlier upload of that name' : ''}.`,
    };
  }
}

async function uploadKey(upload: KeptUpload): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', upload.bytes as Uint8Array<ArrayBuffer>);
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${upload.name}\u0000${hex}`;
}

function localFile(table: string, rows: number): TableEntry['files'][number] {
  return { path: `${LOCAL_PATH}${table}.parquet`, format: 'parquet', bytes: 0, rows, sha256: NO_CHECKSUM };
}

/** A file name as a table-name part: lower case, letters, digits and underscores. */
function slug(fileName: string): string {
  const base = fileName.replace(/\.parquet$/i, '').toLowerCase();
  return base.replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'file';
}

function fail(message: string): never {
  throw new LocalIngestError(message);
}
