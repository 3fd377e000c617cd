/**
 * Plays the attacker against everything a visitor of the public site can read at once: every metric pack and
 * every table of the Public role's folder. From every total the attacker can relate to its parts (a total
 * row, the same stays counted by day in one view and by ward in another, the pooled before/after figures of
 * the packs) it derives bounds for each suppressed cell by subtraction. None may come out exact or narrower
 * than the small-cell threshold. The same attack on a publication without linked suppression, and on packs
 * that pool suppressed rows, must find cells: otherwise this test could not fail.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy, type Policy } from '../../src/gov/policy-schema';
import { SUPPRESSED_COLUMN } from '../../src/gov/role-view';
import { isNumericType } from '../../src/gov/sql-text';
import { parseManifest } from '../../src/lake/manifest';
import type { BeforeAfter, MetricPack } from '../../src/lake/metric-pack';
import { openDuck, queryJson, sqlString, type Duck } from '../lake/duck';
import { beforeAfterSummary, type PackRow } from './before-after-summary';
import { FAST_TRACK_METRICS } from './fast-track-comparisons';
import { writeMetricPacks } from './metric-packs';
import { writeRoleLakes } from './role-lakes';
import { demoSessions } from './users-file';

const lakeDir = path.resolve('public/sample-lake');
const policyText = readFileSync(path.join(lakeDir, 'policy.json'), 'utf8');
const policy = parsePolicy(JSON.parse(policyText));
const manifest = parseManifest(JSON.parse(readFileSync(path.join(lakeDir, 'catalog.json'), 'utf8')));
const THRESHOLD = policy.roles.Public!.smallCells!.minGroupSize;
const unlinked: Policy = { ...policy, smallCellLinks: { periods: [], totals: [] } };

type Value = string | number | null;
interface PublishedRow {
  table: string;
  dims: Record<string, string>;
  values: Record<string, number | null>;
  suppressed: boolean;
}
interface Publication {
  rows: PublishedRow[];
  packs: MetricPack[];
}

let conn: Duck;
const dirs: string[] = [];

beforeAll(async () => {
  conn = await openDuck();
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** What a visitor can fetch: the Public folder and the packs, built from the lake under `p`. */
async function publish(p: Policy): Promise<Publication> {
  const out = mkdtempSync(path.join(tmpdir(), 'lakebook-published-'));
  dirs.push(out);
  const [folder] = await writeRoleLakes(
    {
      conn,
      lakeDir,
      manifest,
      policyText: JSON.stringify(p),
      policy: p,
      secret: 'published-aggregates-test-secret-0123456789',
      roles: ['Public'],
      users: demoSessions(p),
    },
    out,
  );
  const publicDir = path.join(out, folder!.folder);
  const catalog = parseManifest(JSON.parse(readFileSync(path.join(publicDir, 'catalog.json'), 'utf8')));
  const rows: PublishedRow[] = [];
  for (const table of catalog.tables.filter((t) => !t.withheld && t.files.length > 0)) {
    if (!table.columns.some((c) => c.name === SUPPRESSED_COLUMN)) continue;
    const files = table.files.map((f) => sqlString(path.join(publicDir, f.path))).join(', ');
    rows.push(...toRows(table.name, await queryJson(conn, `SELECT * FROM read_parquet([${files}])`)));
  }
  const report = await writeMetricPacks(
    { conn, lakeDir, projectDir: path.resolve('.'), manifest, policy: p },
    path.join(out, 'metrics'),
  );
  const packs = report.index.metrics.map(
    (m) => JSON.parse(readFileSync(path.join(out, 'metrics', m.url), 'utf8')) as MetricPack,
  );
  return { rows, packs };
}

/** Numeric columns (by the lake's catalog) are measures, null when suppressed; the others are dimensions. */
function toRows(table: string, raw: Record<string, unknown>[]): PublishedRow[] {
  const entry = manifest.tables.find((t) => t.name === table)!;
  const numeric = new Set(entry.columns.filter((c) => isNumericType(c.type)).map((c) => c.name));
  return raw.map((r) => {
    const dims: Record<string, string> = {};
    const values: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(r)) {
      if (k === SUPPRESSED_COLUMN) continue;
      if (numeric.has(k)) values[k] = v === null ? null : Number(v);
      else dims[k] = String(v);
    }
    return { table, dims, values, suppressed: r[SUPPRESSED_COLUMN] === true };
  });
}

// ---- the attacker ---------------------------------------------------------------------------------------

/** `Σ terms = constant`, every term a cell (published or not) with a coefficient. */
interface Equation {
  terms: { cell: string; coef: number }[];
  constant: number;
  why: string;
}

const cellId = (r: PublishedRow, measure: string) => `${r.table}|${JSON.stringify(r.dims)}|${measure}`;
const month = (iso: string) => iso.slice(0, 7);
const counts = (r: PublishedRow) =>
  Object.keys(r.values).filter((k) => k.startsWith('n_') && k !== 'n_patients');

/** The relations a reader can form from what is published, each checked against the stays it counts. */
function equations(pub: Publication, truth: Map<string, number>): Equation[] {
  const out: Equation[] = [];
  const valid = (e: Equation) => {
    const sum = e.terms.reduce((s, t) => s + t.coef * (truth.get(t.cell) ?? NaN), 0);
    return Math.abs(sum - e.constant) < 1e-6 * Math.max(1, Math.abs(e.constant));
  };
  const add = (e: Equation) => {
    if (valid(e)) out.push(e);
  };

  // A row labelled ALL is the total of the other rows of its table and snapshot.
  for (const total of pub.rows.filter((r) => Object.values(r.dims).includes('ALL'))) {
    const parts = pub.rows.filter(
      (r) => r.table === total.table && r !== total && r.dims.as_of === total.dims.as_of,
    );
    for (const m of counts(total))
      add({
        terms: [{ cell: cellId(total, m), coef: 1 }, ...parts.map((p) => ({ cell: cellId(p, m), coef: -1 }))],
        constant: 0,
        why: `${total.table} ALL row, ${m}`,
      });
  }

  // The same stays counted in two tables by month (e.g. by day in one, by ward in the other), snapshot by
  // snapshot: a rebuild writes one snapshot of every view at the same as_of (sameIn: as_of), and a view
  // keeps its earlier snapshots, which a view added later has no counterpart of.
  const dated = (r: PublishedRow) => Object.entries(r.dims).find(([k]) => /date|month/.test(k))?.[1];
  const tables = [...new Set(pub.rows.filter((r) => dated(r)).map((r) => r.table))];
  const at = (r: PublishedRow) => `${r.dims.as_of} ${month(dated(r)!)}`;
  for (const a of tables)
    for (const b of tables) {
      if (a >= b) continue;
      const ra = pub.rows.filter((r) => r.table === a);
      const rb = pub.rows.filter((r) => r.table === b);
      for (const ma of counts(ra[0]!))
        for (const mb of counts(rb[0]!)) {
          const shared = new Set(rb.map((r) => r.dims.as_of));
          for (const m of new Set(ra.filter((r) => shared.has(r.dims.as_of)).map(at))) {
            const ia = ra.filter((r) => at(r) === m);
            const ib = rb.filter((r) => at(r) === m);
            add({
              terms: [
                ...ia.map((r) => ({ cell: cellId(r, ma), coef: 1 })),
                ...ib.map((r) => ({ cell: cellId(r, mb), coef: -1 })),
              ],
              constant: 0,
              why: `${a}.${ma} and ${b}.${mb} in ${m}`,
            });
          }
        }
    }

  // Pooled before/after figures of the packs, taken at their word: rows from..to of the group, leftOut aside,
  // of the pack's own view or of the breakdown view a comparison names as its source (the readmission pack's
  // ward comparisons pool readmission_30d_by_ward).
  for (const pack of pub.packs) {
    const ba = pack.beforeAfter;
    if (!ba) continue;
    for (const c of ba.comparisons) {
      if (c.suppressed) continue;
      const table = c.source?.metric ?? pack.name;
      const periodColumn = c.source?.periodColumn ?? ba.periodColumn;
      // A pack pools the latest snapshot.
      const latest = pub.rows
        .filter((r) => r.table === table)
        .map((r) => r.dims.as_of!)
        .sort()
        .at(-1);
      for (const period of [c.before!, c.after!]) {
        const rows = pub.rows.filter(
          (r) =>
            r.table === table &&
            r.dims.as_of === latest &&
            Object.entries(c.group).every(([k, v]) => r.dims[k] === v) &&
            r.dims[periodColumn]! >= period.from &&
            r.dims[periodColumn]! <= period.to &&
            !period.leftOut.includes(r.dims[periodColumn]!),
        );
        if (c.kind === 'rate') {
          for (const [col, total] of [
            [c.numerator!, period.events!],
            [c.denominator!, period.n],
          ] as const)
            add({
              terms: rows.map((r) => ({ cell: cellId(r, col), coef: 1 })),
              constant: total,
              why: `${pack.name} ${c.measure} ${JSON.stringify(c.group)} ${period.from}..${period.to} ${col}`,
            });
        } else if (Object.keys(c.group).length > 0) {
          // One row per month in a ward: the mean of monthly means times the months is their sum.
          add({
            terms: rows.map((r) => ({ cell: cellId(r, c.column!), coef: 1 })),
            constant: period.value * period.n,
            why: `${pack.name} ${c.measure} ${JSON.stringify(c.group)} ${period.from}..${period.to}`,
          });
        }
      }
    }
  }
  return out;
}

interface Bound {
  low: number;
  high: number;
}

/**
 * Interval propagation over the equations until nothing narrows: published cells are fixed, the others
 * start at [0, ∞). This is subtraction carried as far as it goes, combining every relation at once.
 */
function bounds(pub: Publication, eqs: Equation[]): Map<string, Bound> {
  const b = new Map<string, Bound>();
  for (const r of pub.rows)
    for (const [m, v] of Object.entries(r.values))
      b.set(cellId(r, m), r.suppressed || v === null ? { low: 0, high: Infinity } : { low: v, high: v });
  for (let round = 0; round < 50; round++) {
    let changed = false;
    for (const e of eqs) {
      for (const t of e.terms) {
        let low = e.constant;
        let high = e.constant;
        for (const o of e.terms) {
          if (o === t) continue;
          const ob = b.get(o.cell)!;
          const [lo, hi] =
            o.coef > 0 ? [ob.low * o.coef, ob.high * o.coef] : [ob.high * o.coef, ob.low * o.coef];
          low -= hi;
          high -= lo;
        }
        const [l, h] = t.coef > 0 ? [low / t.coef, high / t.coef] : [high / t.coef, low / t.coef];
        const cur = b.get(t.cell)!;
        const next = { low: Math.max(cur.low, l), high: Math.min(cur.high, h) };
        if (next.low > cur.low + 1e-9 || next.high < cur.high - 1e-9) {
          b.set(t.cell, next);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return b;
}

/** Suppressed cells whose derived interval is narrower than the threshold (exact ones included). */
function exposed(pub: Publication, truth: Map<string, number>): { cell: string; bound: Bound }[] {
  const b = bounds(pub, equations(pub, truth));
  return pub.rows
    .filter((r) => r.suppressed)
    .flatMap((r) => Object.keys(r.values).map((m) => cellId(r, m)))
    .filter((cell) => truth.has(cell))
    .map((cell) => ({ cell, bound: b.get(cell)! }))
    .filter(({ bound }) => bound.high - bound.low < THRESHOLD);
}

/** The true value of every cell, from the lake's own metric views (the attacker's target, never published). */
async function truthOf(pub: Publication): Promise<Map<string, number>> {
  const truth = new Map<string, number>();
  for (const table of new Set(pub.rows.map((r) => r.table))) {
    const entry = manifest.tables.find((t) => t.name === table)!;
    const files = entry.files.map((f) => sqlString(path.join(lakeDir, f.path))).join(', ');
    for (const r of toRows(table, await queryJson(conn, `SELECT * FROM read_parquet([${files}])`)))
      for (const [m, v] of Object.entries(r.values)) if (v !== null) truth.set(cellId(r, m), v);
  }
  return truth;
}

/** Packs as they were before: pooled over every row of the snapshot, suppressed ones included. */
async function poolingEverything(pub: Publication): Promise<Publication> {
  const everyRow = async (metric: string) => {
    const entry = manifest.tables.find((t) => t.name === metric)!;
    const files = entry.files.map((f) => sqlString(path.join(lakeDir, f.path))).join(', ');
    const latest = `(SELECT max(as_of) FROM read_parquet([${files}]))`;
    const raw = toRows(
      metric,
      await queryJson(conn, `SELECT * FROM read_parquet([${files}]) WHERE as_of = ${latest}`),
    );
    return raw.map(({ dims: { as_of: _a, ...dims }, values }) => ({
      values: { ...dims, ...values } as Record<string, Value>,
      suppressed: false,
    }));
  };
  const packs: MetricPack[] = [];
  for (const pack of pub.packs) {
    const spec = FAST_TRACK_METRICS[pack.name];
    if (!spec || !pack.beforeAfter) continue;
    const breakdowns: Record<string, PackRow[]> = {};
    for (const b of spec.breakdowns ?? []) breakdowns[b.metric] = await everyRow(b.metric);
    const beforeAfter: BeforeAfter = beforeAfterSummary(
      await everyRow(pack.name),
      spec,
      pack.beforeAfter.intervention,
      breakdowns,
    );
    packs.push({ ...pack, beforeAfter });
  }
  return { rows: pub.rows, packs };
}

/** The publication under the lake's own policy, built once for the tests that read it. */
let asPublished: Promise<Publication> | undefined;
const published = () => (asPublished ??= publish(policy));

describe('published aggregates against subtraction', () => {
  it('no suppressed cell of the Public folder comes back from all packs and Public views together', async () => {
    const pub = await published();
    const truth = await truthOf(pub);
    const suppressed = pub.rows.filter((r) => r.suppressed);
    expect(suppressed.length).toBeGreaterThan(50);
    expect(new Set(suppressed.map((r) => r.table)).size).toBe(5);
    // The ward readmission view is in the attack: its months against the daily view's, its wards' pooled
    // figures (in its own pack and in the readmission pack), and its own small wards of April 2026.
    const eqs = equations(pub, truth);
    const why = (pattern: RegExp) => eqs.some((e) => pattern.test(e.why));
    expect(why(/^readmission_30d\.n_index_stays and readmission_30d_by_ward\.n_index_stays in /)).toBe(true);
    expect(why(/^readmission_30d readmission_rate_7d \{"ward":"Respiratory"\}/)).toBe(true);
    expect(why(/^readmission_30d_by_ward readmission_rate_7d \{\}/)).toBe(true);
    expect(
      suppressed.some(
        (r) =>
          r.table === 'readmission_30d_by_ward' &&
          r.dims.discharge_month === '2026-04-01' &&
          (truth.get(cellId(r, 'n_patients')) ?? 0) < THRESHOLD,
      ),
    ).toBe(true);
    expect(equations(pub, truth).length).toBeGreaterThan(100);
    expect(exposed(pub, truth)).toEqual([]);
  }, 120_000);

  it('a group set against the rest of its breakdown pools published rows only', async () => {
    // versusRest adds no count: its rest is the other groups' published rows over the group's own periods, so
    // recomputing it from what the Public folder shows gives the same figure, and it gives back nothing the
    // equations above do not already hold.
    const pub = await published();
    let checked = 0;
    for (const pack of pub.packs) {
      for (const c of pack.beforeAfter?.comparisons.filter((x) => x.versusRest) ?? []) {
        const table = c.source?.metric ?? pack.name;
        const periodColumn = c.source?.periodColumn ?? pack.beforeAfter!.periodColumn;
        const latest = pub.rows
          .filter((r) => r.table === table)
          .map((r) => r.dims.as_of!)
          .sort()
          .at(-1);
        const rows = pub.rows.filter((r) => r.table === table && r.dims.as_of === latest);
        const inGroup = (r: PublishedRow) => Object.entries(c.group).every(([k, v]) => r.dims[k] === v);
        const rate = (period: NonNullable<typeof c.before>) => {
          const own = rows.filter(
            (r) =>
              inGroup(r) &&
              r.dims[periodColumn]! >= period.from &&
              r.dims[periodColumn]! <= period.to &&
              !period.leftOut.includes(r.dims[periodColumn]!),
          );
          const at = new Set(own.map((r) => r.dims[periodColumn]));
          const rest = rows.filter((r) => !inGroup(r) && at.has(r.dims[periodColumn]));
          expect(rest.every((r) => !r.suppressed)).toBe(true);
          const sum = (col: string) => rest.reduce((t, r) => t + r.values[col]!, 0);
          return sum(c.numerator!) / sum(c.denominator!);
        };
        expect(rate(c.before!)).toBeCloseTo(c.versusRest!.rest.before, 12);
        expect(rate(c.after!)).toBeCloseTo(c.versusRest!.rest.after, 12);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  }, 120_000);

  it('the same attack finds cells when small cells are suppressed one row at a time', async () => {
    const pub = await publish(unlinked);
    const found = exposed(pub, await truthOf(pub));
    const tables = new Set(found.map((f) => f.cell.split('|')[0]));
    // The ALL row minus its parts: MIMIC's small admission types come back to within 3 readmissions.
    expect(tables).toContain('mimic_readmission_30d');
    expect(found.some((f) => f.cell.startsWith('mimic_readmission_30d|') && f.bound.high <= 3)).toBe(true);
    // A month of the ward readmission view minus the published days of the daily view: the same index stays,
    // so a small day comes back exact (2024-04-02, five index stays). Only the link to the ward view's
    // months stops it. (The daily view does not add up to los_by_ward or early_discharge_flags: they count
    // every stay, not only those whose look-back and follow-up the data cover.)
    const day = found.filter(
      (f) => f.cell.startsWith('readmission_30d|') && f.cell.endsWith('|n_index_stays'),
    );
    expect(day.some((f) => f.bound.high === f.bound.low && f.bound.low > 0)).toBe(true);
  }, 120_000);

  it('the same attack finds cells in packs that pool suppressed rows', async () => {
    const pub = await poolingEverything(await published());
    const found = exposed(pub, await truthOf(pub));
    const exact = found.filter((f) => f.bound.high - f.bound.low < 1e-6);
    // e.g. a ward's May 2026 mean stay: the after-period mean times its months minus the visible months.
    expect(exact.some((f) => f.cell.startsWith('los_by_ward|') && f.cell.endsWith('|mean_los_hours'))).toBe(
      true,
    );
  }, 120_000);
});
