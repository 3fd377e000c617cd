/**
 * The one message protocol between the main thread and the engine worker. Both sides import these
 * types; nothing else crosses the boundary. Results cross as Arrow IPC bytes in the transfer list.
 */
import type { RoleView, Session } from '../gov/types';
import type { Manifest } from '../lake/manifest';
import type { AuditExport, AuditStatus, AuditVerification } from './governance/worker-governance';
import type { TagChange } from './governance/tag-overlay';
import type { IngestFile, IngestFileReport } from './ingest/ingest-types';

export type EngineErrorCode =
  | 'SYNTAX' // DuckDB parser error
  | 'BINDER' // unknown table or column, wrong types
  | 'RUNTIME' // the statement failed while running (conversion, out of range, invalid input)
  | 'DENIED' // the guard refused the statement
  | 'CANCELLED'
  | 'TIMEOUT'
  | 'TOO_LARGE' // result over the memory budget
  | 'LOAD' // a lake file could not be fetched or decoded
  | 'POLICY' // the policy file is invalid: the app must stop
  | 'CRASHED' // the worker died
  | 'INTERNAL';

/** Errors are flattened to plain data so they survive structured cloning. */
export interface EngineError {
  code: EngineErrorCode;
  message: string;
  /** What the user can do about it. */
  hint?: string;
  /** DENIED: the guard rule that refused the statement, e.g. `column-grant`, `read-only`, `table-function`. */
  rule?: string;
  /** 1-based position in the cell's SQL when DuckDB reports one. */
  line?: number;
  column?: number;
}

export interface ResultColumn {
  name: string;
  /** DuckDB type name as shown in the grid header. */
  type: string;
}

/**
 * Arrow IPC stream bytes: one array, or the stream's messages in order (schema, record batches, end of
 * stream) as the engine wrote them, which spares a copy of the whole result. `tableFromIPC` reads both.
 */
export type IpcBytes = Uint8Array | Uint8Array[];

export interface QueryResult {
  /** Arrow IPC stream bytes; transferred, not copied. */
  ipc: IpcBytes;
  columns: ResultColumn[];
  rowCount: number;
  /** True when the result was cut at the row budget. */
  truncated: boolean;
  /** Which budget cut it: the row budget or the byte budget (`maxBytes`). */
  truncatedBy?: 'rows' | 'bytes';
  elapsedMs: number;
  /** Time the guard took to decide on the statement (part of `elapsedMs`); the benchmark reports it. */
  guardMs?: number;
  /** True when the statement ran on a decision the guard made earlier for the same statement and data. */
  guardReused?: boolean;
  /** Union of the sensitivity tags of every source the result came from. */
  tags: string[];
  /** Catalog tables and cells the statement read. */
  objects: string[];
  /** Masks and filters the role's view applied to those objects. */
  rules: string[];
}

export interface LoadProgress {
  phase: 'engine' | 'catalog' | 'policy' | 'table';
  /** Table name when phase is 'table'. */
  name?: string;
  done: number;
  total: number;
  message: string;
}

/** A query's whole result written as a file by the worker (see src/engine/export). */
export interface ExportedFile {
  format: 'parquet';
  bytes: Uint8Array;
  rowCount: number;
  /** True when the result was cut at a budget, so the file holds only its first rows. */
  truncated: boolean;
  /** Union of the sensitivity tags of the result's sources. */
  tags: string[];
}

/** A notebook cell visible to other cells as a table of its name. */
export interface CellSource {
  name: string;
  sql: string;
}

export type Request =
  | { kind: 'init'; lakeUrl: string; session: Session }
  | { kind: 'setSession'; session: Session }
  | {
      kind: 'query';
      sql: string;
      cells: CellSource[];
      maxRows?: number;
      timeoutMs?: number;
      /** Memory budget of the result, in bytes of Arrow IPC: a larger result is cut there. */
      maxBytes?: number;
    }
  /**
   * Runs the statement as `query` does (guard, role view, budgets) and answers with the result as a file;
   * a result tagged PHI is refused unless the role may export PHI.
   */
  | {
      kind: 'export';
      format: 'parquet';
      sql: string;
      cells: CellSource[];
      maxRows?: number;
      timeoutMs?: number;
      maxBytes?: number;
    }
  | { kind: 'cancel'; target: number }
  | { kind: 'catalog' }
  | { kind: 'ping' }
  /** Changes a table's or column's tags (roles with changeTags); the user instance is rebuilt. */
  | { kind: 'changeTags'; change: TagChange }
  /** Roles with readAudit: check the audit log's hash chain, or export it as JSONL. */
  | { kind: 'auditVerify' }
  | { kind: 'auditExport' }
  /** Files dropped in the browser: validated into the session's own raw and curated zones, kept until erased. */
  | { kind: 'ingest'; files: IngestFile[] }
  /** Forgets every file dropped in this browser and the tables built from them. */
  | { kind: 'eraseLocal' };

/** What a role's engine is: its version and threads, the role's view and the catalog it was built from. */
export interface EngineStarted {
  version: string;
  /** DuckDB's threads for the role's queries: more than one with the threaded build (README, "Hosting"). */
  threads: number;
  view: RoleView;
  manifest: Manifest;
  audit?: AuditStatus;
}

export type ResponseOf<R extends Request> = R extends {
  kind: 'init' | 'setSession' | 'changeTags' | 'eraseLocal';
}
  ? EngineStarted
  : R extends { kind: 'ingest' }
    ? EngineStarted & { reports: IngestFileReport[] }
    : R extends { kind: 'auditVerify' }
      ? AuditVerification
      : R extends { kind: 'auditExport' }
        ? AuditExport
        : R extends { kind: 'export' }
          ? ExportedFile
          : R extends { kind: 'query' }
            ? QueryResult
            : R extends { kind: 'cancel' }
              ? { cancelled: boolean }
              : R extends { kind: 'catalog' }
                ? { view: RoleView; manifest: Manifest }
                : { ok: true };

/** Main thread → worker. */
export interface RequestEnvelope {
  id: number;
  request: Request;
}

/** Worker → main thread. */
export type WorkerMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: EngineError }
  | { id: number; progress: LoadProgress };
