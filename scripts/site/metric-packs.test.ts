import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tQuantile975, Z_95 } from '../../src/lake/before-after.ts';
import { columnTags, type Manifest } from '../../src/lake/manifest.ts';
import {
  parseMetricPack,
  parseMetricPackIndex,
  type Comparison,
  type MetricPack,
} from '../../src/lake/metric-pack.ts';
import { parsePolicy, type Policy } from '../../src/gov/policy-schema.ts';
import { openDuck, queryJson, sqlString, type Duck } from '../lake/duck.ts';
import { registerTables } from '../lake/lake-views.ts';
import { readManifest } from '../lake/manifest-store.ts';
import { parseMetricDefinition } from '../../src/lake/metric-definition.ts';
import { FAST_TRACK_METRICS } from './fast-track-comparisons.ts';
import { fastTrackRuleStart } from './fast-track-rule.ts';
import { buildMetricPack, PackRefusedError, writeMetricPacks, type PackContext } from './metric-packs.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lakeDir = path.join(projectDir, 'public/sample-lake');

let conn: Duck;
let manifest: Manifest;
let out: string;
let packs: Map<string, MetricPack>;
let policy: Policy;
/** The rule's start as the lake's audit log records it. */
let RULE: string;
const ctx = (m: Manifest = manifest): PackContext => ({ conn, lakeDir, projectDir, manifest: m, policy });

beforeAll(async () => {
  conn = await openDuck();
  manifest = readManifest(lakeDir)!;
  RULE = (await fastTrackRuleStart(conn, lakeDir, manifest)).date;
  policy = parsePolicy(JSON.parse(readFileSync(path.join(lakeDir, 'policy.json'), 'utf8')));
  out = mkdtempSync(path.join(tmpdir(), 'packs-'));
  const report = await writeMetricPacks(ctx(), out);
  expect(report.refused).toEqual([]);
  packs = new Map(
    report.index.metrics.map((m) => [
      m.name,
      parseMetricPack(JSON.parse(readFileSync(path.join(out, m.url), 'utf8'))),
    ]),
  );
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

const metricTables = () => manifest.tables.filter((t) => t.zone === 'metrics');

function comparison(pack: MetricPack, measure: string, group: Record<string, string> = {}): Comparison {
  const c = pack.beforeAfter?.comparisons.find(
    (x) => x.measure === measure && JSON.stringify(x.group) === JSON.stringify(group),
  );
  if (!c) throw new Error(`No comparison ${measure} ${JSON.stringify(group)} in ${pack.name}`);
  return c;
}

const snapshot = (name: string) => {
  const t = manifest.tables.find((x) => x.name === name)!;
  return `(SELECT * FROM read_parquet([${t.files.map((f) => sqlString(path.join(lakeDir, f.path))).join(', ')}]) WHERE as_of = TIMESTAMP ${sqlString(t.asOf!.replace('T', ' ').replace('Z', ''))})`;
};

/** Months with a group of fewer than 11 patients in any Evergreen metric: the policy links them by month. */
const smallMonths = () => `(
  SELECT date_trunc('month', discharge_date) FROM ${snapshot('readmission_30d')} WHERE n_patients < 11
  UNION SELECT discharge_month FROM ${snapshot('los_by_ward')} WHERE n_patients < 11
  UNION SELECT discharge_month FROM ${snapshot('early_discharge_flags')} WHERE n_patients < 11)`;

describe('metric packs', () => {
  it('every metric view gets a pack and an index entry, and both validate against the schema', () => {
    const index = parseMetricPackIndex(JSON.parse(readFileSync(path.join(out, 'index.json'), 'utf8')));
    expect(index.metrics.map((m) => m.name).sort()).toEqual(
      metricTables()
        .map((t) => t.name)
        .sort(),
    );
    for (const t of metricTables()) {
      const pack = packs.get(t.name)!;
      expect(pack.asOf).toBe(t.asOf);
      expect(pack.lineage.upstream).toEqual(t.lineage?.upstream);
      expect(pack.sql).toMatch(/^-- metric: /);
      expect(pack.definition).toMatch(/^Definition/);
      expect(pack.latest.rows.length).toBeGreaterThan(0);
    }
    for (const name of Object.keys(FAST_TRACK_METRICS))
      expect(packs.get(name)!.beforeAfter?.comparisons.length).toBeGreaterThan(0);
    expect(packs.get('mimic_readmission_30d')!.beforeAfter).toBeUndefined();
  });

  it('every readmission rate ships with its CMS-style twin, and the pack states the definitions', () => {
    const all = packs
      .get('mimic_readmission_30d')!
      .latest.rows.find((r) => r.values.admission_type === 'ALL');
    expect(Object.keys(all!.values)).toEqual(
      expect.arrayContaining(['readmission_rate_30d', 'readmission_rate_30d_cms', 'n_index_admissions_cms']),
    );
    const evergreen = packs.get('readmission_30d')!;
    expect(comparison(evergreen, 'readmission_rate_30d_cms').denominator).toBe('n_index_stays_cms');
    for (const name of ['readmission_30d', 'mimic_readmission_30d']) {
      const definition = packs.get(name)!.definition;
      expect(definition).toMatch(/CMS-style definition/);
      expect(definition).toMatch(/within 6 hours/);
    }
    expect(evergreen.definition).toMatch(/Complete windows/);
    expect(evergreen.latest.rows[0]!.values).toMatchObject({
      window_start: '2024-04-01',
      window_end: '2026-04-22',
    });
  });

  it('no pack writes a column the catalog tags PHI or PII, nor a column the catalog does not list', () => {
    for (const pack of packs.values()) {
      const table = manifest.tables.find((t) => t.name === pack.name)!;
      const tagsOf = new Map(table.columns.map((c) => [c.name, columnTags(table, c)]));
      const written = new Set(pack.latest.rows.flatMap((r) => Object.keys(r.values)));
      for (const name of [...written, ...pack.columns.map((c) => c.name)]) {
        expect(tagsOf.has(name), `${pack.name}.${name} is in the catalog`).toBe(true);
        expect(tagsOf.get(name)).not.toContain('PHI');
        expect(tagsOf.get(name)).not.toContain('PII');
      }
      const groupKeys = pack.beforeAfter?.comparisons.flatMap((c) => Object.keys(c.group)) ?? [];
      for (const key of groupKeys) expect(tagsOf.get(key)).toEqual(['PUBLIC', 'evergreen', 'metric']);
    }
  });

  it('refuses to pack a metric with a column tagged PHI, and writes no file for it', async () => {
    const tagged: Manifest = {
      ...manifest,
      tables: manifest.tables.map((t) =>
        t.name === 'los_by_ward'
          ? { ...t, columns: t.columns.map((c) => (c.name === 'ward' ? { ...c, tags: ['PHI'] } : c)) }
          : t,
      ),
    };
    const table = tagged.tables.find((t) => t.name === 'los_by_ward')!;
    await expect(buildMetricPack(ctx(tagged), table)).rejects.toThrow(PackRefusedError);
    await expect(buildMetricPack(ctx(tagged), table)).rejects.toThrow(/ward/);

    const dir = mkdtempSync(path.join(tmpdir(), 'packs-refused-'));
    try {
      const report = await writeMetricPacks(ctx(tagged), dir);
      expect(report.refused.map((r) => r.metric)).toEqual(['los_by_ward']);
      expect(existsSync(path.join(dir, 'los_by_ward.json'))).toBe(false);
      expect(report.index.metrics.map((m) => m.name)).not.toContain('los_by_ward');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to pack a metric whose SQL file changed since the lake was built, naming the file', async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'packs-project-'));
    try {
      mkdirSync(path.join(project, 'metrics'));
      const sql = readFileSync(path.join(projectDir, 'metrics/los_by_ward.sql'), 'utf8');
      writeFileSync(
        path.join(project, 'metrics/los_by_ward.sql'),
        sql.replace('0.9) AS p90', '0.95) AS p90'),
      );
      const table = manifest.tables.find((t) => t.name === 'los_by_ward')!;
      await expect(buildMetricPack({ ...ctx(), projectDir: project }, table)).rejects.toThrow(
        /metrics\/los_by_ward\.sql changed since los_by_ward was built .*rebuild/,
      );
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('treats a snapshot column missing from the catalog as PHI', async () => {
    const untagged: Manifest = {
      ...manifest,
      tables: manifest.tables.map((t) =>
        t.name === 'los_by_ward' ? { ...t, columns: t.columns.filter((c) => c.name !== 'ward') } : t,
      ),
    };
    const table = untagged.tables.find((t) => t.name === 'los_by_ward')!;
    await expect(buildMetricPack(ctx(untagged), table)).rejects.toThrow(PackRefusedError);
  });

  it('suppresses every row of fewer than 11 patients and the rows linked to them: dimensions kept, measures null', async () => {
    for (const pack of packs.values()) {
      const period = pack.name === 'readmission_30d' ? 'discharge_date' : 'discharge_month';
      const linked =
        pack.name === 'mimic_readmission_30d'
          ? `admission_type = 'ALL'`
          : `date_trunc('month', ${period}) IN ${smallMonths()}`;
      const [row] = await queryJson(
        conn,
        `SELECT count(*) FILTER (WHERE n_patients < 11 OR ${linked}) AS small, count(*) AS n FROM ${snapshot(pack.name)}`,
      );
      expect(pack.latest.rows.length).toBe(Number(row!.n));
      expect(pack.latest.suppressedRows).toBe(Number(row!.small));
      for (const r of pack.latest.rows) {
        const n = r.values.n_patients;
        if (r.suppressed) {
          expect(n).toBeNull();
          for (const c of pack.columns.filter((c) => /INT|DOUBLE/.test(c.type)))
            expect(r.values[c.name]).toBeNull();
        } else expect(n).toBeGreaterThanOrEqual(11);
      }
    }
    expect(packs.get('mimic_readmission_30d')!.latest.suppressedRows).toBeGreaterThan(0);
  });

  it('the 30-day readmission before/after agrees with the metric SQL run directly on the stays', async () => {
    // The definition is the metric's own SQL file, run here on the curated stays rather than read from a snapshot.
    const definition = parseMetricDefinition(
      readFileSync(path.join(projectDir, 'metrics/readmission_30d.sql'), 'utf8'),
      'readmission_30d.sql',
    );
    await registerTables(conn, lakeDir, manifest, definition.upstream);
    const [direct] = await queryJson(
      conn,
      `WITH d AS (${definition.sql}),
       p AS (
         SELECT sum(n_readmitted_30d) FILTER (WHERE before) / sum(n_index_stays) FILTER (WHERE before) AS p1,
                sum(n_index_stays) FILTER (WHERE before) AS n1,
                sum(n_readmitted_30d) FILTER (WHERE NOT before) / sum(n_index_stays) FILTER (WHERE NOT before) AS p2,
                sum(n_index_stays) FILTER (WHERE NOT before) AS n2
         FROM (SELECT *, discharge_date < DATE '${RULE}' AS before FROM d)
         WHERE date_trunc('month', discharge_date) NOT IN ${smallMonths()})
       SELECT p1, p2, n1, n2, p2 - p1 AS d, sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) AS se FROM p`,
    );
    const c = comparison(packs.get('readmission_30d')!, 'readmission_rate_30d');
    expect(c.before!.n).toBe(Number(direct!.n1));
    expect(c.after!.n).toBe(Number(direct!.n2));
    expect(c.before!.value).toBeCloseTo(Number(direct!.p1), 12);
    expect(c.after!.value).toBeCloseTo(Number(direct!.p2), 12);
    expect(c.difference).toBeCloseTo(Number(direct!.d), 12);
    expect(c.ci95!.low).toBeCloseTo(Number(direct!.d) - Z_95 * Number(direct!.se), 12);
    expect(c.ci95!.high).toBeCloseTo(Number(direct!.d) + Z_95 * Number(direct!.se), 12);
  });

  it('per-ward flag shares and length-of-stay means agree with SQL over the snapshots', async () => {
    const flags = await queryJson(
      conn,
      `SELECT ward, discharge_month < DATE '${RULE}' AS before, sum(n_flagged) AS e, sum(n_discharges) AS n
       FROM ${snapshot('early_discharge_flags')} WHERE discharge_month NOT IN ${smallMonths()} GROUP BY ALL`,
    );
    const los = await queryJson(
      conn,
      `SELECT ward, discharge_month < DATE '${RULE}' AS before, avg(mean_los_hours) AS m,
              var_samp(mean_los_hours) / count(*) AS v, count(*) AS k
       FROM ${snapshot('los_by_ward')} WHERE discharge_month NOT IN ${smallMonths()} GROUP BY ALL`,
    );
    const wards = [...new Set(flags.map((r) => String(r.ward)))];
    expect(wards.length).toBeGreaterThan(3);
    for (const ward of wards) {
      const f = (before: boolean) => flags.find((r) => r.ward === ward && r.before === before)!;
      const [p1, p2] = [f(true), f(false)].map((r) => Number(r.e) / Number(r.n)) as [number, number];
      const c = comparison(packs.get('early_discharge_flags')!, 'flagged_share', { ward });
      expect(c.before!.events).toBe(Number(f(true).e));
      expect(c.difference).toBeCloseTo(p2 - p1, 12);

      const l = (before: boolean) => los.find((r) => r.ward === ward && r.before === before)!;
      const [b, a] = [l(true), l(false)];
      const se = Math.sqrt(Number(b.v) + Number(a.v));
      const df =
        (Number(b.v) + Number(a.v)) ** 2 /
        (Number(b.v) ** 2 / (Number(b.k) - 1) + Number(a.v) ** 2 / (Number(a.k) - 1));
      const m = comparison(packs.get('los_by_ward')!, 'mean_los_hours', { ward });
      expect(m.before!.value).toBeCloseTo(Number(b.m), 9);
      expect(m.after!.value).toBeCloseTo(Number(a.m), 9);
      expect(m.ci95!.high - m.ci95!.low).toBeCloseTo(2 * tQuantile975(df) * se, 9);
    }
  });
});
