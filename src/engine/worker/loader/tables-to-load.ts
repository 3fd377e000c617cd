import type { ScriptTokens } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import type { RoleView } from '../../../gov/types';
import type { CellSource } from '../../../contract/results';
import { columnsReferenced, readsUnnamedColumns, tablesReferenced } from './column-references';
import type { TableNeed } from './table-loader';

/**
 * What a statement may read of the view: the tables in the guard's plan, plus every view table named among
 * the DuckDB tokens of the statement and of the cells it reads (transitively), except aliases (`AS name`).
 * The plan alone is not enough:
 * on empty stubs the optimizer prunes scans it can prove empty (a filter on an empty side of a join), and
 * a table left unloaded would silently give an empty answer. Loading a table the role may see anyway, one
 * too many, costs time only.
 *
 * Of each table, the columns named anywhere in those texts; every column when some text may read columns
 * without naming them (`*`, `COLUMNS(…)`, a natural join, …). Names, not the plan, decide here because
 * the optimizer also drops a filter on a column that is still NULL, and that column is needed all the same.
 */
export function tablesToLoad(
  planned: readonly string[],
  sql: string,
  cells: readonly CellSource[],
  view: RoleView,
  tokenize: (sql: string) => ScriptTokens,
): TableNeed[] {
  const cellSql = new Map(cells.map((c) => [c.name, c.sql]));
  const texts = [sql];
  const seen = new Set<string>();
  for (let i = 0; i < texts.length; i++) {
    for (const name of tablesReferenced([texts[i]], [...cellSql.keys()], tokenize)) {
      if (seen.has(name)) continue;
      seen.add(name);
      texts.push(cellSql.get(name) ?? '');
    }
  }
  const tables = view.tables.map((t) => t.table);
  const named = tablesReferenced(texts, tables, tokenize);
  const whole = readsUnnamedColumns(texts, tokenize);
  return view.tables
    .filter((t) => planned.includes(t.table) || named.includes(t.table))
    .map((t) => ({
      table: t.table,
      columns: whole
        ? 'all'
        : columnsReferenced(
            texts,
            t.columns.map((c) => c.name),
            tokenize,
          ),
    }));
}
