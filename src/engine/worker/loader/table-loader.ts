import type { Manifest, TableEntry } from '../../../lake/manifest';
import type { RoleView, TableAccess } from '../../../gov/types';
import { roleSelectSql } from '../../../gov/role-view';
import { quoteIdent } from '../../../gov/sql-text';
import type { DuckSession } from '../core/duck-session';
import { EngineFailure, fail } from '../../errors';
import type { LoadProgress } from '../../../contract/results';
import {
  ADDED_COLUMNS_TABLE,
  createAddedColumnsTable,
  mergeAddedColumns,
  onlyColumns,
  padWithNulls,
  withNullColumns,
} from './column-merge';
import { columnsReferenced } from './column-references';
import { readUnit, unitsOf, type ReadPlan, type ReadUnit } from './file-reader';
import { holdsEverything, missingGroups, rowsOf, segments, WHOLE_FILE, type GroupRef } from './held-rows';
import { isPassThrough, needsStaging } from './load-plan';
import { createStubTables } from './stub-tables';
import type { ParquetDecoder, ParquetSource } from './parquet-decoder';
import type { RowGroupStats } from './parquet-footer';
import { rawEventDecoder, type RawDecoder } from './raw-decoder';
import { columnsFor, storedColumns, wantedColumns } from './view-columns';
import { appendAddedRows, createAddedRowsTable, ADDED_ROWS_TABLE } from './row-append';
import { groupsNeeded, type RowNeed } from './scan-filters';

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

/** Which rows a read covers: those a need reads (told per file once it is open), or exactly these groups. */
type Selection = { need: readonly RowNeed[] } | { refs: readonly GroupRef[] };

/** Columns of one view table a statement reads; `all` when it may read columns it does not name. */
export interface TableNeed {
  table: string;
  columns: readonly string[] | 'all';
  /** The rows it reads: those every one of these needs reads (see `groupsNeeded`); all when absent. */
  rows?: readonly RowNeed[];
}

/**
 * Puts the role's view of the lake into the user instance: empty typed tables at start, so that EXPLAIN
 * and the guard can bind any statement, then the columns and row groups a statement reads the first time
 * one does. Columns not loaded yet are NULL and rows not loaded yet are absent: the engine asks for every
 * column and row group a statement may read before running it.
 */
export class TableLoader {
  /** View columns held per table; a table absent here is an empty stub. */
  private readonly loaded = new Map<string, Set<string>>();
  /** Row groups held, in insert order, of tables that hold some of their rows only. */
  private readonly held = new Map<string, GroupRef[]>();
  /** Row-group statistics of the files opened so far; absent for a file without them. */
  private readonly stats = new Map<string, RowGroupStats[]>();
  /** Tables the staging instance holds in full (as row-filter sources), with the columns it holds. */
  private readonly stagedInFull = new Map<string, Set<string>>();

  private readonly rawDecoder: RawDecoder;
  private loads = 0;

  constructor(private readonly ctx: LoaderContext) {
    this.rawDecoder = ctx.rawDecoder ?? rawEventDecoder();
  }

  /** Returns one line per table that could not be created (it then stays absent, like a denied table). */
  createStubs(): string[] {
    return createStubTables(this.ctx.user, this.ctx.view.tables);
  }

  /** Changes whenever data is loaded, so that what was decided on the data before can be told apart. */
  get generation(): number {
    return this.loads;
  }

  /** True when every column and every row of the table is loaded. */
  isLoaded(table: string): boolean {
    return this.missing({ table, columns: 'all' }).length === 0 && !this.held.has(table);
  }

  /** The view columns a need asks for that are not loaded yet (none for a table outside the view). */
  missing(need: TableNeed): string[] {
    const access = this.ctx.view.tables.find((t) => t.table === need.table);
    if (!access) return [];
    const have = this.loaded.get(need.table);
    return wantedColumns(access, need.columns, have).filter((c) => !have?.has(c));
  }

  /** True when which rows a statement reads decides what is loaded: the table holds none or some of them. */
  rowsMatter(table: string): boolean {
    return !this.loaded.has(table) || this.held.has(table);
  }

  /** True when the table holds some of its rows, not all. */
  holdsSomeRows(table: string): boolean {
    return this.held.has(table);
  }

  /** True when the table holds some of its rows and the need reads a row group it does not hold. */
  missingRows(need: TableNeed): boolean {
    const held = this.held.get(need.table);
    return held !== undefined && this.groupsToAdd(need, held).length > 0;
  }

  /**
   * Loads what the needs ask for that is not loaded yet (a bare name asks for every column and row).
   * `shouldStop` is asked between chunks; a stopped or failed load leaves the table as it was before.
   */
  async ensureLoaded(
    needs: readonly (string | TableNeed)[],
    report: (p: LoadProgress) => void,
    shouldStop: () => EngineFailure | undefined = () => undefined,
  ): Promise<void> {
    for (const n of needs) {
      const need: TableNeed = typeof n === 'string' ? { table: n, columns: 'all' } : n;
      const access = this.ctx.view.tables.find((t) => t.table === need.table);
      if (!access) continue;
      const have = this.loaded.get(access.table);
      if (!have) {
        await this.loadFirst(access, need, report, shouldStop);
        continue;
      }
      const held = this.held.get(access.table);
      if (held) await this.appendRows(access, have, held, this.groupsToAdd(need, held), report, shouldStop);
      const columns = this.missing(need);
      if (columns.length === 0) continue;
      const added = new Set(columns);
      createAddedColumnsTable(this.ctx.user, onlyColumns(access, added));
      try {
        const rows = this.held.get(access.table);
        await this.load(
          access,
          added,
          ADDED_COLUMNS_TABLE,
          true,
          rows ? { refs: rows } : { need: [] },
          report,
          shouldStop,
        );
        mergeAddedColumns(this.ctx.user, access, added);
      } catch (e) {
        this.ctx.user.query(`DROP TABLE IF EXISTS ${quoteIdent(ADDED_COLUMNS_TABLE)}`);
        throw e;
      }
      this.loaded.set(access.table, new Set([...have, ...columns]));
      this.loads += 1;
    }
  }

  /** The first load of a table: its columns asked for, of the row groups the need reads. */
  private async loadFirst(
    access: TableAccess,
    need: TableNeed,
    report: (p: LoadProgress) => void,
    shouldStop: () => EngineFailure | undefined,
  ): Promise<void> {
    const columns = this.missing(need);
    if (columns.length === 0) return;
    // Rows filtered through other tables, and raw files, are read whole (see `wantedColumns`).
    const rows = access.filterSources?.length ? [] : (need.rows ?? []);
    let refs: GroupRef[];
    try {
      refs = await this.load(
        access,
        new Set(columns),
        access.table,
        false,
        { need: rows },
        report,
        shouldStop,
      );
    } catch (e) {
      this.ctx.user.query(`DELETE FROM ${quoteIdent(access.table)}`);
      throw e;
    }
    this.loaded.set(access.table, new Set(columns));
    const entry = this.entryOf(access.table);
    const whole = rows.length === 0 || holdsEverything(entry.files, this.statsOf, refs);
    if (!whole) this.held.set(access.table, refs);
    this.loads += 1;
  }

  /** Adds row groups to a table holding some of its rows, with the columns it holds; all or nothing. */
  private async appendRows(
    access: TableAccess,
    have: ReadonlySet<string>,
    held: GroupRef[],
    add: GroupRef[],
    report: (p: LoadProgress) => void,
    shouldStop: () => EngineFailure | undefined,
  ): Promise<void> {
    if (add.length === 0) return;
    createAddedRowsTable(this.ctx.user, access);
    try {
      await this.load(access, have, ADDED_ROWS_TABLE, false, { refs: add }, report, shouldStop);
      appendAddedRows(this.ctx.user, access);
    } finally {
      this.ctx.user.query(`DROP TABLE IF EXISTS ${quoteIdent(ADDED_ROWS_TABLE)}`);
    }
    const refs = [...held, ...add];
    const entry = this.entryOf(access.table);
    if (holdsEverything(entry.files, this.statsOf, refs)) this.held.delete(access.table);
    else this.held.set(access.table, refs);
    this.loads += 1;
  }

  private groupsToAdd(need: TableNeed, held: readonly GroupRef[]): GroupRef[] {
    const entry = this.entryOf(need.table);
    return missingGroups(entry.files, this.statsOf, need.rows ?? [], held);
  }

  private readonly statsOf = (path: string) => this.stats.get(path);

  /**
   * Reads `columns` of the view into `target`: the table itself or the table gathering rows added to it
   * (the other columns NULL), or the table gathering columns added to a loaded table (`adding`: those
   * columns only). Returns the row groups read, in order.
   */
  private async load(
    access: TableAccess,
    columns: ReadonlySet<string>,
    target: string,
    adding: boolean,
    selection: Selection,
    report: (p: LoadProgress) => void,
    shouldStop: () => EngineFailure | undefined,
  ): Promise<GroupRef[]> {
    const shaped = adding ? onlyColumns(access, columns) : withNullColumns(access, columns);
    const entry = this.entryOf(access.table);
    const total = 'refs' in selection ? rowsOf(selection.refs, this.statsOf, entry.files) : entry.rowCount;
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
    const onRows = (rows: number) => {
      done += rows;
      progress();
    };

    const staging = needsStaging(access) ? await this.ctx.staging() : undefined;
    if (staging && access.filterSources?.length) {
      for (const source of access.filterSources) {
        const entry = this.entryOf(source);
        // The row filter and linked small-cell suppression (in the column expressions) read other tables.
        const texts = [access.rowFilter ?? '', ...access.columns.map((c) => c.expr)];
        const cols = columnsReferenced(texts, storedColumns(entry), (s) => staging.tokenize(s));
        const own = source === access.table ? columnsFor(shaped, entry, staging) : [];
        await this.stageInFull(staging, entry, [...new Set([...cols, ...own])], shouldStop);
      }
    }
    const full = this.stagedInFull.get(access.table);
    // The staged copy holds every row: right for a whole read, never for row groups added to a table.
    const whole = !('refs' in selection);
    if (staging && full && whole && columnsFor(shaped, entry, staging).every((c) => full.has(c))) {
      this.ctx.user.insertIpc(target, await staging.run(roleSelectSql(shaped)), false);
      onRows(total);
      return entry.files.map((f) => ({ path: f.path, group: WHOLE_FILE }));
    }
    if (staging && full) this.dropStaged(staging, access.table);

    const plan = async (source: ParquetSource): Promise<ReadPlan> => {
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
    };
    const units = this.units(entry);
    const read: GroupRef[] = [];
    const readOf = async (unit: ReadUnit, pick: (source: ParquetSource) => number[] | undefined) => {
      let picked: number[] | undefined;
      await readUnit(entry.name, unit, {
        chunkRows: this.ctx.chunkRows ?? DEFAULT_CHUNK_ROWS,
        shouldStop,
        plan,
        onRows,
        pick: (source) => {
          if (source.stats) this.stats.set(unit.path, source.stats);
          picked = pick(source);
          return picked;
        },
      });
      const groups = picked ?? [WHOLE_FILE];
      read.push(...groups.map((group) => ({ path: unit.path, group })));
      return picked;
    };
    if ('refs' in selection) {
      for (const { path, groups } of segments(selection.refs)) {
        const unit =
          units.find((u) => u.path === path) ?? fail('LOAD', `The lake catalog has no file ${path}.`);
        await readOf(unit, () => (groups.includes(WHOLE_FILE) ? undefined : groups));
      }
      return read;
    }
    const rows = selection.need;
    for (const unit of units) {
      // Only Parquet files with statistics can be read in part; the others are read whole.
      const picked = await readOf(unit, (source) =>
        unit.parquet && source.stats ? groupsNeeded(rows, source.stats) : undefined,
      );
      if (picked)
        onRows(unit.rows - picked.reduce((n, g) => n + (this.stats.get(unit.path)?.[g]?.rows ?? 0), 0));
    }
    return read;
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
    for (const unit of this.units(entry)) {
      await readUnit(entry.name, unit, {
        chunkRows: this.ctx.chunkRows ?? DEFAULT_CHUNK_ROWS,
        shouldStop,
        plan: async () => ({
          columns: wanted,
          take: async (ipc) => {
            staging.insertIpc(entry.name, ipc, create);
            create = false;
          },
        }),
      });
    }
    this.stagedInFull.set(entry.name, new Set(wanted));
  }

  private dropStaged(staging: DuckSession, table: string): void {
    staging.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
    this.stagedInFull.delete(table);
  }

  private units(entry: TableEntry): ReadUnit[] {
    return unitsOf(entry, this.ctx.lakeUrl, this.ctx.decoder, this.rawDecoder);
  }

  private entryOf(table: string): TableEntry {
    return (
      this.ctx.manifest.tables.find((t) => t.name === table) ??
      fail('LOAD', `The lake catalog has no table ${table}.`)
    );
  }
}
