/**
 * Following a renamed cell in the cells that read it (as Hex offers to). Only identifier tokens of the
 * notebook's own SQL scanner are replaced, so strings, comments, `alias.column` members and longer names
 * that merely start with the old one stay as they are. The rule is the one the dependency graph uses to
 * decide which cells read which: a cell that reads `from` by that rule is the one whose text changes.
 */
import type { Cell, SqlCell } from './cells';
import { identifiers, referencedNames } from './sql-tokens';

/** `sql` with every table-like mention of `from` (any case, bare or quoted) written as `to`. */
export function renameReferences(sql: string, from: string, to: string): string {
  const target = from.toLowerCase();
  let out = '';
  let at = 0;
  for (const token of identifiers(sql)) {
    if (token.qualified || token.name !== target) continue;
    const quoted = sql[token.start] === '"';
    out += sql.slice(at, token.start) + (quoted ? `"${to.replace(/"/g, '""')}"` : to);
    at = token.end;
  }
  return out + sql.slice(at);
}

/** The SQL cells other than `selfId` that read a cell named `name`. */
export function cellsReading(cells: readonly Cell[], name: string, selfId?: string): SqlCell[] {
  const wanted = new Set([name.toLowerCase()]);
  return cells.filter(
    (c): c is SqlCell => c.kind === 'sql' && c.id !== selfId && referencedNames(c.sql, wanted).size > 0,
  );
}
