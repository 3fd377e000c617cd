import { columnTags, tierOf, type Manifest } from '../lake/manifest';
import { AUDIT_TABLE, type RoleView } from './types';

/**
 * Denial texts. Each names the rule, the object and what to do, in words an analyst can act on.
 * DuckDB's errors are mapped back to the catalog here: the user instance does not hold what the role may
 * not see, so DuckDB says "does not exist" where the honest answer is "not for you".
 */

export type DenialCode = 'DENIED' | 'SYNTAX' | 'BINDER';

export interface Denial {
  code: DenialCode;
  /** Short rule id of the guard, stable for tests and audit: `read-only`, `table-grant`, `column-grant`, … */
  rule: string;
  /** The policy rule behind the denial, as the policy file names it (see `refusals.ts`). */
  policyRule?: string;
  reason: string;
  /** Catalog objects named by the denial (`table` or `table.column`). */
  objects: string[];
}

/** For a view built without refusals: the steward curates the policy. */
const ASK = 'Ask a DataSteward for access.';

const whoMay = (roles: string[]) => roles.join(', ');

export function tableDenial(view: RoleView, manifest: Manifest, table: string): Denial {
  const entry = manifest.tables.find((t) => t.name === table);
  const tier = entry ? tierOf(entry.tags) : 'PHI';
  const denied = `${view.session.role} may not read table ${table} (${tier})`;
  const refusal = view.refused?.[table];
  const base: Omit<Denial, 'reason'> = { code: 'DENIED', rule: 'table-grant', objects: [table] };
  if (!refusal) return { ...base, reason: `${denied}. ${ASK}` };
  const ask =
    refusal.roles.length > 0
      ? `Ask for a role that may read it: ${whoMay(refusal.roles)}.`
      : 'No role in the policy may read it.';
  return { ...base, policyRule: refusal.rule, reason: `${denied}: ${refusal.rule}. ${ask}` };
}

/**
 * Why a lake table the role may not read is kept from it, or undefined for a table it may read or that the
 * lake does not have: for errors in which DuckDB says "does not exist" of a table this role's instance lacks.
 */
export function withheldTable(view: RoleView, manifest: Manifest): (table: string) => string | undefined {
  return (table) =>
    manifest.tables.some((t) => t.name === table) && !view.tables.some((t) => t.table === table)
      ? tableDenial(view, manifest, table).reason
      : undefined;
}

/** The audit log is readable only with the readAudit permission; other roles are told so, by name. */
export function auditLogDenial(view: RoleView): Denial {
  const refusal = view.refused?.[AUDIT_TABLE];
  const ask = refusal
    ? `Ask for a role with that permission: ${whoMay(refusal.roles)}.`
    : 'Ask an Auditor or an Admin.';
  return {
    code: 'DENIED',
    rule: 'audit-permission',
    policyRule: 'permission readAudit',
    reason: `${view.session.role} may not read table ${AUDIT_TABLE} (permission readAudit). ${ask}`,
    objects: [AUDIT_TABLE],
  };
}

export function columnDenial(view: RoleView, manifest: Manifest, table: string, column: string): Denial {
  const entry = manifest.tables.find((t) => t.name === table);
  const col = entry?.columns.find((c) => c.name === column);
  const tier = entry && col ? tierOf(columnTags(entry, col)) : 'PHI';
  const denied = `${view.session.role} may not read column ${table}.${column} (${tier})`;
  const refusal = view.refused?.[`${table}.${column}`];
  const base: Omit<Denial, 'reason'> = {
    code: 'DENIED',
    rule: 'column-grant',
    objects: [`${table}.${column}`],
  };
  if (!refusal) return { ...base, reason: `${denied}. ${ASK}` };
  const ask =
    refusal.roles.length > 0
      ? `Leave the column out, or ask for a role that may read it: ${whoMay(refusal.roles)}.`
      : 'Leave the column out; no role in the policy may read it.';
  return { ...base, policyRule: refusal.rule, reason: `${denied}: ${refusal.rule}. ${ask}` };
}

export function statementKindDenial(view: RoleView, keyword: string): Denial {
  return {
    code: 'DENIED',
    rule: 'read-only',
    reason: `${view.session.role} may only run queries in a cell (SELECT, FROM, WITH, VALUES, PIVOT, UNPIVOT, DESCRIBE, SUMMARIZE); a ${keyword.toUpperCase()} statement is refused. Settings, files and database objects are managed by the app.`,
    objects: [],
  };
}

const FUNCTION_HINT =
  'Query the lake tables instead; range, generate_series, unnest and repeat are available.';

export function tableFunctionDenial(fn: string): Denial {
  const lower = fn.toLowerCase();
  if (lower.startsWith('duckdb_') || lower.startsWith('pragma_')) {
    return {
      code: 'DENIED',
      rule: 'introspection',
      reason: `Catalog function ${lower} is not available in cells. The catalog panel shows the tables and columns your role may read.`,
      objects: [],
    };
  }
  return {
    code: 'DENIED',
    rule: 'table-function',
    reason: `Table function ${lower} is not allowed in cells. ${FUNCTION_HINT}`,
    objects: [],
  };
}

export function operatorDenial(operator: string): Denial {
  return {
    code: 'DENIED',
    rule: 'plan-operator',
    reason: `The query would use ${operator}, which reads or changes something outside the lake tables; cells may only read the tables of your role.`,
    objects: [],
  };
}

export function scalarFunctionDenial(fn: string): Denial {
  return {
    code: 'DENIED',
    rule: 'variables-and-settings',
    reason: `Function ${fn} is not allowed in cells: variables and settings belong to the app. Put the value in the query or in another cell.`,
    objects: [],
  };
}

export function multiStatementDenial(): Denial {
  return {
    code: 'DENIED',
    rule: 'single-statement',
    reason:
      'DuckDB would run this as several statements, which cannot be checked one by one. For PIVOT, list the values: PIVOT t ON col IN (…) USING ….',
    objects: [],
  };
}

export function fileDenial(): Denial {
  return {
    code: 'DENIED',
    rule: 'file-access',
    reason:
      'Cells cannot read or write files or URLs. The lake tables your role may read are already available by name.',
    objects: [],
  };
}

export function planDenial(detail: string): Denial {
  return { code: 'DENIED', rule: 'plan-check', reason: `${detail} The statement was not run.`, objects: [] };
}

/** `query()`/`query_table()` whose argument is not a literal, or whose text is not one statement. */
export function dynamicSqlDenial(
  fn: string,
  problem: 'not-literal' | 'not-one-statement' | 'too-deep',
): Denial {
  const what = {
    'not-literal':
      fn === 'query'
        ? 'takes its SQL as one plain string literal in a cell, so that the text can be checked before it runs'
        : 'takes table names as plain string literals in a cell',
    'not-one-statement': 'must be given exactly one query',
    'too-deep': 'may be nested only a few levels deep',
  }[problem];
  return {
    code: 'DENIED',
    rule: 'dynamic-sql',
    reason: `${fn}() ${what}. Write the query in the cell itself, or put its text in ${fn}('…') as written.`,
    objects: [],
  };
}
