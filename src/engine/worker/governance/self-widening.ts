import type { ColumnAccess, RoleView, TableAccess } from '../../../gov/types';

/**
 * Separation of duties for tag changes: a change that would widen the changer's own access (a hidden column
 * or table appears, a mask goes or gets weaker, a row filter or small-cell suppression goes or changes) is
 * not theirs to make. It compares the changer's role view before and after the change; anything that is
 * not clearly narrower counts as wider.
 */
export function selfWidening(before: RoleView, after: RoleView): string[] {
  const found: string[] = [];
  const beforeTables = new Map(before.tables.map((t) => [t.table, t]));
  for (const table of after.tables) {
    const old = beforeTables.get(table.table);
    if (!old) {
      found.push(`table ${table.table} would become visible`);
      continue;
    }
    found.push(...tableWidening(old, table));
  }
  return found;
}

function tableWidening(before: TableAccess, after: TableAccess): string[] {
  const found: string[] = [];
  const name = after.table;
  if (before.rowFilter !== undefined && before.rowFilter !== after.rowFilter)
    found.push(
      after.rowFilter === undefined
        ? `rows of ${name} would no longer be filtered`
        : `the row filter of ${name} would change`,
    );
  const suppressed = before.aggregateOnly;
  if (
    suppressed &&
    (!after.aggregateOnly ||
      after.aggregateOnly.minGroupSize < suppressed.minGroupSize ||
      after.aggregateOnly.countColumn !== suppressed.countColumn)
  )
    found.push(`small groups of ${name} would no longer be suppressed as before`);
  const beforeColumns = new Map(before.columns.map((c) => [c.name, c]));
  for (const column of after.columns) {
    const old = beforeColumns.get(column.name);
    const what = `${name}.${column.name}`;
    if (!old) found.push(`${what} would become visible`);
    else if (weakerMask(old, column))
      found.push(
        column.mask === undefined
          ? `${what} would lose its ${old.mask} mask`
          : `${what} would be masked ${column.mask} instead of ${old.mask}`,
      );
  }
  return found;
}

/** `null` shows nothing; any other change of a mask may show more, so only a move to `null` is narrower. */
function weakerMask(before: ColumnAccess, after: ColumnAccess): boolean {
  if (before.mask === undefined || after.mask === before.mask) return false;
  return after.mask !== 'null';
}
