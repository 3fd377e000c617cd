import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DuckSession } from '../../src/engine/worker/core/duck-session';
import { buildRoleView } from '../../src/gov/role-view';
import { testManifest, testPolicy, testViewOptions } from '../../src/gov/fixtures/test-lake';
import { guardOn, stagingSession, userSession } from './instances';

/** A guard that refuses good work fails too: every ordinary query is allowed for DataAnalyst and runs. */

export const ANALYST_CELLS = {
  readmits:
    'WITH o AS (SELECT subject_id, hadm_id, dischtime, lead(admittime) OVER (PARTITION BY subject_id ORDER BY admittime) AS next_admit FROM admissions) SELECT subject_id, hadm_id, dischtime, coalesce(next_admit <= dischtime + INTERVAL 30 DAY, false) AS readmitted FROM o',
  ward_counts: 'SELECT careunit AS ward, count(*) AS n FROM transfers GROUP BY 1',
};

const queries = readFileSync(new URL('./analyst-queries.sql', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('--'));

describe('ordinary analyst queries', () => {
  const view = buildRoleView(
    testPolicy,
    testManifest,
    { user: 'ana', role: 'DataAnalyst', attributes: {} },
    testViewOptions,
  );
  let user: DuckSession;
  let guard: ReturnType<typeof guardOn>;
  beforeAll(async () => {
    user = await userSession(view, await stagingSession(), ANALYST_CELLS);
    guard = guardOn(user, view, Object.keys(ANALYST_CELLS));
  });

  it('has at least 50 of them', () => {
    expect(queries.length).toBeGreaterThanOrEqual(50);
  });

  for (const sql of queries) {
    it(sql, async () => {
      const d = await guard(sql);
      expect(d.reason).toBeUndefined();
      expect(d.decision).toBe('allow');
      for (const s of d.statements) await expect(user.run(s.sql)).resolves.toBeInstanceOf(Uint8Array);
    });
  }

  it('reports the objects, tags and masks of what a query reads', async () => {
    const d = await guard('SELECT gender, dob FROM patients');
    expect(d.objects).toEqual(['patients']);
    expect(d.tags).toEqual(['PHI', 'PUBLIC', 'mimic']);
    expect(d.rules).toEqual(['mask year on patients.dob (DataAnalyst mask #4)']);
    const cell = await guard('SELECT count(*) FROM readmits');
    expect(cell.objects).toContain('readmits');
    expect(cell.objects).toContain('admissions');
  });
});
