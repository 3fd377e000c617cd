import type { TableEntry } from '../../../lake/manifest';
import type { TableAccess } from '../../../gov/types';
import type { DuckSession } from '../core/duck-session';
import { columnsReferenced } from './column-references';

/**
 * The view columns to load for a need. A table filtered through other tables is always read whole, so that
 * the rows of every read come through the same filter in the same order. A statement that names no column
 * (`count(*)`) still needs the rows: the first column carries them.
 */
export function wantedColumns(
  access: TableAccess,
  columns: readonly string[] | 'all',
  have: ReadonlySet<string> | undefined,
): string[] {
  const names = access.columns.map((c) => c.name);
  if (columns === 'all' || access.filterSources?.length) return names;
  const wanted = names.filter((n) => columns.includes(n));
  return wanted.length > 0 || (have?.size ?? 0) > 0 ? wanted : names.slice(0, 1);
}

export function storedColumns(entry: TableEntry): string[] {
  return entry.columns.map((c) => c.name);
}

/** The stored columns the view's expressions and filter read. */
export function columnsFor(access: TableAccess, entry: TableEntry, staging: DuckSession): string[] {
  const texts = [...access.columns.map((c) => c.expr), access.rowFilter ?? ''];
  const read = columnsReferenced(texts, storedColumns(entry), (s) => staging.tokenize(s));
  // Columns that are all masked to constants still come with their rows: read the first stored column.
  return read.length > 0 ? read : storedColumns(entry).slice(0, 1);
}
