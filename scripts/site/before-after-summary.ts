import {
  differenceInDifferences,
  holmAdjust,
  meanDifference,
  rateDifference,
} from '../../src/lake/before-after.ts';
import type { BeforeAfter, Comparison, PackValue } from '../../src/lake/metric-pack.ts';
import type { BeforeAfterSpecs, ComparisonSpec } from './fast-track-comparisons.ts';

type Row = Record<string, PackValue>;

/** A row as it is published: a suppressed one keeps its dimensions and has null measures. */
export interface PackRow {
  values: Row;
  suppressed: boolean;
}

export interface SmallCells {
  countColumn: string;
  minGroupSize: number;
}

export const RATE_METHOD =
  'Pooled rate (sum of the numerator over sum of the denominator) per period; difference after minus before with a 95% Wald interval for two independent proportions.';
/** A group stands out of its breakdown when its Holm-adjusted p-value is below this (and it moved the worse way). */
export const STANDS_OUT_BELOW = 0.05;
const RATE_METHOD_VERSUS_REST =
  `${RATE_METHOD} versusRest: the group's change minus the change of the other groups together over the same ` +
  'periods (difference in differences), with a 95% Wald interval for four independent proportions, a two-sided ' +
  "p-value and Holm's adjustment over the groups of the breakdown; standsOut when the adjusted p-value is below " +
  `${STANDS_OUT_BELOW} and the group moved the worse way.`;
export const MEAN_METHOD =
  'Months are the observations: each month pooled across the group weighted by its stays, then the mean of the monthly values per period; difference after minus before with a 95% Welch t interval.';

/**
 * The before/after summary of one metric from its latest snapshot rows as published, and from the published
 * rows of the breakdowns its spec names (`breakdownRows`, by metric). Only published rows are pooled: a total
 * that took in a suppressed row would give it back by subtraction. A period value (day or month) with a
 * suppressed row of the group is left out of the group's figures, and named in `leftOut`. A group is
 * suppressed when either period has no published row (every published row has at least the threshold of
 * patients, so a group that passes has too).
 */
export function beforeAfterSummary(
  published: readonly PackRow[],
  spec: ComparisonSpec,
  intervention: BeforeAfterSpecs['intervention'],
  breakdownRows: Readonly<Record<string, readonly PackRow[]>> = {},
): BeforeAfter {
  const comparisons = compareAll(published, spec.periodColumn, spec.groupings, spec, intervention.date);
  for (const b of spec.breakdowns ?? []) {
    const rows = breakdownRows[b.metric];
    if (!rows) throw new Error(`The before/after summary needs the published rows of ${b.metric}.`);
    const source = { metric: b.metric, periodColumn: b.periodColumn };
    for (const c of compareAll(rows, b.periodColumn, b.groupings, spec, intervention.date))
      comparisons.push(withSource(c, source));
  }
  return { intervention, periodColumn: spec.periodColumn, comparisons };
}

/** `source` goes right after `group`, so a reader sees where a group's figures come from next to it. */
function withSource(c: Comparison, source: NonNullable<Comparison['source']>): Comparison {
  return Object.fromEntries(
    Object.entries(c).flatMap(([k, v]) =>
      k === 'group'
        ? [
            [k, v],
            ['source', source],
          ]
        : [[k, v]],
    ),
  ) as Comparison;
}

/** One group's pooled periods for one rate, kept to set it against the rest of its breakdown. */
interface RateCell {
  comparison: Comparison & { before: Period; after: Period };
  /** Period values pooled before and after. */
  periods: [string[], string[]];
  key: string;
}

function compareAll(
  published: readonly PackRow[],
  periodColumn: string,
  groupings: string[][],
  spec: ComparisonSpec,
  date: string,
): Comparison[] {
  const comparisons: Comparison[] = [];
  for (const grouping of groupings) {
    const cells = new Map<string, RateCell[]>();
    for (const [groupKey, groupRows] of groupBy(published, grouping)) {
      const group = Object.fromEntries(grouping.map((g, i) => [g, groupKey[i]!]));
      const hidden = new Set(groupRows.filter((r) => r.suppressed).map((r) => text(r.values, periodColumn)));
      const shown = groupRows.filter((r) => !hidden.has(text(r.values, periodColumn))).map((r) => r.values);
      const periods = splitPeriods(shown, periodColumn, date);
      const leftOut = splitPeriods(
        [...hidden].sort().map((v) => ({ [periodColumn]: v })),
        periodColumn,
        date,
      ).map((p) => p.map((r) => text(r, periodColumn)));
      const suppressed = periods.some((p) => p.length === 0);
      for (const rate of spec.rates) {
        const base = {
          measure: rate.measure,
          kind: 'rate' as const,
          numerator: rate.numerator,
          denominator: rate.denominator,
          ...(rate.worse ? { worse: rate.worse } : {}),
          group,
          method: grouping.length > 0 ? RATE_METHOD_VERSUS_REST : RATE_METHOD,
        };
        if (suppressed) {
          comparisons.push({ ...base, suppressed: true });
          continue;
        }
        const [b, a] = periods.map((p) => ({
          events: sum(p, rate.numerator),
          total: sum(p, rate.denominator),
          ...range(p, periodColumn),
        })) as [PeriodCounts, PeriodCounts];
        const d = rateDifference(b, a);
        const comparison = {
          ...base,
          suppressed: false as const,
          before: {
            from: b.from,
            to: b.to,
            value: d.before,
            n: b.total,
            events: b.events,
            leftOut: leftOut[0]!,
          },
          after: {
            from: a.from,
            to: a.to,
            value: d.after,
            n: a.total,
            events: a.events,
            leftOut: leftOut[1]!,
          },
          difference: d.difference,
          ci95: d.ci95,
        };
        comparisons.push(comparison);
        const list = cells.get(rate.measure) ?? [];
        list.push({
          comparison,
          periods: periods.map((p) => p.map((r) => text(r, periodColumn))) as [string[], string[]],
          key: JSON.stringify(groupKey),
        });
        cells.set(rate.measure, list);
      }
      for (const m of spec.means) {
        const base = { measure: m.measure, kind: 'mean_of_monthly_means' as const, column: m.column, group };
        if (suppressed) {
          comparisons.push({ ...base, suppressed: true, method: MEAN_METHOD });
          continue;
        }
        const [b, a] = periods.map((p) => monthlyMeans(p, periodColumn, m.column, m.weight)) as [
          number[],
          number[],
        ];
        const d = meanDifference(b, a);
        const [rb, ra] = periods.map((p) => range(p, periodColumn)) as [Range, Range];
        comparisons.push({
          ...base,
          suppressed: false,
          before: { ...rb, value: d.before, n: b.length, leftOut: leftOut[0]! },
          after: { ...ra, value: d.after, n: a.length, leftOut: leftOut[1]! },
          difference: d.difference,
          ci95: d.ci95,
          method: MEAN_METHOD,
        });
      }
    }
    if (grouping.length > 0)
      for (const rate of spec.rates)
        setAgainstRest(cells.get(rate.measure) ?? [], published, grouping, periodColumn, rate);
  }
  return comparisons;
}

/**
 * Each group's change against the rest of its grouping, pooled over the same period values as the group's
 * own figures, from published rows only: a group whose rest has a suppressed row in one of those periods gets
 * no `versusRest` (pooling around it would give the row back). The p-values of the groups that get one are
 * adjusted together (Holm), since a screen of several groups names one by chance more often than one test.
 */
function setAgainstRest(
  cells: RateCell[],
  published: readonly PackRow[],
  grouping: string[],
  periodColumn: string,
  rate: ComparisonSpec['rates'][number],
): void {
  const tested: {
    cell: RateCell;
    rest: { before: number; after: number };
    d: ReturnType<typeof differenceInDifferences>;
  }[] = [];
  for (const cell of cells) {
    const sides = cell.periods.map((values) => {
      const wanted = new Set(values);
      const rows = published.filter(
        (r) =>
          wanted.has(text(r.values, periodColumn)) &&
          JSON.stringify(grouping.map((g) => text(r.values, g))) !== cell.key,
      );
      if (rows.length === 0 || rows.some((r) => r.suppressed)) return undefined;
      const counted = rows.map((r) => r.values);
      const total = sum(counted, rate.denominator);
      return total > 0 ? { events: sum(counted, rate.numerator), total } : undefined;
    });
    const [rb, ra] = sides;
    if (!rb || !ra) continue;
    const c = cell.comparison;
    const d = differenceInDifferences(
      {
        before: { events: c.before.events!, total: c.before.n },
        after: { events: c.after.events!, total: c.after.n },
      },
      { before: rb, after: ra },
    );
    tested.push({ cell, rest: { before: rb.events / rb.total, after: ra.events / ra.total }, d });
  }
  const adjusted = holmAdjust(tested.map((t) => t.d.pValue));
  tested.forEach(({ cell, rest, d }, i) => {
    cell.comparison.versusRest = {
      rest,
      difference: d.difference,
      ci95: d.ci95,
      pValue: d.pValue,
      adjustedPValue: adjusted[i]!,
      tests: tested.length,
      standsOut:
        adjusted[i]! < STANDS_OUT_BELOW &&
        (rate.worse === 'higher' ? d.difference > 0 : rate.worse === 'lower' ? d.difference < 0 : true),
    };
  });
}

interface Range {
  from: string;
  to: string;
}
type PeriodCounts = Range & { events: number; total: number };
type Period = NonNullable<Comparison['before']>;

function num(row: Row, column: string): number {
  const v = row[column];
  if (typeof v !== 'number') throw new Error(`Column ${column} is not a number in a metric row.`);
  return v;
}

function text(row: Row, column: string): string {
  const v = row[column];
  if (typeof v !== 'string') throw new Error(`Column ${column} is not text in a metric row.`);
  return v;
}

function sum(rows: readonly Row[], column: string): number {
  return rows.reduce((s, r) => s + num(r, column), 0);
}

/** Period values are ISO dates, so text order is time order. */
function range(rows: readonly Row[], column: string): Range {
  const values = rows.map((r) => text(r, column)).sort();
  return { from: values[0]!, to: values[values.length - 1]! };
}

function splitPeriods(rows: readonly Row[], column: string, date: string): [Row[], Row[]] {
  return [rows.filter((r) => text(r, column) < date), rows.filter((r) => text(r, column) >= date)];
}

function groupBy(rows: readonly PackRow[], columns: string[]): Map<string[], PackRow[]> {
  const byKey = new Map<string, { key: string[]; rows: PackRow[] }>();
  for (const row of rows) {
    const key = columns.map((c) => text(row.values, c));
    const id = JSON.stringify(key);
    const entry = byKey.get(id) ?? { key, rows: [] };
    entry.rows.push(row);
    byKey.set(id, entry);
  }
  const sorted = [...byKey.values()].sort((a, b) =>
    JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)),
  );
  return new Map(sorted.map((e) => [e.key, e.rows]));
}

function monthlyMeans(rows: readonly Row[], periodColumn: string, column: string, weight: string): number[] {
  const months = new Map<string, { total: number; weight: number }>();
  for (const r of rows) {
    const m = months.get(text(r, periodColumn)) ?? { total: 0, weight: 0 };
    m.total += num(r, column) * num(r, weight);
    m.weight += num(r, weight);
    months.set(text(r, periodColumn), m);
  }
  return [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, m]) => m.total / m.weight);
}
