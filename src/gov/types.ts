import type { MaskKind } from '../lake/manifest';

/**
 * Types shared by the policy evaluator, the guard, the engine loader and the audit log. The policy
 * evaluator turns (policy, catalog, session) into a RoleView; the engine loads exactly that view into
 * the instance that runs user SQL; the guard checks user SQL against it.
 */

export const ROLES = ['DataAnalyst', 'Clinician', 'Auditor', 'DataSteward', 'Admin', 'Public'] as const;
export type RoleName = string;

export interface Session {
  user: string;
  role: RoleName;
  /** User attributes that row filters may use, e.g. `{ wards: ['ICU', 'MED'] }`. */
  attributes: Record<string, string | string[]>;
}

export type { MaskKind };

export interface ColumnAccess {
  name: string;
  /** DuckDB type of the value the role sees (a mask may change it, e.g. hash gives VARCHAR). */
  type: string;
  tags: string[];
  mask?: MaskKind;
  /** SQL expression over the stored table's columns that yields what the role sees. */
  expr: string;
}

export interface TableAccess {
  table: string;
  tags: string[];
  columns: ColumnAccess[];
  /** SQL predicate over the stored table's columns; rows outside it never reach the role's instance. */
  rowFilter?: string;
  /** Human-readable names of the policy rules that produced the masks and the filter (for audit). */
  rules: string[];
  /** Aggregate-only access: groups under `minGroupSize` come back suppressed. */
  aggregateOnly?: { minGroupSize: number; countColumn?: string };
  /**
   * Other stored tables the row filter reads (e.g. a ward filter on patients that looks at transfers).
   * The loader must have them in its trusted instance when it applies the filter.
   */
  filterSources?: string[];
}

/** Why a catalog table or column is not in a role's view, for the denial that names it. */
export interface Refusal {
  /** The policy rule as a person finds it in the policy file, e.g. `deny rule "direct identifiers" of role DataAnalyst`. */
  rule: string;
  /** The other roles of the policy that may read it, in the file's order. */
  roles: string[];
}

/** What one session may see: only the tables listed here exist in its engine instance. */
export interface RoleView {
  session: Session;
  tables: TableAccess[];
  /** Permissions that are not about reading data. */
  can: { changeTags: boolean; readAudit: boolean; exportPhi: boolean };
  /**
   * Keyed by catalog table (or `table.column` for a hidden column of a visible table, or `audit_log` without
   * readAudit): the policy rule that keeps it out of the view. Names only; nothing here widens access.
   */
  refused?: Record<string, Refusal>;
  /** Policy lines that did not apply cleanly (unknown tables or columns, masks that fell back to null). */
  warnings?: string[];
}

/** The table under which roles that may read the audit log (`can.readAudit`) query it. */
export const AUDIT_TABLE = 'audit_log';
