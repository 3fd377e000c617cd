/** The notebook store's state and actions, shared by its slices and by the UI. */
import type { ChartQueryOptions, EngineConnector, EngineInfo, RunningQuery } from '../contract/connector';
import type { AuditExport, AuditVerification, TagChange } from '../contract/governance';
import type { IngestFile, IngestFileReport } from '../contract/ingest';
import type { CellSource, EngineErrorCode, LoadProgress, QueryResult } from '../contract/results';
import type { StoreApi } from 'zustand/vanilla';
import type { Session } from '../gov/types';
import type { CellKind } from './model/cells';
import type { RestoreResult } from './model/file-format';
import type { NameCheck } from '../contract/cell-names';
import type { DeletedCell, Notebook, RunMode } from './model/notebook';
import type { QueryLimits } from './query-limits';
import type { TabChannel } from './tab-channel';
import type { NotebookStorage, NotebookSummary } from './storage';
import type { ResultCache } from './result-cache';

/** `restored`: the result is the one kept from this cell's last run before the page opened (see result-cache). */
export type RunStatus = 'idle' | 'queued' | 'running' | 'done' | 'error' | 'denied' | 'skipped' | 'restored';

/** Why a cell did not run: a cell it reads (directly or through others) was denied or failed. */
export interface SkipReason {
  cell: string;
  status: 'denied' | 'error';
}

/** An engine error, or one the notebook finds before asking the engine (a cycle between cells). */
export interface CellError {
  code: EngineErrorCode | 'CYCLE';
  message: string;
  hint?: string;
  /** The guard rule that refused the statement. */
  rule?: string;
  line?: number;
  column?: number;
}

export interface SortOrder {
  column: string;
  descending: boolean;
}

export interface CellRun {
  status: RunStatus;
  startedAt?: number;
  elapsedMs?: number;
  result?: QueryResult;
  error?: CellError;
  /** The cell or one of its sources changed since this result was computed. */
  stale: boolean;
  skipped?: SkipReason;
  sort?: SortOrder;
  /** A restored result: when its run finished (milliseconds since the epoch). */
  restoredFrom?: number;
}

/** What runs tell the result cache (see store-result-cache). */
export interface ResultKeeper {
  /** A cell's new result, computed from its SQL and the cells it reads. */
  keep(id: string, sql: string, sources: CellSource[], result: QueryResult, sort?: SortOrder): void;
  /** The cell was refused: a result kept from before must not come back. */
  drop(id: string): void;
}

export type EngineStatus = 'starting' | 'ready' | 'switching' | 'failed';

export interface EngineState {
  status: EngineStatus;
  progress?: LoadProgress;
  info?: EngineInfo;
  error?: CellError;
}

export interface SaveState {
  status: 'saved' | 'pending' | 'failed';
  message?: string;
}

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

export interface StoreDeps {
  connector: EngineConnector;
  storage: NotebookStorage;
  lakeUrl: string;
  session: Session;
  /** Set when the browser refused persistent storage and `storage` only lives in memory. */
  storageProblem?: string;
  saveDelayMs?: number;
  now?: () => number;
  /** Where the query limits are kept between visits (local storage in the browser). */
  settingsStorage?: Pick<Storage, 'getItem' | 'setItem'>;
  /**
   * The notebook a browser with no saved notebook opens (it may be fetched); the welcome notebook when unset or
   * when it cannot be had.
   */
  firstRunNotebook?: () => Notebook | Promise<Notebook>;
  /** Notices of saves between this browser's tabs; none when the browser cannot send them. */
  tabs?: TabChannel;
  /** Where each cell's last result is kept for the next visit; none keeps nothing. */
  resultCache?: ResultCache;
}

export interface NotebookState extends LocalDataActions {
  loaded: boolean;
  notebook: Notebook;
  /**
   * False for a notebook from a link or a file until its reader confirms it: until then none of its cells
   * or charts query, since every query runs in the reader's name.
   */
  trusted: boolean;
  notebooks: NotebookSummary[];
  /** Deleted cells, newest last, for undo. */
  deleted: DeletedCell[];
  runs: Record<string, CellRun>;
  engine: EngineState;
  session: Session;
  save: SaveState;
  activeCellId: string | undefined;
  notice: Notice | undefined;
  /** Time limit and result budget of every query. */
  limits: QueryLimits;
  /** Another tab saved this notebook since this tab read it; set until the user picks a version. */
  conflict: SaveConflictState | undefined;

  init(hash?: string): Promise<void>;
  notify(kind: Notice['kind'], text: string): void;
  dismissNotice(): void;
  setLimits(limits: QueryLimits): void;
  resolveConflict(keep: 'mine' | 'theirs'): Promise<void>;

  setActiveCell(id: string | undefined): void;
  addCell(kind: CellKind, where: 'above' | 'below', refId?: string): string;
  deleteCell(id: string): void;
  undoDelete(): void;
  moveCell(id: string, delta: number): void;
  duplicateCell(id: string): void;
  updateSql(id: string, sql: string): void;
  updateMarkdown(id: string, text: string): void;
  /** Shows or hides a Markdown cell in the notebook's read-only view. */
  publishMarkdown(id: string, published: boolean): void;
  updateChart(id: string, config: Record<string, unknown>): void;
  renameCell(id: string, name: string): NameCheck;
  /** Rewrites the cells that read a cell named `from` to read `to`; returns how many changed. */
  updateReferences(from: string, to: string): number;
  setTitle(title: string): void;
  setRunMode(mode: RunMode): void;

  newNotebook(): Promise<void>;
  openNotebook(id: string): Promise<void>;
  deleteNotebook(id: string): Promise<void>;
  importNotebook(text: string): Promise<RestoreResult>;
  importShared(hash: string): Promise<RestoreResult>;
  /** The reader confirms that this notebook may query in their name; kept with the stored notebook. */
  trustNotebook(): Promise<void>;
  flushSave(): Promise<void>;

  startEngine(): Promise<void>;
  /** Rebuilds the engine's data for another user or role; results computed before are dropped. */
  switchSession(session: Session): Promise<void>;
  runCell(id: string): Promise<void>;
  /** Runs the cell and makes the next one active (adding a SQL cell at the end); returns the next id. */
  runAndAdvance(id: string): string;
  runAll(): Promise<void>;
  runAbove(id: string): Promise<void>;
  cancelCell(id: string): void;
  /** Stops every running cell and chart query, and drops the cells waiting their turn. */
  cancelAll(): void;
  /**
   * A chart's query, through the same engine, limits and role as the cells: stopped by Stop and by a role
   * switch, and never answering with data of a role the page no longer has.
   */
  queryForChart(sql: string, cells: CellSource[], options?: ChartQueryOptions): RunningQuery;
  sortResult(id: string, sort: SortOrder | undefined): Promise<void>;
  /** The cell's result as a file to download (CSV from the result shown, Parquet from the engine). */
  exportResult(id: string, format: ResultFormat): Promise<ResultFile>;

  /** Roles with changeTags: resolves true once the engine serves the new tags. */
  changeTags(change: TagChange): Promise<boolean>;
  /** Roles with readAudit; undefined (with a notice) when refused or failed. */
  verifyAudit(): Promise<AuditVerification | undefined>;
  exportAudit(): Promise<AuditExport | undefined>;
}

export type SetState = (
  partial: Partial<NotebookState> | ((s: NotebookState) => Partial<NotebookState>),
) => void;
export type GetState = () => NotebookState;

/** Every table name a cell must not hide: the role's tables and the whole catalog's. */
export function catalogTableNames(state: Pick<NotebookState, 'engine'>): string[] {
  const info = state.engine.info;
  if (!info) return [];
  return [...new Set([...info.view.tables.map((t) => t.table), ...info.manifest.tables.map((t) => t.name)])];
}

export interface SaveConflictState {
  /** What the other tab saved; undefined when it cannot be read (only this tab's version can be kept). */
  theirs?: Notebook;
  /** The stored revision the other tab's version has. */
  revision: number;
}

export interface LocalDataActions {
  /** Validates and adds dropped files; resolves with a report per file, undefined when the engine failed. */
  ingestFiles(files: IngestFile[]): Promise<IngestFileReport[] | undefined>;
  /** Forgets every dropped file and its tables; resolves true once the engine no longer has them. */
  eraseLocalData(): Promise<boolean>;
}

export type ResultFormat = 'csv' | 'parquet';

export type ResultFile =
  | {
      ok: true;
      fileName: string;
      parts: BlobPart[];
      type: string;
      /** Said to the user with the download, e.g. that only the first rows are in it. */
      note?: string;
    }
  | { ok: false; message: string };

export type NotebookStore = StoreApi<NotebookState>;
