import type { Manifest } from '../lake/manifest';
import { auditLogDenial, columnDenial, tableDenial, tableFunctionDenial, type Denial } from './denials';
import { missingExtensionReason } from './missing-extension';
import { identifierName, TOKEN, type StatementText } from './statements';
import { AUDIT_TABLE, type RoleView } from './types';

/**
 * Turns DuckDB's error for a statement the guard planned into a decision. When DuckDB says a table or
 * column does not exist but the catalog has it, the role's view hid it: the user gets a denial that names
 * the object and the rule instead of a misleading "does not exist". This reads DuckDB's messages, not the
 * user's SQL.
 */

/** DuckDB-WASM reports some errors as JSON `{exception_type, exception_message}`. */
export function engineMessage(raw: string): string {
  try {
    const parsed = JSON.parse(raw) as { exception_type?: unknown; exception_message?: unknown };
    if (typeof parsed.exception_type === 'string' && typeof parsed.exception_message === 'string') {
      return `${parsed.exception_type} Error: ${parsed.exception_message}`;
    }
  } catch {
    // Plain text already.
  }
  return raw;
}

const MISSING_TABLE = /^Catalog Error: Table with name "?([^"\s!]+)"? does not exist/;
const MISSING_FUNCTION =
  /^Catalog Error: Table Function with name "?([^"\s!]+)"? (?:does not exist|is not in the catalog)/;
const MISSING_COLUMN = [
  /^Binder Error: Referenced column "([^"]+)" not found/,
  /^Binder Error: Table "[^"]+" does not have a column named "([^"]+)"/,
  /^Binder Error: Column "([^"]+)" does not exist/,
];

/**
 * Catalog tables a statement names (by DuckDB's tokens), in the order it names them: DuckDB reports a
 * missing join column for the left side first, so the first named table holding it is the one DuckDB meant.
 * A cell reference could reach any table.
 */
function namedTables(manifest: Manifest, cells: string[], s: StatementText): string[] {
  const words = s.tokens
    .filter((t) => t.type === TOKEN.IDENTIFIER || t.type === TOKEN.KEYWORD)
    .map(identifierName);
  const all = manifest.tables.map((t) => t.name);
  if (cells.some((c) => words.includes(c.toLowerCase()))) return all;
  const named = [...new Set(words)].filter((w) => all.includes(w));
  return named.length > 0 ? named : all;
}

function hiddenColumn(view: RoleView, manifest: Manifest, tables: string[], column: string) {
  const wanted = column.toLowerCase();
  for (const name of tables) {
    const entry = manifest.tables.find((t) => t.name === name);
    const col = entry?.columns.find((c) => c.name.toLowerCase() === wanted);
    if (!entry || !col) continue;
    const access = view.tables.find((t) => t.table === name);
    if (!access) return { table: name };
    if (!access.columns.some((c) => c.name === col.name)) return { table: name, column: col.name };
  }
  return undefined;
}

export function explainErrorDenial(
  view: RoleView,
  manifest: Manifest,
  cells: string[],
  s: StatementText,
  raw: string,
): Denial {
  const message = engineMessage(raw);
  const first = message.split('\n')[0];
  const table = MISSING_TABLE.exec(first)?.[1]?.toLowerCase();
  if (table && manifest.tables.some((t) => t.name === table) && !view.tables.some((t) => t.table === table)) {
    return tableDenial(view, manifest, table);
  }
  if (table === AUDIT_TABLE && !view.can.readAudit) return auditLogDenial(view);
  const fn = MISSING_FUNCTION.exec(first)?.[1];
  if (fn) return tableFunctionDenial(fn);
  for (const pattern of MISSING_COLUMN) {
    const column = pattern.exec(first)?.[1];
    if (!column) continue;
    const hidden = hiddenColumn(view, manifest, namedTables(manifest, cells, s), column);
    if (hidden?.column) return columnDenial(view, manifest, hidden.table, hidden.column);
    if (hidden) return tableDenial(view, manifest, hidden.table);
  }
  const missing = missingExtensionReason(message);
  if (missing) return { code: 'BINDER', rule: 'missing-extension', reason: missing, objects: [] };
  const code = /^Parser Error/.test(first) ? 'SYNTAX' : 'BINDER';
  return { code, rule: code === 'SYNTAX' ? 'syntax' : 'binder', reason: message, objects: [] };
}
