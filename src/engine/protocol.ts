/**
 * The one message protocol between the main thread and the engine worker. Both sides import these
 * types; nothing else crosses the boundary. Results cross as Arrow IPC bytes in the transfer list.
 */
import type { RoleView, Session } from '../gov/types';
import type { Manifest } from '../lake/manifest';
import type { EngineInfo } from '../contract/connector';
import type { AuditExport, AuditVerification, TagChange } from '../contract/governance';
import type { IngestFile, IngestFileReport } from '../contract/ingest';
import type { CellSource, EngineError, ExportedFile, LoadProgress, QueryResult } from '../contract/results';

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
      /** Asked for a drawing that can wait (a chart): served after any request asked without it. */
      background?: boolean;
      /** Only the result's columns: answered with no rows, from the tables' types, loading no data. */
      columnsOnly?: boolean;
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

/** What a role's engine is: the same `EngineInfo` every engine gives the notebook store. */
export type EngineStarted = EngineInfo;

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
