import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import type { RoleView } from '../../../gov/types';
import { checkedTypeName, quoteIdent } from '../../../gov/sql-text';
import { DuckSession } from './duck-session';
import { createEverydayFunctions } from './everyday-functions';

/**
 * The instance that runs user SQL: one empty typed table per table of the role's view (so the guard's
 * EXPLAIN can bind before any data is loaded), then locked down. Tables and columns the role may not see
 * are never created, so no statement can name them. Used by the engine worker and by the guard CLI.
 */

/** `CREATE TABLE` of the empty stub of one view table; column types come from the view, checked first. */
export function stubTableSql(table: string, columns: { name: string; type: string }[]): string {
  const cols = columns.map((c) => `${quoteIdent(c.name)} ${checkedTypeName(c.type)}`).join(', ');
  return `CREATE TABLE ${quoteIdent(table)} (${cols})`;
}

export interface ExtraTable {
  name: string;
  columns: { name: string; type: string }[];
}

/** Creates the stubs on a fresh, not yet locked session (trusted path). */
export function createStubTables(session: DuckSession, view: RoleView, extra: ExtraTable[] = []): void {
  for (const t of view.tables) session.query(stubTableSql(t.table, t.columns));
  for (const t of extra) session.query(stubTableSql(t.name, t.columns));
}

/** A locked-down user instance holding the role's empty stubs; data is appended later with `insertIpc`. */
export function createUserSession(
  bindings: DuckDBBindings,
  view: RoleView,
  extra: ExtraTable[] = [],
): DuckSession {
  const session = new DuckSession(bindings);
  createStubTables(session, view, extra);
  createEverydayFunctions(session);
  session.lockDown();
  return session;
}
