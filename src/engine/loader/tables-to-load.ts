import type { ScriptTokens } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import type { RoleView } from '../../gov/types';
import type { CellSource } from '../protocol';
import { columnsReferenced } from './load-plan';

/**
 * The view tables a statement may read: those in the guard's plan, plus every view table named among the
 * DuckDB tokens of the statement and of the cells it reads (transitively). The plan alone is not enough:
 * on empty stubs the optimizer prunes scans it can prove empty (a filter on an empty side of a join), and
 * a table left unloaded would silently give an empty answer. Loading a table the role may see anyway, one
 * too many, costs time only.
 */
export function tablesToLoad(
  planned: readonly string[],
  sql: string,
  cells: readonly CellSource[],
  view: RoleView,
  tokenize: (sql: string) => ScriptTokens,
): string[] {
  const cellSql = new Map(cells.map((c) => [c.name, c.sql]));
  const texts = [sql];
  const seen = new Set<string>();
  for (let i = 0; i < texts.length; i++) {
    for (const name of columnsReferenced([texts[i]], [...cellSql.keys()], tokenize)) {
      if (seen.has(name)) continue;
      seen.add(name);
      texts.push(cellSql.get(name) ?? '');
    }
  }
  const tables = view.tables.map((t) => t.table);
  const named = columnsReferenced(texts, tables, tokenize);
  return tables.filter((t) => planned.includes(t) || named.includes(t));
}
