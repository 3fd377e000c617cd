import { createHash } from 'node:crypto';
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
  UNION SELECT discharge_month FROM ${snapshot('early_discharge_flags')} WHERE n_patients < 11
  UNION SELECT discharge_month FROM ${snapshot('readmission_30d_by_ward')} WHERE n_patients < 11)`;

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
      for (const c of pack.beforeAfter?.comparisons ?? []) {
        // A breakdown's groups are columns of the view it pools.
        const source = manifest.tables.find((t) => t.name === (c.source?.metric ?? pack.name))!;
        for (const key of Object.keys(c.group)) {
          const column = source.columns.find((x) => x.name === key)!;
          expect(columnTags(source, column)).toEqual(['PUBLIC', 'evergreen', 'metric']);
        }
      }
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

  it('every column says what it holds and in what unit, and a rate names the columns it divides', () => {
    for (const pack of packs.values()) {
      const names = new Set(pack.columns.map((c) => c.name));
      for (const c of pack.columns) {
        expect(c.description.length, `${pack.name}.${c.name}`).toBeGreaterThan(10);
        expect(c.unit, `${pack.name}.${c.name}`).toMatch(/\S/);
        if (c.unit.startsWith('proportion')) {
          expect(names.has(c.numerator!), `${pack.name}.${c.name} numerator`).toBe(true);
          expect(names.has(c.denominator!), `${pack.name}.${c.name} denominator`).toBe(true);
          for (const r of pack.latest.rows.filter((x) => !x.suppressed))
            expect(r.values[c.name]).toBeCloseTo(
              Number(r.values[c.numerator!]) / Number(r.values[c.denominator!]),
              12,
            );
        } else expect(c.numerator).toBeUndefined();
      }
    }
    const readmission = packs.get('readmission_30d')!;
    const unit = (name: string) => readmission.columns.find((c) => c.name === name)!.unit;
    expect([unit('discharge_date'), unit('n_index_stays'), unit('n_patients')]).toEqual([
      'date',
      'index stays',
      'patients',
    ]);
    expect(readmission.columns.find((c) => c.name === 'readmission_rate_7d')).toMatchObject({
      unit: 'proportion (0–1)',
      numerator: 'n_readmitted_7d',
      denominator: 'n_index_stays',
    });
    expect(packs.get('los_by_ward')!.columns.find((c) => c.name === 'mean_los_hours')!.unit).toBe('hours');
    // The catalog carries the same descriptions, so the app's catalog panel says what the pack says.
    const table = manifest.tables.find((t) => t.name === 'readmission_30d')!;
    for (const c of readmission.columns)
      expect(table.columns.find((x) => x.name === c.name)!.description).toBe(c.description);
  });

  it('every pack carries caveats: definition, window, intervals, suppression, risk adjustment, design', () => {
    for (const pack of packs.values()) {
      expect(pack.caveats.length, pack.name).toBeGreaterThan(2);
      expect(pack.caveats.join(' ')).toMatch(/fewer than 11 patients/);
      expect(pack.caveats.join(' ')).toMatch(/Not risk-adjusted/);
      if (pack.beforeAfter) expect(pack.caveats.join(' ')).toMatch(/no concurrent control group/);
      expect(pack.caveats.join(' ')).not.toMatch(/\{[a-z_]+\}/);
    }
    const caveats = packs.get('readmission_30d')!.caveats.join('\n');
    expect(caveats).toMatch(/^Definition: a readmission is/m);
    expect(caveats).toContain('admitted on or after 2024-04-01 and discharged on or before 2026-04-22');
    expect(caveats).toMatch(/treat every stay as independent/);
    expect(caveats).toMatch(/Left out here: 2024-04, 2026-03, 2026-04\./);
    expect(caveats).toMatch(/6 groups by ward are compared/);
    expect(caveats).toMatch(/withholds \d+ of 751 rows/);
    expect(packs.get('los_by_ward')!.caveats.join(' ')).toMatch(/take each month as one observation/);
    expect(packs.get('mimic_readmission_30d')!.caveats.join(' ')).toMatch(
      /ALL row of admission_type is withheld/,
    );
  });

  it('the readmission pack carries the ward comparisons and links the ward pack, which links back', () => {
    const daily = packs.get('readmission_30d')!;
    const wards = packs.get('readmission_30d_by_ward')!;
    expect(daily.related).toEqual([
      expect.objectContaining({
        metric: 'readmission_30d_by_ward',
        url: 'readmission_30d_by_ward.json',
        relation: 'breakdown',
        by: ['ward'],
      }),
    ]);
    expect(wards.related).toEqual([
      expect.objectContaining({ metric: 'readmission_30d', url: 'readmission_30d.json', relation: 'total' }),
    ]);
    const byWard = (pack: MetricPack) =>
      pack
        .beforeAfter!.comparisons.filter((c) => c.group.ward !== undefined)
        .map(({ source: _s, ...c }) => c);
    expect(byWard(daily).length).toBe(6 * 3);
    expect(daily.beforeAfter!.comparisons.filter((c) => c.group.ward).every((c) => c.source)).toBe(true);
    expect(byWard(daily)).toEqual(byWard(wards));
    // The same stays: the hospital-wide figures of both packs pool the same counts.
    for (const measure of ['readmission_rate_30d', 'readmission_rate_7d', 'readmission_rate_30d_cms']) {
      const [d, w] = [comparison(daily, measure), comparison(wards, measure)];
      expect([w.before!.n, w.before!.events, w.after!.n, w.after!.events]).toEqual([
        d.before!.n,
        d.before!.events,
        d.after!.n,
        d.after!.events,
      ]);
    }
  });

  it("shows Respiratory's readmissions rising while the hospital's fall, and names no other ward", () => {
    const pack = packs.get('readmission_30d')!;
    expect(comparison(pack, 'readmission_rate_30d').difference).toBeLessThan(-0.01);
    for (const measure of ['readmission_rate_7d', 'readmission_rate_30d']) {
      const respiratory = comparison(pack, measure, { ward: 'Respiratory' });
      expect(respiratory.source).toEqual({
        metric: 'readmission_30d_by_ward',
        periodColumn: 'discharge_month',
      });
      expect(respiratory.difference).toBeGreaterThan(0.04);
      expect(respiratory.ci95!.low).toBeGreaterThan(0);
      expect(respiratory.worse).toBe('higher');
      expect(respiratory.versusRest).toMatchObject({ tests: 6, standsOut: true });
      expect(respiratory.versusRest!.adjustedPValue).toBeLessThan(1e-6);
      const others = pack.beforeAfter!.comparisons.filter(
        (c) => c.measure === measure && c.group.ward && c.group.ward !== 'Respiratory',
      );
      expect(others).toHaveLength(5);
      for (const c of others) expect(c.versusRest!.standsOut, c.group.ward).toBe(false);
    }
    expect(
      comparison(pack, 'readmission_rate_7d', { ward: 'Respiratory' }).versusRest!.difference,
    ).toBeCloseTo(0.07, 2);
  });

  it('refuses to pack a metric whose SQL file does not document every column', async () => {
    const project = mkdtempSync(path.join(tmpdir(), 'packs-undocumented-'));
    try {
      mkdirSync(path.join(project, 'metrics'));
      const sql = readFileSync(path.join(projectDir, 'metrics/los_by_ward.sql'), 'utf8');
      const file = path.join(project, 'metrics/los_by_ward.sql');
      writeFileSync(file, sql.replace(/^-- column: p90_los_hours .*\n/m, ''));
      const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
      const edited: Manifest = {
        ...manifest,
        tables: manifest.tables.map((t) =>
          t.name === 'los_by_ward' ? { ...t, lineage: { ...t.lineage!, definitionSha256: sha } } : t,
        ),
      };
      const table = edited.tables.find((t) => t.name === 'los_by_ward')!;
      const built = buildMetricPack({ ...ctx(edited), projectDir: project }, table);
      await expect(built).rejects.toThrow(PackRefusedError);
      await expect(built).rejects.toThrow(/no unit and description for p90_los_hours/);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
