/**
 * The Fast-Track review notebook (`public/sample-lake/notebooks/fast-track-review.lakebook.json`), run as the
 * DataAnalyst role sees the lake, with each of its answers recomputed here in TypeScript from the rows.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readLakeNotebook,
  runNotebookCells,
  staticProblems,
  tablesRead,
  type CellResults,
} from '../../../scripts/lake/check-notebooks.ts';
import { openDuck, queryJson, sqlIdent, sqlString, type Duck } from '../../../scripts/lake/duck.ts';
import { GAMING_WARD } from '../../../scripts/lake/evergreen/simulate.ts';
import { registerTables } from '../../../scripts/lake/lake-views.ts';
import { readManifest } from '../../../scripts/lake/manifest-store.ts';
import { testViewOptions } from '../../gov/fixtures/test-lake.ts';
import { parsePolicy } from '../../gov/policy-schema.ts';
import { buildRoleView, roleSelectSql } from '../../gov/role-view.ts';
import { REVIEW_NOTEBOOK_PATH } from '../../notebook/notebook-url.ts';
import { clusterCovariance, holm, ols, twoSidedP } from './reference-stats.ts';
import {
  DAY,
  referenceIndexStays,
  referenceWindow,
  type DataWindow,
  type IndexStay,
  type Stay,
} from './reference-stays.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const lakeDir = path.join(projectDir, 'public/sample-lake');
const manifest = readManifest(lakeDir)!;
const review = readLakeNotebook(lakeDir, REVIEW_NOTEBOOK_PATH);
/** The source of record, read from the lake as it is (analysts see the audit log withheld). */
const AUDIT_RULE_SQL = `SELECT epoch_ms(min(event_time)) AS t FROM evergreen_audit_events
  WHERE action = 'policy.enable' AND resource = 'rule:fast-track-discharge' AND outcome = 'applied'`;
const num = (v: unknown) => Number(v);
const close = (actual: unknown, expected: number, digits = 9) =>
  expect(num(actual)).toBeCloseTo(expected, digits);

describe('the review notebook file', () => {
  it('reads with the notebook file parser, hides no lake table, has no cycle, and its charts are complete', () => {
    expect(
      staticProblems(
        review,
        manifest.tables.map((t) => t.name),
      ),
    ).toEqual([]);
    expect(review.cells.filter((c) => c.kind === 'chart').length).toBeGreaterThanOrEqual(8);
  });

  it('opens with the findings, and no SQL names a ward or a date: the data supply both', () => {
    expect(review.cells[0]).toMatchObject({ kind: 'markdown', published: true });
    expect((review.cells[0] as { text: string }).text).toMatch(/^# .*\n\n## What we found/);
    const sql = review.cells.flatMap((c) => (c.kind === 'sql' ? [c.sql] : [])).join('\n');
    for (const ward of [
      'Cardiology',
      'General Medicine',
      'Orthopaedics',
      'Respiratory',
      'Surgery',
      'Oncology',
    ])
      expect(sql).not.toContain(ward);
    expect(sql).not.toMatch(/20\d\d-\d\d-\d\d/);
  });
});

/**
 * Runs every SQL cell in order, as the engine does (each cell a TEMP VIEW named after it), over what the
 * DataAnalyst role sees: the role view's masked columns computed from the sample lake.
 */
describe('the review under DataAnalyst, against an independent computation', () => {
  let conn: Duck;
  let staging: Duck;
  let work: string;
  let results: CellResults;
  let problems: unknown[];
  let stays: Stay[];
  let index: IndexStay[];
  let window: DataWindow;
  let ruleEnabled: number;
  const rows = (name: string) => results.get(name)!;
  const one = (name: string) => rows(name)[0]!;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'review-'));
    const policy = parsePolicy(JSON.parse(readFileSync(path.join(lakeDir, 'policy.json'), 'utf8')));
    const view = buildRoleView(
      policy,
      manifest,
      { user: 'analyst', role: 'DataAnalyst', attributes: {} },
      testViewOptions,
    );
    const used = new Set(tablesRead(review, manifest));
    staging = await openDuck();
    await registerTables(staging, lakeDir, manifest, [...used]);
    conn = await openDuck();
    for (const access of view.tables.filter((t) => used.has(t.table))) {
      const file = path.join(work, `${access.table}.parquet`);
      await staging.run(`COPY (${roleSelectSql(access)}) TO ${sqlString(file)} (FORMAT parquet)`);
      await conn.run(
        `CREATE VIEW ${sqlIdent(access.table)} AS SELECT * FROM read_parquet(${sqlString(file)})`,
      );
    }
    ({ results, problems } = await runNotebookCells(conn, review));
    stays = (
      await queryJson(
        conn,
        `SELECT patient_id, ward, diagnosis_group, epoch_ms(admit_time) AS a, epoch_ms(discharge_time) AS d,
                los_hours, discharge_disposition = 'died' AS died
         FROM evergreen_admissions`,
      )
    ).map((r) => ({
      patient: String(r.patient_id),
      ward: String(r.ward),
      group: String(r.diagnosis_group),
      admit: num(r.a),
      discharge: num(r.d),
      losHours: num(r.los_hours),
      died: r.died === true,
    }));
    const [audit] = await queryJson(staging, AUDIT_RULE_SQL);
    ruleEnabled = num(audit!.t);
    window = referenceWindow(stays);
    index = referenceIndexStays(stays, window, Math.floor(ruleEnabled / DAY) * DAY);
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('runs top to bottom, every cell returns rows, and every chart draws columns its source returns', () => {
    expect(problems).toEqual([]);
    for (const c of review.cells)
      if (c.kind === 'sql') expect(rows(c.name).length, c.name).toBeGreaterThan(0);
  });

  it('derives the window from the data: 30 days after the first admission to 30 days before the feed stops', () => {
    const w = one('data_window');
    expect(Date.parse(`${String(w.feed_end)}Z`)).toBe(window.feedEnd);
    expect(Date.parse(`${String(w.window_start)}Z`)).toBe(window.first + 30 * DAY);
    expect(Date.parse(`${String(w.window_end)}Z`)).toBe(window.feedEnd - 30 * DAY);
    // The table runs on past the feed's end with returning patients only: the window does not follow it.
    expect(Date.parse(`${String(w.last_admission)}Z`)).toBeGreaterThan(window.feedEnd + 30 * DAY);
    expect(w.first_month).toBe(window.firstMonth);
    expect(w.last_month).toBe(window.lastMonth);
    expect(rows('index_stays').length).toBe(index.length);
    expect(rows('monthly_readmission').map((r) => r.month)).toEqual(
      [...new Set(index.map((s) => s.month))].sort(),
    );
  });

  it('takes the rule date the audit log records, though analysts may not read the audit log itself', async () => {
    const forms = await queryJson(
      conn,
      `SELECT admission_id, epoch_ms(submitted_at) AS t FROM evergreen_discharge_forms WHERE fast_track`,
    );
    const admits = new Map(
      (await queryJson(conn, 'SELECT admission_id, epoch_ms(admit_time) AS t FROM evergreen_admissions')).map(
        (r) => [r.admission_id, num(r.t)],
      ),
    );
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    const rule = one('rule_start');
    // Analysts see the audit log's contents withheld: the check beside the rule date is empty for them.
    expect(one('rule_start_audit').audit_rule_date).toBeNull();
    expect(rule.rule_date).toBe(day(ruleEnabled));
    expect(rule.first_fast_track_admission).toBe(
      day(Math.min(...forms.map((f) => admits.get(f.admission_id)!))),
    );
    expect(rule.first_form_date).toBe(day(Math.min(...forms.map((f) => num(f.t)))));
  });

  it('before/after: the same rates, and a standard error that treats patients as clusters', () => {
    const x = index.map((s) => [1, s.after ? 1 : 0]);
    const patients = index.map((s) => s.patient);
    for (const [measure, pick] of [
      ['30-day readmission', (s: IndexStay) => s.r30],
      ['7-day readmission', (s: IndexStay) => s.r7],
      ['length of stay (days)', (s: IndexStay) => s.losHours / 24],
    ] as const) {
      const y = index.map(pick);
      const row = rows('before_after').find((r) => r.measure === measure)!;
      const { coefficients } = ols(x, y);
      const se = Math.sqrt(clusterCovariance(x, y, patients)[1]![1]!);
      close(row.mean_before, coefficients[0]!);
      close(row.difference, coefficients[1]!);
      close(row.se_patients, se);
      close(row.ci_low, coefficients[1]! - 1.959964 * se);
      expect(num(row.patients)).toBe(new Set(patients).size);
    }
  });

  it('p-chart: centre line and 3-sigma limits per month, before the rule and again after it', () => {
    const months = [...new Set(index.map((s) => s.month))].sort();
    const chart = rows('p_chart');
    expect(chart.map((r) => r.month)).toEqual(months);
    const phase = (after: boolean) => {
      const s = index.filter((i) => i.after === after);
      return s.reduce((n, i) => n + i.r30, 0) / s.length;
    };
    let run = 0;
    let longest = 0;
    for (const r of chart) {
      const inMonth = index.filter((s) => s.month === r.month);
      const after = inMonth[0]!.after;
      const p = phase(after);
      const rate = inMonth.reduce((n, s) => n + s.r30, 0) / inMonth.length;
      close(r.rate_30d, rate);
      close(r.centre, p);
      close(r.upper_limit, Math.min(1, p + 3 * Math.sqrt((p * (1 - p)) / inMonth.length)));
      close(r.lower_limit, Math.max(0, p - 3 * Math.sqrt((p * (1 - p)) / inMonth.length)));
      if (after) {
        run = rate < phase(false) ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
    }
    expect(num(one('p_chart_summary').longest_run_below_baseline_centre)).toBe(longest);
    const lines = rows('p_chart_lines');
    expect(new Set(lines.map((r) => r.line)).size).toBe(4);
  });

  it('interrupted time series: level and slope change from least squares on the four-column design', () => {
    const monthly = rows('monthly_readmission');
    const t0 = Math.min(...monthly.filter((m) => m.period === 'after').map((m) => num(m.month_index)));
    const x = monthly.map((m) => {
      const t = num(m.month_index);
      const after = m.period === 'after' ? 1 : 0;
      return [1, t, after, after * (t - t0)];
    });
    const fit = ols(
      x,
      monthly.map((m) => num(m.rate_30d)),
    );
    const its = one('interrupted_time_series');
    expect(num(its.df)).toBe(monthly.length - 4);
    // Student's t 97.5% quantile for 17 degrees of freedom is 2.1098 (tables).
    if (num(its.df) === 17) close(its.t975, 2.1098, 3);
    const t = num(its.t975);
    close(its.level_change, fit.coefficients[2]!);
    close(its.slope_change, fit.coefficients[3]!);
    close(its.slope_before, fit.coefficients[1]!);
    close(its.se_level, Math.sqrt(fit.covariance[2]![2]!));
    close(its.se_slope, Math.sqrt(fit.covariance[3]![3]!));
    close(its.level_ci_high, fit.coefficients[2]! + t * Math.sqrt(fit.covariance[2]![2]!));
  });

  it('screen: each ward and diagnosis group against the rest, with Holm-adjusted p-values', () => {
    const units = [
      ...[...new Set(index.map((s) => s.ward))].map(
        (u) => ['ward', u, (s: IndexStay) => s.ward === u] as const,
      ),
      ...[...new Set(index.map((s) => s.group))].map(
        (u) => ['diagnosis group', u, (s: IndexStay) => s.group === u] as const,
      ),
    ];
    const tests = units.map(([level, unit, inside]) => {
      const x = index.map((s) => {
        const i = inside(s) ? 1 : 0;
        const a = s.after ? 1 : 0;
        return [1, i, a, i * a];
      });
      const y = index.map((s) => s.r7);
      const did = ols(x, y).coefficients[3]!;
      const se = Math.sqrt(
        clusterCovariance(
          x,
          y,
          index.map((s) => s.patient),
        )[3]![3]!,
      );
      return { level, unit, did, p: twoSidedP(did / se) };
    });
    const adjusted = holm(tests.map((t) => t.p));
    const screen = rows('unit_screen');
    expect(screen.length).toBe(tests.length);
    tests.forEach((t, i) => {
      const row = screen.find((r) => r.level === t.level && r.unit === t.unit)!;
      close(row.excess_change_7d, t.did);
      // Two different approximations of the normal tail, each good to about 1e-7; far out (p below 1e-12)
      // their ratio drifts, where it decides nothing.
      expect(Math.abs(num(row.p_value) - t.p)).toBeLessThan(5e-7);
      expect(Math.abs(num(row.p_holm) - adjusted[i]!)).toBeLessThan(1e-5);
      if (t.p > 1e-12) expect(Math.abs(Math.log(num(row.p_value) / t.p))).toBeLessThan(0.01);
      expect(row.stands_out).toBe(adjusted[i]! < 0.05 && t.did > 0);
    });
    const named = tests.filter((t, i) => t.level === 'ward' && adjusted[i]! < 0.05 && t.did > 0);
    expect(named.map((t) => t.unit)).toEqual([GAMING_WARD]);
    expect(one('ward_under_review').ward).toBe(GAMING_WARD);
    expect(one('screen_answer').answer).toBe(GAMING_WARD);
  });

  it('difference in differences of the named ward against the other wards, patients as clusters', () => {
    const ward = String(one('ward_under_review').ward);
    const x = index.map((s) => {
      const i = s.ward === ward ? 1 : 0;
      const a = s.after ? 1 : 0;
      return [1, i, a, i * a];
    });
    for (const [measure, pick] of [
      ['30-day readmission', (s: IndexStay) => s.r30],
      ['length of stay (days)', (s: IndexStay) => s.losHours / 24],
    ] as const) {
      const y = index.map(pick);
      const did = ols(x, y).coefficients[3]!;
      const se = Math.sqrt(
        clusterCovariance(
          x,
          y,
          index.map((s) => s.patient),
        )[3]![3]!,
      );
      const row = rows('ward_did').find((r) => r.measure === measure)!;
      close(row.difference_in_differences, did);
      close(row.ci_low, did - 1.959964 * se);
      close(row.ci_high, did + 1.959964 * se);
    }
  });

  it('the findings state the numbers the queries return', () => {
    const text = (review.cells[0] as { text: string }).text;
    const minus = (v: string) => v.replace('-', '−');
    const fixed = (v: unknown, scale = 100) => minus((num(v) * scale).toFixed(2));
    const signed = (v: unknown, scale = 100) => (num(v) > 0 ? '+' : '') + fixed(v, scale);
    const interval = (lo: unknown, hi: unknown, scale = 100) =>
      `(95% interval ${fixed(lo, scale)} to ${fixed(hi, scale)}`;
    const monthName = (m: unknown) =>
      new Date(`${String(m)}T00:00:00Z`).toLocaleString('en-GB', {
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      });
    const ba = rows('before_after').find((r) => r.measure === '30-day readmission')!;
    const its = one('interrupted_time_series');
    const pc = one('p_chart_summary');
    const answer = one('screen_answer');
    const did = (m: string) => rows('ward_did').find((r) => r.measure === m)!;
    const expected = [
      `rule on ${String(one('rule_start').rule_date)}`,
      `${num(ba.stays_before) + num(ba.stays_after)}`.replace(/\B(?=(\d{3})+$)/g, ','),
      `${num(ba.patients)}`.replace(/\B(?=(\d{3})+$)/g, ','),
      `between ${monthName(one('data_window').first_month)} and ${monthName(one('data_window').last_month)}`,
      `from ${fixed(ba.mean_before)}% before`,
      `to ${fixed(ba.mean_after)}% after`,
      `${fixed(ba.difference)} percentage\n   points ${interval(ba.ci_low, ba.ci_high)}`,
      `below the old average ${num(pc.longest_run_below_baseline_centre)} months in a row`,
      `the ${num(its.months)} monthly rates`,
      `${fixed(its.level_change)} points ${interval(its.level_ci_low, its.level_ci_high)}`,
      `Of ${num(answer.tests)} wards and diagnosis groups`,
      `stands out: ${String(answer.answer)}`,
      `${signed(did('7-day readmission').difference_in_differences)} points ${interval(did('7-day readmission').ci_low, did('7-day readmission').ci_high)}`,
      `${signed(did('30-day readmission').difference_in_differences)} points ${interval(did('30-day readmission').ci_low, did('30-day readmission').ci_high)}`,
      `${signed(did('length of stay (days)').difference_in_differences, 1)} days ${interval(did('length of stay (days)').ci_low, did('length of stay (days)').ci_high, 1)}`,
      `${signed(did('early-discharge flag').difference_in_differences)} points\n   ${interval(did('early-discharge flag').ci_low, did('early-discharge flag').ci_high)}`,
    ];
    expect(num(pc.before_months_outside_limits)).toBe(0);
    expect(text).toContain('before the rule no month was out of the ordinary');
    const standing = rows('unit_screen').filter((r) => r.stands_out && r.level === 'diagnosis group');
    for (const r of standing) expect(text).toContain(String(r.unit));
    const flat = (t: string) => t.replace(/\n\s*/g, ' ');
    for (const fragment of expected) expect(flat(text)).toContain(flat(fragment));
  });
});
