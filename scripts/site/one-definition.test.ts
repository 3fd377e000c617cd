/**
 * One definition per metric: each metric's SQL file, run natively on the lake's curated tables, must give every
 * number of the shipped snapshot and every number its pack publishes (latest rows and before/after figures).
 * A definition edited without a rebuild, a pack that computes a figure its own way, or a snapshot written by
 * another definition fails here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/gov/policy-schema.ts';
import { isNumericType } from '../../src/gov/sql-text.ts';
import type { Manifest, TableEntry } from '../../src/lake/manifest.ts';
import { parseMetricDefinition } from '../../src/lake/metric-definition.ts';
import type { MetricPack } from '../../src/lake/metric-pack.ts';
import { openDuck, queryJson, sqlString, type Duck } from '../lake/duck.ts';
import { dropViews, registerTables } from '../lake/lake-views.ts';
import { readManifest } from '../lake/manifest-store.ts';
import { differenceInDifferences, holmAdjust } from '../../src/lake/before-after.ts';
import { FAST_TRACK_METRICS } from './fast-track-comparisons.ts';
import { writeMetricPacks } from './metric-packs.ts';

const projectDir = path.resolve('.');
const lakeDir = path.join(projectDir, 'public/sample-lake');

type Row = Record<string, unknown>;
interface Computed {
  dims: string[];
  measures: string[];
  byKey: Map<string, Row>;
}

let conn: Duck;
let manifest: Manifest;
let out: string;
const packs = new Map<string, MetricPack>();
const computed = new Map<string, Computed>();
const metrics = () => manifest.tables.filter((t) => t.zone === 'metrics');

const keyOf = (row: Row, dims: string[]) => JSON.stringify(dims.map((d) => String(row[d])));

/** Runs the metric's SQL file as it is in the project, over its upstream tables only. */
async function runDefinition(table: TableEntry): Promise<Computed> {
  const file = table.lineage!.definition!;
  const def = parseMetricDefinition(readFileSync(path.join(projectDir, file), 'utf8'), file);
  await registerTables(conn, lakeDir, manifest, def.upstream);
  try {
    await conn.run(`CREATE OR REPLACE TEMP TABLE computed AS ${def.sql}`);
  } finally {
    await dropViews(conn, def.upstream);
  }
  const columns = await queryJson(conn, 'DESCRIBE computed');
  const numeric = (c: Row) => isNumericType(String(c.column_type));
  const dims = columns.filter((c) => !numeric(c)).map((c) => String(c.column_name));
  const measures = columns.filter(numeric).map((c) => String(c.column_name));
  const rows = await queryJson(conn, 'SELECT * FROM computed');
  const byKey = new Map(rows.map((r) => [keyOf(r, dims), r]));
  expect(byKey.size, `${table.name}: its dimensions identify a row`).toBe(rows.length);
  return { dims, measures, byKey };
}

function expectSame(actual: unknown, expected: unknown, where: string) {
  if (expected === null || actual === null) return expect(actual, where).toBe(expected);
  const [a, e] = [Number(actual), Number(expected)];
  if (Number.isNaN(e)) return expect(actual, where).toBe(expected);
  expect(Math.abs(a - e), `${where}: ${String(actual)} vs ${String(expected)}`).toBeLessThanOrEqual(
    1e-12 * Math.max(1, Math.abs(e)),
  );
}

beforeAll(async () => {
  conn = await openDuck();
  manifest = readManifest(lakeDir)!;
  for (const t of metrics()) computed.set(t.name, await runDefinition(t));
  out = mkdtempSync(path.join(tmpdir(), 'one-definition-'));
  const policy = parsePolicy(JSON.parse(readFileSync(path.join(lakeDir, 'policy.json'), 'utf8')));
  const report = await writeMetricPacks({ conn, lakeDir, projectDir, manifest, policy }, out);
  for (const m of report.index.metrics)
    packs.set(m.name, JSON.parse(readFileSync(path.join(out, m.url), 'utf8')) as MetricPack);
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('one definition per metric', () => {
  it('the SQL file gives every row and number of the shipped snapshot', async () => {
    expect(
      metrics()
        .map((t) => t.name)
        .sort(),
    ).toEqual(
      [
        'early_discharge_flags',
        'los_by_ward',
        'mimic_readmission_30d',
        'readmission_30d',
        'readmission_30d_by_ward',
      ].sort(),
    );
    for (const table of metrics()) {
      const { dims, measures, byKey } = computed.get(table.name)!;
      const files = table.files.map((f) => sqlString(path.join(lakeDir, f.path))).join(', ');
      const asOf = sqlString(table.asOf!.replace('T', ' ').replace('Z', ''));
      const shipped = await queryJson(
        conn,
        `SELECT * EXCLUDE (as_of) FROM read_parquet([${files}]) WHERE as_of = TIMESTAMP ${asOf}`,
      );
      expect(shipped.length, `${table.name} rows`).toBe(byKey.size);
      for (const row of shipped) {
        const key = keyOf(row, dims);
        const mine = byKey.get(key);
        expect(mine, `${table.name} ${key} is computed`).toBeDefined();
        for (const m of measures) expectSame(row[m], mine![m], `${table.name} ${key} ${m}`);
      }
    }
  });

  it('every number a pack publishes is the SQL file’s number', () => {
    for (const table of metrics()) {
      const pack = packs.get(table.name)!;
      const { dims, measures, byKey } = computed.get(table.name)!;
      const published = pack.latest.rows.filter((r) => !r.suppressed);
      expect(published.length, `${table.name} publishes rows`).toBeGreaterThan(0);
      for (const row of published) {
        const key = keyOf(row.values, dims);
        const mine = byKey.get(key);
        expect(mine, `${table.name} ${key} is computed`).toBeDefined();
        for (const m of measures) expectSame(row.values[m], mine![m], `${table.name} ${key} ${m}`);
      }
    }
  });

  it('every rate column is its numerator over its denominator, in every row of the SQL file', () => {
    let checked = 0;
    for (const pack of packs.values()) {
      const rows = [...computed.get(pack.name)!.byKey.values()];
      for (const c of pack.columns.filter((x) => x.numerator)) {
        for (const r of rows) {
          const where = `${pack.name} ${c.name} = ${c.numerator} / ${c.denominator}`;
          expectSame(r[c.name], Number(r[c.numerator!]) / Number(r[c.denominator!]), where);
        }
        checked++;
      }
    }
    expect(checked).toBe(9);
  });

  it('the ward view counts the same index stays as the daily view, month by month', () => {
    // Two SQL files state one readmission definition at two grains: summed over wards and days, every count
    // of a month must agree, or one of the files has drifted from the other.
    const COUNTS = [
      'n_index_stays',
      'n_readmitted_30d',
      'n_readmitted_7d',
      'n_index_stays_cms',
      'n_readmitted_30d_cms',
    ];
    const month = (r: Row, column: string) => String(r[column]).slice(0, 7);
    const totals = (name: string, period: string) => {
      const byMonth = new Map<string, Record<string, number>>();
      for (const r of computed.get(name)!.byKey.values()) {
        const m = byMonth.get(month(r, period)) ?? {};
        for (const c of COUNTS) m[c] = (m[c] ?? 0) + Number(r[c]);
        byMonth.set(month(r, period), m);
      }
      return byMonth;
    };
    const daily = totals('readmission_30d', 'discharge_date');
    const wards = totals('readmission_30d_by_ward', 'discharge_month');
    expect([...wards.keys()].sort()).toEqual([...daily.keys()].sort());
    expect(daily.size).toBeGreaterThan(20);
    for (const [m, counts] of daily) expect(wards.get(m), m).toEqual(counts);
  });

  it('every before/after figure is pooled from the SQL file’s rows it names', () => {
    let checked = 0;
    for (const pack of packs.values()) {
      const ba = pack.beforeAfter;
      if (!ba) continue;
      for (const c of ba.comparisons.filter((x) => !x.suppressed)) {
        // A breakdown's comparison pools the rows of the view it names, by that view's period column.
        const rows = [...computed.get(c.source?.metric ?? pack.name)!.byKey.values()];
        const periodColumn = c.source?.periodColumn ?? ba.periodColumn;
        for (const period of [c.before!, c.after!]) {
          const taken = rows.filter((r) => {
            const at = String(r[periodColumn]);
            return (
              Object.entries(c.group).every(([k, v]) => r[k] === v) &&
              at >= period.from &&
              at <= period.to &&
              !period.leftOut.includes(at)
            );
          });
          const sum = (col: string) => taken.reduce((s, r) => s + Number(r[col]), 0);
          const where = `${pack.name} ${c.measure} ${JSON.stringify(c.group)} ${period.from}`;
          if (c.kind === 'rate') {
            expectSame(period.events, sum(c.numerator!), `${where} events`);
            expectSame(period.n, sum(c.denominator!), `${where} n`);
            expectSame(period.value, sum(c.numerator!) / sum(c.denominator!), `${where} value`);
          } else {
            const weight = FAST_TRACK_METRICS[pack.name]!.means.find((m) => m.measure === c.measure)!.weight;
            const months = new Map<string, { total: number; weight: number }>();
            for (const r of taken) {
              const m = months.get(String(r[periodColumn])) ?? { total: 0, weight: 0 };
              m.total += Number(r[c.column!]) * Number(r[weight]);
              m.weight += Number(r[weight]);
              months.set(String(r[periodColumn]), m);
            }
            const means = [...months.values()].map((m) => m.total / m.weight);
            expectSame(period.n, means.length, `${where} months`);
            expectSame(period.value, means.reduce((s, v) => s + v, 0) / means.length, `${where} value`);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('every group set against the rest is recomputed from the SQL file’s rows of the other groups', () => {
    let checked = 0;
    for (const pack of packs.values()) {
      const ba = pack.beforeAfter;
      if (!ba) continue;
      const screens = new Map<string, { p: number; adjusted: number }[]>();
      for (const c of ba.comparisons.filter((x) => x.versusRest)) {
        const rows = [...computed.get(c.source?.metric ?? pack.name)!.byKey.values()];
        const periodColumn = c.source?.periodColumn ?? ba.periodColumn;
        const inGroup = (r: Row) => Object.entries(c.group).every(([k, v]) => r[k] === v);
        const pooled = (r: Row, period: NonNullable<typeof c.before>) => {
          const at = String(r[periodColumn]);
          return at >= period.from && at <= period.to && !period.leftOut.includes(at);
        };
        const side = (period: NonNullable<typeof c.before>) => {
          const at = new Set(
            rows.filter((r) => inGroup(r) && pooled(r, period)).map((r) => String(r[periodColumn])),
          );
          const rest = rows.filter((r) => !inGroup(r) && at.has(String(r[periodColumn])));
          const sum = (col: string) => rest.reduce((t, r) => t + Number(r[col]), 0);
          return { events: sum(c.numerator!), total: sum(c.denominator!) };
        };
        const [rb, ra] = [side(c.before!), side(c.after!)];
        const v = c.versusRest!;
        const where = `${pack.name} ${c.measure} ${JSON.stringify(c.group)} versusRest`;
        expectSame(v.rest.before, rb.events / rb.total, `${where} rest before`);
        expectSame(v.rest.after, ra.events / ra.total, `${where} rest after`);
        const d = differenceInDifferences(
          {
            before: { events: c.before!.events!, total: c.before!.n },
            after: { events: c.after!.events!, total: c.after!.n },
          },
          { before: rb, after: ra },
        );
        expectSame(v.difference, d.difference, `${where} difference`);
        expectSame(v.ci95.low, d.ci95.low, `${where} ci95`);
        expectSame(v.pValue, d.pValue, `${where} p`);
        const key = `${c.source?.metric ?? ''} ${c.measure} ${Object.keys(c.group).join()}`;
        screens.set(key, [...(screens.get(key) ?? []), { p: v.pValue, adjusted: v.adjustedPValue }]);
        expect(v.tests, where).toBe(
          ba.comparisons.filter(
            (x) =>
              x.measure === c.measure &&
              x.versusRest &&
              (x.source?.metric ?? '') === (c.source?.metric ?? '') &&
              Object.keys(x.group).join() === Object.keys(c.group).join(),
          ).length,
        );
        checked++;
      }
      for (const [key, tests] of screens) {
        const adjusted = holmAdjust(tests.map((t) => t.p));
        tests.forEach((t, i) => expectSame(t.adjusted, adjusted[i], `${pack.name} ${key} Holm`));
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});
