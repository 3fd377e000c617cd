import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DuckSession } from '../../src/engine/worker/core/duck-session';
import { buildRoleView } from '../../src/gov/role-view';
import type { Session } from '../../src/gov/types';
import { testManifest, testPolicy, testViewOptions } from '../../src/gov/fixtures/test-lake';
import { RAW_SUBJECT_IDS, SECRET_SSNS, stagingSession, userSession } from './instances';

/** Per-role viewpoint checks on values, in the style of PostgreSQL's rowsecurity regression. */

async function rows(s: DuckSession, sql: string): Promise<Record<string, unknown>[]> {
  return tableFromIPC(await s.run(sql))
    .toArray()
    .map((r) => r.toJSON() as Record<string, unknown>);
}

describe('what each role sees', () => {
  let staging: DuckSession;
  const as = async (role: string, attributes: Session['attributes'] = {}) =>
    userSession(
      buildRoleView(testPolicy, testManifest, { user: 'u', role, attributes }, testViewOptions),
      staging,
    );
  beforeAll(async () => {
    staging = await stagingSession();
  });

  it('DataAnalyst: hashed keys still join, and each patient keeps true intervals under the date shift', async () => {
    const user = await as('DataAnalyst');
    const [joined] = await rows(
      user,
      'SELECT count(*)::INT AS n FROM admissions a JOIN patients p USING (subject_id) JOIN transfers t USING (hadm_id)',
    );
    expect(joined.n).toBe(60);
    const ids = await rows(user, 'SELECT DISTINCT subject_id FROM patients');
    expect(ids.every((r) => typeof r.subject_id === 'string' && /^[0-9a-f]{16}$/.test(r.subject_id))).toBe(
      true,
    );
    expect(ids.some((r) => RAW_SUBJECT_IDS.map(String).includes(String(r.subject_id)))).toBe(false);
    // Pair each masked stay with its stored one through the view's own hash of hadm_id.
    const view = buildRoleView(
      testPolicy,
      testManifest,
      { user: 'u', role: 'DataAnalyst', attributes: {} },
      testViewOptions,
    );
    const hadm = view.tables
      .find((t) => t.table === 'admissions')!
      .columns.find((c) => c.name === 'hadm_id')!;
    const raw = await rows(
      staging,
      `SELECT ${hadm.expr} AS hadm_id, date_diff('minute', admittime, dischtime) AS los, admittime FROM admissions`,
    );
    const masked = new Map(
      (
        await rows(
          user,
          "SELECT hadm_id, subject_id, date_diff('minute', admittime, dischtime) AS los, admittime FROM admissions",
        )
      ).map((r) => [String(r.hadm_id), r]),
    );
    const shifts = new Map<string, number>();
    let moved = 0;
    for (const r of raw) {
      const m = masked.get(String(r.hadm_id))!;
      expect(Number(m.los)).toBe(Number(r.los));
      const shift = Number(m.admittime) - Number(r.admittime);
      if (shift !== 0) moved++;
      const key = String(m.subject_id);
      expect(shifts.get(key) ?? shift).toBe(shift);
      shifts.set(key, shift);
      expect(Math.abs(shift)).toBeLessThanOrEqual(30 * 86_400_000);
    }
    expect(moved).toBeGreaterThan(50);
    const [dob] = await rows(user, 'SELECT any_value(typeof(dob)) AS t, min(dob) AS y FROM patients');
    expect(dob).toEqual({ t: 'INTEGER', y: 1950 });
    const [ins] = await rows(user, 'SELECT count(insurance)::INT AS n FROM admissions');
    expect(ins.n).toBe(0);
  });

  it('Clinician: only patients seen on the own wards, with identifiers but no SSN', async () => {
    const user = await as('Clinician', { wards: ['MICU'] });
    const wards = await rows(user, 'SELECT DISTINCT careunit FROM transfers');
    expect(wards).toEqual([{ careunit: 'MICU' }]);
    const [p] = await rows(user, 'SELECT count(*)::INT AS n, min(name) AS name FROM patients');
    expect(p.n).toBe(10);
    expect(String(p.name)).toMatch(/^Secretname/);
    const none = await as('Clinician', { wards: ["nobody' OR '1'='1"] });
    const [q] = await rows(none, 'SELECT count(*)::INT AS n FROM patients');
    expect(q.n).toBe(0);
  });

  it('Public: aggregates only, groups under 11 patients suppressed, not shown as numbers', async () => {
    const user = await as('Public');
    const all = await rows(user, 'SELECT * FROM readmission_30d ORDER BY day');
    expect(all).toHaveLength(24);
    const small = all.filter((r) => r.suppressed);
    expect(small).toHaveLength(6);
    for (const r of small) expect([r.n_patients, r.n_readmitted, r.rate]).toEqual([null, null, null]);
    for (const r of small) expect(r.year).toBe(2025);
    expect(all.filter((r) => !r.suppressed).every((r) => Number(r.n_patients) >= 11)).toBe(true);
    const [cms] = await rows(user, 'SELECT count(*)::INT AS n FROM cms_hrrp');
    expect(cms.n).toBe(2);
  });

  it('DataSteward: identifiers partly masked, last four characters kept', async () => {
    const user = await as('DataSteward');
    const ssn = await rows(user, 'SELECT ssn FROM patients ORDER BY ssn LIMIT 1');
    expect(ssn[0].ssn).toBe(`*******${SECRET_SSNS[0].slice(-4)}`);
  });
});
