import type { Manifest, TableEntry } from '../../lake/manifest';
import type { RoleView, TableAccess } from '../../gov/types';
import { roleSelectSql } from '../../gov/role-view';
import { checkedTypeName, quoteIdent } from '../../gov/sql-text';
import type { DuckSession } from '../core/duck-session';
import { EngineFailure, fail, toEngineError } from '../errors';
import { ipcRows } from '../ipc-bytes';
import type { LoadProgress } from '../protocol';
import {
  ADDED_COLUMNS_TABLE,
  createAddedColumnsTable,
  mergeAddedColumns,
  onlyColumns,
  padWithNulls,
  withNullColumns,
} from './column-merge';
import { columnsReferenced } from './column-references';
import { chunkRowGroups, isPassThrough, needsStaging, stubDdl } from './load-plan';
import { ParquetReadError, type ParquetDecoder, type ParquetSource } from './parquet-decoder';
import { RawFileError, rawEventDecoder, type RawDecoder } from './raw-decoder';

export interface LoaderContext {
  /** Base URL of the lake folder, ending with a slash. */
  lakeUrl: string;
  manifest: Manifest;
  view: RoleView;
  /** The instance that runs user SQL: it only ever receives what the role may see. */
  user: DuckSession;
  /** The trusted instance that applies masks and filters; created on first need. */
  staging: () => Promise<DuckSession>;
  decoder: ParquetDecoder;
  /** Reads the raw zone's CSV and JSON files; fetches with the platform's `fetch` when absent. */
  rawDecoder?: RawDecoder;
  /** Rows per insert: bigger chunks mean fewer calls, smaller ones less memory at a time. */
  chunkRows?: number;
}

/**
 * About one row group of the lake's files (122,880 rows). Measured on Node over 1M admissions: decoding
 * costs less CPU per row in single-group reads than in 9-group ones (2.1 s vs 5.4 s), inserting costs the
 * same either way, and parquet-wasm's range reader trapped (`unreachable`) on every 4-group read tried.
 */
const DEFAULT_CHUNK_ROWS = 131_072;

/** Chunks asked for ahead of the one being inserted. */
const READS_IN_FLIGHT = 2;

interface ReadUnit {
  /** Named in load errors. */
  path: string;
  rows: number;
  open(): Promise<ParquetSource>;
}

/** Columns of one view table a statement reads; `all` when it may read columns it does not name. */
export interface TableNeed {
  table: string;
  columns: readonly string[] | 'all';
}

/**
 * Puts the role's view of the lake into the user instance: empty typed tables at start, so that EXPLAIN
 * and the guard can bind any statement, and the columns of a table the first time a statement reads them.
 * Columns not loaded yet are NULL; the engine asks for every column a statement may read before running it.
 */
export class TableLoader {
  /** View columns held per table; a table absent here is an empty stub. */
  private readonly loaded = new Map<string, Set<string>>();
  /** Tables the staging instance holds in full (as row-filter sources), with the columns it holds. */
  private readonly stagedInFull = new Map<string, Set<string>>();

  private readonly rawDecoder: RawDecoder;
  private loads = 0;

  constructor(private readonly ctx: LoaderContext) {
    this.rawDecoder = ctx.rawDecoder ?? rawEventDecoder();
  }

  /** Returns one line per table that could not be created (it then stays absent, like a denied table). */
  createStubs(): string[] {
    const problems: string[] = [];
    for (const access of this.ctx.view.tables) {
      try {
        this.ctx.user.query(stubDdl(access, checkedTypeName));
      } catch (e) {
        problems.push(`Table ${access.table} is not available: ${toEngineError(e).message}`);
      }
    }
    return problems;
  }

  /** Changes whenever data is loaded, so that what was decided on the data before can be told apart. */
  get generation(): number {
    return this.loads;
  }

  /** True when every column of the table is loaded. */
  isLoaded(table: string): boolean {
    return this.missing({ table, columns: 'all' }).length === 0;
  }

  /** The view columns a need asks for that are not loaded yet (none for a table outside the view). */
  missing(need: TableNeed): string[] {
    const access = this.ctx.view.tables.find((t) => t.table === need.table);
    if (!access) return [];
    const have = this.loaded.get(need.table);
    return wantedColumns(access, need.columns).filter((c) => !have?.has(c));
  }

  /**
   * Loads what the needs ask for that is not loaded yet (a bare name asks for every column). `shouldStop`
   * is asked between chunks; a stopped or failed load leaves the table as it was before, never partial.
   */
  async ensureLoaded(
    needs: readonly (string | TableNeed)[],
    report: (p: LoadProgress) => void,
    shouldStop: () => EngineFailure | undefined = () => undefined,
  ): Promise<void> {
    for (const n of needs) {
      const need: TableNeed = typeof n === 'string' ? { table: n, columns: 'all' } : n;
      const access = this.ctx.view.tables.find((t) => t.table === need.table);
      const columns = this.missing(need);
      if (!access || columns.length === 0) continue;
      const have = this.loaded.get(access.table);
      const target = have ? ADDED_COLUMNS_TABLE : access.table;
      try {
        if (have) createAddedColumnsTable(this.ctx.user, onlyColumns(access, new Set(columns)));
        await this.load(access, new Set(columns), target, report, shouldStop);
        if (have) mergeAddedColumns(this.ctx.user, access, new Set(columns));
      } catch (e) {
        if (have) this.ctx.user.query(`DROP TABLE IF EXISTS ${quoteIdent(ADDED_COLUMNS_TABLE)}`);
        else this.ctx.user.query(`DELETE FROM ${quoteIdent(access.table)}`);
        throw e;
      }
      this.loaded.set(access.table, new Set([...(have ?? []), ...columns]));
      this.loads += 1;
    }
  }

  /**
   * Reads `columns` of the view into `target`: the table itself (the other columns NULL), or the table
   * that gathers columns added to a loaded table (those columns only).
   */
  private async load(
    access: TableAccess,
    columns: ReadonlySet<string>,
    target: string,
    report: (p: LoadProgress) => void,
    shouldStop: () => EngineFailure | undefined,
  ): Promise<void> {
    const adding = target !== access.table;
    const shaped = adding ? onlyColumns(access, columns) : withNullColumns(access, columns);
    const entry = this.entryOf(access.table);
    const total = entry.rowCount;
    let done = 0;
    const progress = () =>
      report({
        phase: 'table',
        name: access.table,
        done,
        total,
        message: `Loading ${access.table}: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} rows`,
      });
    progress();

    const staging = needsStaging(access) ? await this.ctx.staging() : undefined;
    if (staging && access.filterSources?.length) {
      for (const source of access.filterSources) {
        const entry = this.entryOf(source);
        const cols = columnsReferenced([access.rowFilter ?? ''], storedColumns(entry), (s) =>
          staging.tokenize(s),
        );
        const own = source === access.table ? columnsFor(shaped, entry, staging) : [];
        await this.stageInFull(staging, entry, [...new Set([...cols, ...own])], shouldStop);
      }
    }
    const full = this.stagedInFull.get(access.table);
    if (staging && full && columnsFor(shaped, entry, staging).every((c) => full.has(c))) {
      this.ctx.user.insertIpc(target, await staging.run(roleSelectSql(shaped)), false);
      done = total;
      progress();
      return;
    }
    if (staging && full) this.dropStaged(staging, access.table);

    for (const unit of this.unitsOf(entry)) {
      await this.readFile(
        entry,
        unit,
        shouldStop,
        async (source) => {
          if (!staging && isPassThrough(access, (c) => source.columnIndex(c))) {
            return {
              columns: shaped.columns.filter((c) => columns.has(c.name)).map((c) => c.name),
              take: async (ipc) =>
                this.ctx.user.insertIpc(target, adding ? ipc : padWithNulls(ipc, access, columns), false),
            };
          }
          const stage = staging ?? (await this.ctx.staging());
          return {
            columns: columnsFor(shaped, entry, stage),
            take: async (ipc) => {
              stage.insertIpc(access.table, ipc, true);
              try {
                this.ctx.user.insertIpc(target, await stage.run(roleSelectSql(shaped)), false);
              } finally {
                stage.query(`DROP TABLE IF EXISTS ${quoteIdent(access.table)}`);
              }
            },
          };
        },
        (rows) => {
          done += rows;
          progress();
        },
      );
    }
  }

  private async stageInFull(
    staging: DuckSession,
    entry: TableEntry,
    columns: string[],
    shouldStop: () => EngineFailure | undefined,
  ): Promise<void> {
    const held = this.stagedInFull.get(entry.name);
    if (held && columns.every((c) => held.has(c))) return;
    const wanted = [...new Set([...columns, ...(held ?? [])])];
    if (held) this.dropStaged(staging, entry.name);
    let create = true;
    for (const unit of this.unitsOf(entry)) {
      await this.readFile(entry, unit, shouldStop, async () => ({
        columns: wanted,
        take: async (ipc) => {
          staging.insertIpc(entry.name, ipc, create);
          create = false;
        },
      }));
    }
    this.stagedInFull.set(entry.name, new Set(wanted));
  }

  private dropStaged(staging: DuckSession, table: string): void {
    staging.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
    this.stagedInFull.delete(table);
  }

  /**
   * What is read in one go: each Parquet file on its own (chunked by row groups), and all raw files of a
   * table together (small text files, fetched side by side and inserted as one chunk, since each insert has
   * a fixed cost).
   */
  private unitsOf(entry: TableEntry): ReadUnit[] {
    const parquet = entry.files.filter((f) => f.format === 'parquet');
    const raw = entry.files.filter((f) => f.format !== 'parquet');
    const units: ReadUnit[] = parquet.map((f) => ({
      path: f.path,
      rows: f.rows,
      open: () => this.ctx.decoder.open(this.ctx.lakeUrl + f.path, f.bytes, f.rowGroups),
    }));
    if (raw.length > 0) {
      units.push({
        path: raw.length === 1 ? raw[0].path : `${raw.length} raw files under ${commonFolder(raw)}`,
        rows: raw.reduce((n, f) => n + f.rows, 0),
        open: () =>
          this.rawDecoder.open(
            raw.map((f) => ({ ...f, url: this.ctx.lakeUrl + f.path })),
            storedColumns(entry),
          ),
      });
    }
    return units;
  }

  /** Reads one unit chunk by chunk; `plan` decides, once it is open, which columns go where. */
  private async readFile(
    entry: TableEntry,
    unit: ReadUnit,
    shouldStop: () => EngineFailure | undefined,
    plan: (source: ParquetSource) => Promise<{ columns: string[]; take: (ipc: Uint8Array) => Promise<void> }>,
    onRows: (rows: number) => void = () => {},
  ): Promise<void> {
    const named = (e: unknown) => loadError(entry.name, e instanceof RawFileError ? e.path : unit.path, e);
    const source = await unit.open().catch((e) => {
      throw named(e);
    });
    try {
      const { columns, take } = await plan(source);
      const missing = columns.filter((c) => source.columnIndex(c) < 0);
      if (missing.length > 0) throw new ParquetReadError(`it has no column ${missing.join(', ')}`);
      const chunks = source.rowGroups
        ? chunkRowGroups(source.rowGroups, this.ctx.chunkRows ?? DEFAULT_CHUNK_ROWS)
        : [undefined];
      const read = (i: number) => {
        const pending = source.read(chunks[i], columns);
        // A read fetched ahead may be abandoned when the load stops; its failure is then nobody's concern.
        pending.catch(() => undefined);
        return pending;
      };
      // While one chunk is inserted, the next ones are fetched and decoded (in the decode worker, the
      // fetch of one overlaps the decoding of the other).
      const inFlight: Promise<Uint8Array>[] = [];
      let asked = 0;
      const askAhead = () => {
        while (asked < chunks.length && inFlight.length < READS_IN_FLIGHT) inFlight.push(read(asked++));
      };
      askAhead();
      let decoded = 0;
      for (let i = 0; i < chunks.length; i++) {
        const ipc = await inFlight.shift()!;
        const stop = shouldStop();
        if (stop) throw stop;
        askAhead();
        decoded += ipcRows(ipc);
        await take(ipc);
        const group = chunks[i];
        onRows(
          group && source.rowGroups ? group.reduce((n, g) => n + (source.rowGroups?.[g] ?? 0), 0) : unit.rows,
        );
      }
      // A decoder that silently drops or invents rows must not leave a table that looks complete.
      if (decoded + (source.rowsLeftOut ?? 0) !== unit.rows)
        throw new ParquetReadError(`it decoded to ${decoded} rows but the catalog lists ${unit.rows}`);
    } catch (e) {
      throw named(e);
    } finally {
      source.close();
    }
  }

  private entryOf(table: string): TableEntry {
    return (
      this.ctx.manifest.tables.find((t) => t.name === table) ??
      fail('LOAD', `The lake catalog has no table ${table}.`)
    );
  }
}

/**
 * The view columns to load for a need. A table filtered through other tables is always read whole, so that
 * the rows of every read come through the same filter in the same order. A statement that names no column
 * (`count(*)`) still needs the rows: the first column carries them.
 */
function wantedColumns(access: TableAccess, columns: readonly string[] | 'all'): string[] {
  const names = access.columns.map((c) => c.name);
  if (columns === 'all' || access.filterSources?.length) return names;
  const wanted = names.filter((n) => columns.includes(n));
  return wanted.length > 0 ? wanted : names.slice(0, 1);
}

function storedColumns(entry: TableEntry): string[] {
  return entry.columns.map((c) => c.name);
}

/** The stored columns the view's expressions and filter read. */
function columnsFor(access: TableAccess, entry: TableEntry, staging: DuckSession): string[] {
  const texts = [...access.columns.map((c) => c.expr), access.rowFilter ?? ''];
  const read = columnsReferenced(texts, storedColumns(entry), (s) => staging.tokenize(s));
  // Columns that are all masked to constants still come with their rows: read the first stored column.
  return read.length > 0 ? read : storedColumns(entry).slice(0, 1);
}

function commonFolder(files: readonly { path: string }[]): string {
  const parts = files.map((f) => f.path.split('/').slice(0, -1));
  const shared: string[] = [];
  for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0][i]); i++) shared.push(parts[0][i]);
  return `${shared.join('/')}/`;
}

function loadError(table: string, path: string, e: unknown): EngineFailure {
  if (e instanceof EngineFailure) return e;
  const reason = e instanceof ParquetReadError ? e.message : toEngineError(e).message;
  return new EngineFailure({
    code: 'LOAD',
    message: `Could not load table ${table} from ${path}: ${reason}`,
    hint: 'The file may be damaged or missing; ask the lake owner to rebuild it. Other tables still work.',
  });
}
