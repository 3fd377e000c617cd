import type { Manifest, TableEntry } from '../lake/manifest';
import type { SmallCellLinks } from './policy-schema';
import { quoteIdent, quoteString } from './sql-text';

export interface SmallCellRule {
  countColumn: string;
  minGroupSize: number;
}

/** Suppression that spreads to a table from groups it adds up with (`smallCellLinks` of the policy). */
export interface LinkedSuppression {
  /** True for a row that must be suppressed because a linked group is small; reads `sources` too. */
  predicate: string;
  /** The tables the predicate reads, the table itself included when it links to its own rows. */
  sources: string[];
  rules: string[];
}

const INNER = 'lakebook_linked';

/**
 * Why: per-row suppression alone lets a reader subtract. A day hidden in a daily view comes back as its
 * month's total (from a monthly view of the same stays) minus the visible days; a hidden part comes back as
 * the total row minus the visible parts. So a period with a small group in any linked table is suppressed in
 * all of them, and a total with a small part is suppressed with it. Links are judged on small groups only,
 * not on groups that a link suppressed (a table in two links is suppressed by both, not by a chain of them).
 */
export function linkedSuppression(
  links: SmallCellLinks,
  manifest: Manifest,
  table: TableEntry,
  rule: SmallCellRule,
): LinkedSuppression | undefined {
  const outer = (column: string) => `${quoteIdent(table.name)}.${quoteIdent(column)}`;
  const inner = (column: string) => `${INNER}.${quoteIdent(column)}`;
  const small = `NOT coalesce(${inner(rule.countColumn)} >= ${rule.minGroupSize}, FALSE)`;
  const same = (columns: readonly string[]) =>
    columns.map((c) => ` AND ${inner(c)} IS NOT DISTINCT FROM ${outer(c)}`).join('');
  const has = (t: TableEntry, columns: readonly string[]) =>
    columns.every((c) => t.columns.some((x) => x.name === c));

  const predicates: string[] = [];
  const sources = new Set<string>();
  const rules: string[] = [];
  for (const link of links.periods) {
    const own = link.tables[table.name];
    if (own === undefined || !has(table, [own, ...link.sameIn])) continue;
    const period = (column: string) => `date_trunc(${quoteString(link.grain)}, ${column})`;
    for (const [name, column] of Object.entries(link.tables)) {
      const other = manifest.tables.find((t) => t.name === name && !t.withheld);
      if (!other || !has(other, [column, rule.countColumn, ...link.sameIn])) continue;
      predicates.push(
        `EXISTS (SELECT 1 FROM ${quoteIdent(name)} AS ${INNER} WHERE ${period(inner(column))} = ${period(outer(own))}${same(link.sameIn)} AND ${small})`,
      );
      sources.add(name);
    }
    rules.push(
      `small cells linked by ${link.grain} (${link.name}): a ${link.grain} with a small group is suppressed in every linked table`,
    );
  }
  for (const total of links.totals) {
    if (total.table !== table.name || !has(table, [total.column, rule.countColumn, ...total.sameIn]))
      continue;
    const value = quoteString(total.value);
    predicates.push(
      `(coalesce(${outer(total.column)} = ${value}, FALSE) AND EXISTS (SELECT 1 FROM ${quoteIdent(table.name)} AS ${INNER} WHERE ${inner(total.column)} IS DISTINCT FROM ${value}${same(total.sameIn)} AND ${small}))`,
    );
    sources.add(table.name);
    rules.push(`total row suppressed with its small parts (${total.name})`);
  }
  if (predicates.length === 0) return undefined;
  return { predicate: predicates.join(' OR '), sources: [...sources], rules };
}
