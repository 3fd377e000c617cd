import { summarizePlan } from '../../gov/plan';
import type { RoleView } from '../../gov/types';
import type { DuckSession } from '../core/duck-session';
import { columnsReferenced } from './column-references';
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
