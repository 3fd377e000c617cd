import type { ExtraTable } from '../core/user-instance';
import type { DuckSession } from '../core/duck-session';

/** What the engine reports about every statement the guard decided on, allowed or denied. */
export interface QueryOutcome {
  /** The cell's SQL as sent. */
  sql: string;
  decision: 'allow' | 'deny';
  /** Why it was denied, or how an allowed statement failed (cancelled, time limit, runtime error). */
  reason?: string;
  objects: string[];
  tags: string[];
  rules: string[];
  /** Rows returned; null when nothing came back. */
  rows: number | null;
  durationMs: number;
}

/**
 * Governance hooks of one role's engine. Tables in `extraTables` get empty stubs before the instance is
 * locked (e.g. `audit_log`); `beforeRun` fills what an allowed statement reads; `record` is awaited before
 * the answer leaves the engine, so no result is shown whose decision is not in the audit log.
 */
export interface RoleEngineHooks {
  extraTables?: ExtraTable[];
  beforeRun?(objects: readonly string[], user: DuckSession): Promise<void>;
  record?(outcome: QueryOutcome): Promise<void>;
}
