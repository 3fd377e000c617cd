/**
 * What the notebook store needs from an engine. Every engine implements it: the browser's (EngineClient,
 * talking to its worker) and a server's; tests of the store use a fake. Nothing above this interface knows
 * about workers or DuckDB.
 */
import type { RoleView, Session } from '../gov/types';
import type { Manifest } from '../lake/manifest';
import type { AuditExport, AuditStatus, AuditVerification, TagChange } from './governance';
import type { IngestFile, IngestFileReport } from './ingest';
import type { CellSource, EngineError, ExportedFile, LoadProgress, QueryResult } from './results';

export interface EngineInfo {
  /** The SQL the engine speaks (completion and help follow it). */
  dialect: 'duckdb';
  /** Where queries run: in this page's worker, or on a server. */
  runsIn: 'browser' | 'server';
  /**
   * True when this engine is the authority on the policy (a server: the user cannot reach around it). In the
   * browser the check is the second wall: the first is that the page only ever receives its role's folder.
   */
  enforcesPolicy: boolean;
  version: string;
  /** DuckDB's threads for the role's queries. */
  threads: number;
  view: RoleView;
  manifest: Manifest;
  /** Whether the audit log persists in this browser (absent from engines without one). */
  audit?: AuditStatus;
}

/** Governance requests; the engine checks the role's permission for each and records it. */
export interface GovernanceApi {
  /** Changes a table's or column's tags; resolves with the rebuilt view (from the next query on). */
  changeTags(change: TagChange): Promise<EngineInfo>;
  verifyAudit(): Promise<AuditVerification>;
  exportAudit(): Promise<AuditExport>;
}

/** The browser's own lake zones: files dropped here, kept in this browser until erased. */
export interface LocalDataApi {
  /** Validates and adds the files; resolves with a report per file and the rebuilt view. */
  ingest(files: IngestFile[]): Promise<EngineInfo & { reports: IngestFileReport[] }>;
  /** Forgets every dropped file and its tables; resolves with the rebuilt view. */
  erase(): Promise<EngineInfo>;
}

/** Results written as files by the engine, under the same guard and budgets as queries. */
export interface ExportApi {
  /** Runs the statement again and resolves with its whole result as Parquet (PHI only for exportPhi). */
  exportParquet(sql: string, cells: CellSource[], options?: QueryOptions): Promise<ExportedFile>;
}

export interface QueryOptions {
  /** Rows kept in the result; more are cut and the result is marked truncated. */
  maxRows?: number;
  /** Cancel the statement when it runs longer than this. */
  timeoutMs?: number;
  /** Cut the result once its Arrow IPC bytes would pass this (the memory budget). */
  maxBytes?: number;
  /**
   * A query for a drawing (a chart) rather than one a person is waiting on at a cell: an engine that runs
   * one statement at a time serves it after the others, even those asked later.
   */
  background?: boolean;
  /**
   * Only the result's columns are wanted (a chart learning its source's columns): the answer has no rows,
   * and a browser engine need not load any data for it.
   */
  columnsOnly?: boolean;
}

/** What a chart may ask of a query beyond its SQL; every chart query is asked in the background. */
export type ChartQueryOptions = Pick<QueryOptions, 'columnsOnly'>;

export interface RunningQuery {
  /** Settles with the result, or rejects with an EngineError (code CANCELLED after `cancel()`). */
  result: Promise<QueryResult>;
  cancel(): void;
}

export type EngineEvent =
  | { kind: 'progress'; progress: LoadProgress }
  /** The worker died; the connector has started a new one and reloaded the role's data. */
  | { kind: 'restarted'; error: EngineError; info: EngineInfo };

/**
 * An engine knows where its data is from its construction (the lake's address for the browser's engine, the
 * server's address for the server's): starting it needs only the session.
 */
export interface EngineConnector {
  start(session: Session): Promise<EngineInfo>;
  /** Rebuilds the user instance for another role; the notebook is untouched. */
  setSession(session: Session): Promise<EngineInfo>;
  query(sql: string, cells: CellSource[], options?: QueryOptions): RunningQuery;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  dispose(): void;
  /** Absent when the engine offers no governance requests (e.g. test fakes). */
  governance?: GovernanceApi;
  /** Absent when the engine cannot write result files (e.g. test fakes). */
  exporter?: ExportApi;
  /** Absent when the engine has no local zones (e.g. test fakes). */
  localData?: LocalDataApi;
}
