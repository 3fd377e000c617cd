import type { Manifest, TableEntry } from '../lake/manifest';
import type { RowFilter, ValueSource } from './policy-schema';
import type { Session } from './types';
import { literal, quoteIdent } from './sql-text';

/**
 * Turns a structured row filter into a SQL predicate over the stored columns. User attributes are inlined as
 * quoted literals, never pasted as text. Anything that cannot be resolved (a missing attribute, an unknown
 * column or table) becomes FALSE: the role then sees no rows rather than all of them.
 */

export interface CompiledFilter {
  sql: string;
  /** Other tables the predicate reads. */
  sources: string[];
  problems: string[];
}

const NOTHING = 'FALSE';

function values(source: ValueSource, session: Session): (string | number)[] {
  if ('values' in source) return source.values;
  const v = session.attributes[source.attribute];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function inList(columnSql: string, vals: (string | number)[]): string {
  if (vals.length === 0) return NOTHING;
  if (vals.every((v) => typeof v === 'number')) return `${columnSql} IN (${vals.map(literal).join(', ')})`;
  // Attributes are text; comparing as text avoids a failed cast when an attribute is not a number.
  return `CAST(${columnSql} AS VARCHAR) IN (${vals.map((v) => literal(String(v))).join(', ')})`;
}

export function compileRowFilter(
  filter: RowFilter,
  table: TableEntry,
  manifest: Manifest,
  session: Session,
): CompiledFilter {
  const sources = new Set<string>();
  const problems: string[] = [];

  const hasColumn = (t: TableEntry, c: string) => t.columns.some((col) => col.name === c);

  const walk = (f: RowFilter, on: TableEntry): string => {
    if ('anyOf' in f) return `(${f.anyOf.map((g) => walk(g, on)).join(' OR ')})`;
    if ('allOf' in f) return `(${f.allOf.map((g) => walk(g, on)).join(' AND ')})`;
    if (!hasColumn(on, f.column)) {
      problems.push(`row filter on ${on.name} uses column ${f.column}, which the table does not have`);
      return NOTHING;
    }
    const col = quoteIdent(f.column);
    if ('in' in f) return inList(col, values(f.in, session));
    const inner = manifest.tables.find((t) => t.name === f.inTable.table);
    if (!inner) {
      problems.push(
        `row filter on ${on.name} reads table ${f.inTable.table}, which the catalog does not list`,
      );
      return NOTHING;
    }
    if (!hasColumn(inner, f.inTable.column)) {
      problems.push(`row filter on ${on.name} reads ${inner.name}.${f.inTable.column}, which does not exist`);
      return NOTHING;
    }
    sources.add(inner.name);
    const where = f.inTable.where ? ` WHERE ${walk(f.inTable.where, inner)}` : '';
    return `${col} IN (SELECT ${quoteIdent(f.inTable.column)} FROM ${quoteIdent(inner.name)}${where})`;
  };

  return { sql: walk(filter, table), sources: [...sources].filter((s) => s !== table.name), problems };
}
