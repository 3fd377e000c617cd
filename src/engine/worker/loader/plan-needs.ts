import { summarizePlan } from '../../../gov/plan';
import { checkedTypeName, quoteIdent } from '../../../gov/sql-text';
import type { RoleView, TableAccess } from '../../../gov/types';
import type { DuckSession } from '../core/duck-session';
import { columnsReferenced } from './column-references';
import { stubDdl } from './load-plan';
import type { StatKind } from './parquet-footer';
import { conditionsOf, statKind, type Condition, type RowNeed } from './scan-filters';
import type { TableNeed } from './table-loader';

/**
 * The view columns the plans of some statements scan, read from DuckDB's own plans on the loaded data:
 * the columns each scan outputs and those its pushed-down filters read. A check after loading, so that a
 * way of reading a column that names it nowhere still gets the column loaded.
 */
export function needsInPlans(statements: readonly string[], view: RoleView, user: DuckSession): TableNeed[] {
  const needs: TableNeed[] = [];
  for (const sql of statements) {
    for (const scan of summarizePlan(user.explain(sql)).scans) {
      const access = view.tables.find((t) => t.table === scan.table.toLowerCase());
      if (!access) continue;
      const names = access.columns.map((c) => c.name);
      const filtered = columnsReferenced(scan.filters, names, (s) => user.tokenize(s));
      needs.push({ table: access.table, columns: [...new Set([...scan.columns, ...filtered])] });
    }
  }
  return needs;
}

/**
 * Operators through which a scan's pushed-down filters are the statement's own. DuckDB plans on the loaded
 * data: across a join it adds filters taken from the other side's statistics (`k<=4` for the keys loaded so
 * far), and a filter its statistics prove false on the loaded rows replaces the scan with EMPTY_RESULT.
 * Either would hide rows that are not loaded yet, so any other operator means every row group is read.
 */
const ROW_SAFE_OPERATORS = new Set([
  'SEQ_SCAN',
  'TABLE_SCAN',
  'FILTER',
  'PROJECTION',
  'HASH_GROUP_BY',
  'PERFECT_HASH_GROUP_BY',
  'UNGROUPED_AGGREGATE',
  'ORDER_BY',
  'TOP_N',
  'LIMIT',
  'STREAMING_LIMIT',
  'WINDOW',
  'STREAMING_WINDOW',
  'UNION',
]);

/**
 * The rows each of `tables` the statements read, from the filters DuckDB pushes into their scans. A table
 * read by none of the plans' scans (the optimizer may have pruned it) needs every row.
 *
 * The `stubs` (tables holding none or some of their rows) are planned as stubs that hold no values DuckDB
 * can reason with, inside a transaction that is rolled back. On the rows held, DuckDB proves a range
 * outside them empty and plans no scan; on an empty table, it proves the same of any text comparison.
 * Either way every row group would be read. The stub's two rows span every text value, and leave every
 * other column NULL, which DuckDB proves nothing from.
 */
export function rowNeedsInPlans(
  statements: readonly string[],
  tables: readonly string[],
  view: RoleView,
  user: DuckSession,
  stubs: readonly { table: string; holdsRows: boolean }[],
): Map<string, RowNeed> {
  user.query('BEGIN TRANSACTION');
  try {
    stubs.forEach(({ table, holdsRows }, i) => {
      const access = view.tables.find((t) => t.table === table);
      if (!access) return;
      if (holdsRows) {
        user.query(`ALTER TABLE ${quoteIdent(table)} RENAME TO ${quoteIdent(`${PLANNED_AWAY}${i}`)}`);
        user.query(stubDdl(access, checkedTypeName));
      }
      const text = access.columns.filter((c) => TEXT.test(c.type.trim()));
      if (text.length === 0) return;
      const names = text.map((c) => quoteIdent(c.name)).join(', ');
      const row = (value: string) => `(${text.map(() => value).join(', ')})`;
      user.query(
        `INSERT INTO ${quoteIdent(table)} (${names}) VALUES ${row("''")}, ${row(`'${HIGHEST_TEXT}'`)}`,
      );
    });
    return rowNeedsOf(statements, tables, view, user);
  } finally {
    user.query('ROLLBACK');
  }
}

/** Where a table holding rows is renamed to while its stub is planned; the rename is rolled back. */
const PLANNED_AWAY = '__lakebook_planned_';
const TEXT = /^(VARCHAR|TEXT|STRING)$/i;
/** Above any text in DuckDB's statistics, which compare the first 8 bytes. */
const HIGHEST_TEXT = '\u{10FFFF}'.repeat(4);

function rowNeedsOf(
  statements: readonly string[],
  tables: readonly string[],
  view: RoleView,
  user: DuckSession,
): Map<string, RowNeed> {
  const scans = new Map<string, Condition[][]>();
  let everything = false;
  for (const sql of statements) {
    const plan = summarizePlan(user.explain(sql));
    if (plan.operators.some((o) => !ROW_SAFE_OPERATORS.has(o))) everything = true;
    for (const scan of plan.scans) {
      const access = view.tables.find((t) => t.table === scan.table.toLowerCase());
      if (!access) continue;
      scans.set(access.table, [
        ...(scans.get(access.table) ?? []),
        conditionsOf(scan.filters, kindsOf(access)),
      ]);
    }
  }
  return new Map(tables.map((t) => [t, everything ? 'all' : (scans.get(t) ?? 'all')]));
}

/** Columns the role sees as stored, whose constants can be compared with the file's statistics. */
function kindsOf(access: TableAccess): Map<string, StatKind> {
  const kinds = new Map<string, StatKind>();
  for (const c of access.columns) {
    const kind = statKind(c.type);
    if (kind && (c.expr === quoteIdent(c.name) || c.expr === c.name)) kinds.set(c.name, kind);
  }
  return kinds;
}
