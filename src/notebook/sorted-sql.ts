/** Sorting a result is done by DuckDB: the cell's query is wrapped, never sorted in JavaScript. */
import type { SortOrder } from './store-types';

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function sortedSql(sql: string, sort: SortOrder): string {
  // The newline before the closing parenthesis keeps a trailing `-- comment` from swallowing it.
  const body = sql.trim().replace(/;+$/, '').trimEnd();
  const direction = sort.descending ? 'DESC' : 'ASC';
  return `SELECT * FROM (\n${body}\n) AS sorted_result ORDER BY ${quoteIdentifier(sort.column)} ${direction} NULLS LAST`;
}
