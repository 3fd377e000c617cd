import { meanDifference, rateDifference } from '../../src/lake/before-after.ts';
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

const RATE_METHOD =
  'Pooled rate (sum of the numerator over sum of the denominator) per period; difference after minus before with a 95% Wald interval for two independent proportions.';
const MEAN_METHOD =
  'Months are the observations: each month pooled across the group weighted by its stays, then the mean of the monthly values per period; difference after minus before with a 95% Welch t interval.';

/**
 * The before/after summary of one metric from its latest snapshot rows as published. Only published rows
 * are pooled: a total that took in a suppressed row would give it back by subtraction. A period value
 * (day or month) with a suppressed row of the group is left out of the group's figures, and named in
 * `leftOut`. A group is suppressed when either period has no published row (every published row has at
 * least the threshold of patients, so a group that passes has too).
 */
export function beforeAfterSummary(
  published: readonly PackRow[],
  spec: ComparisonSpec,
  intervention: BeforeAfterSpecs['intervention'],
): BeforeAfter {
  const comparisons: Comparison[] = [];
  for (const grouping of spec.groupings) {
    for (const [groupKey, groupRows] of groupBy(published, grouping)) {
      const group = Object.fromEntries(grouping.map((g, i) => [g, groupKey[i]!]));
      const hidden = new Set(
        groupRows.filter((r) => r.suppressed).map((r) => text(r.values, spec.periodColumn)),
      );
      const shown = groupRows
        .filter((r) => !hidden.has(text(r.values, spec.periodColumn)))
        .map((r) => r.values);
      const periods = splitPeriods(shown, spec.periodColumn, intervention.date);
      const leftOut = splitPeriods(
        [...hidden].sort().map((v) => ({ [spec.periodColumn]: v })),
        spec.periodColumn,
        intervention.date,
      ).map((p) => p.map((r) => text(r, spec.periodColumn)));
      const suppressed = periods.some((p) => p.length === 0);
      for (const rate of spec.rates) {
        const base = {
          measure: rate.measure,
          kind: 'rate' as const,
          numerator: rate.numerator,
          denominator: rate.denominator,
          group,
          method: RATE_METHOD,
        };
        if (suppressed) {
          comparisons.push({ ...base, suppressed: true });
          continue;
        }
        const [b, a] = periods.map((p) => ({
          events: sum(p, rate.numerator),
          total: sum(p, rate.denominator),
          ...range(p, spec.periodColumn),
        })) as [PeriodCounts, PeriodCounts];
        const d = rateDifference(b, a);
        comparisons.push({
          ...base,
          suppressed: false,
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
        });
      }
      for (const m of spec.means) {
        const base = { measure: m.measure, kind: 'mean_of_monthly_means' as const, column: m.column, group };
        if (suppressed) {
          comparisons.push({ ...base, suppressed: true, method: MEAN_METHOD });
          continue;
        }
        const [b, a] = periods.map((p) => monthlyMeans(p, spec.periodColumn, m.column, m.weight)) as [
          number[],
          number[],
        ];
        const d = meanDifference(b, a);
        const [rb, ra] = periods.map((p) => range(p, spec.periodColumn)) as [Range, Range];
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
  }
  return { intervention, periodColumn: spec.periodColumn, comparisons };
}

interface Range {
  from: string;
  to: string;
}
type PeriodCounts = Range & { events: number; total: number };

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
