import { beforeAll, describe, expect, it } from 'vitest';
import type { DuckSession } from '../../src/engine/worker/core/duck-session';
import { buildRoleView } from '../../src/gov/role-view';
import { testManifest, testPolicy, testViewOptions } from '../../src/gov/fixtures/test-lake';
import { guardOn, stagingSession, userSession } from './instances';

/**
 * What a decision says was read (`objects`, `tags`: the audit entry and the tables the engine loads) must not
 * depend on how a join is written. DuckDB's table-name lookup binds against placeholder columns and fails on
 * joins that need the real ones (USING, NATURAL); a plan the optimizer pruned then still names its tables.
 */

const CELLS = {
  stays: 'SELECT subject_id, hadm_id FROM admissions',
  stays_by_patient: 'SELECT * FROM stays JOIN patients USING (subject_id)',
};

describe('objects and tags of a decision', () => {
  const view = buildRoleView(
    testPolicy,
    testManifest,
    { user: 'ana', role: 'DataAnalyst', attributes: {} },
    testViewOptions,
  );
  let user: DuckSession;
  let guard: ReturnType<typeof guardOn>;
  beforeAll(async () => {
    user = await userSession(view, await stagingSession(), CELLS);
    guard = guardOn(user, view, Object.keys(CELLS));
  });

  const read = async (sql: string) => {
    const d = await guard(sql);
    expect(d.reason).toBeUndefined();
    return { objects: d.objects, tags: d.tags };
  };

  it('are the same for a USING join as for the ON join it stands for, when the plan is pruned', async () => {
    const on = await read('SELECT * FROM admissions a JOIN transfers t ON a.hadm_id = t.hadm_id WHERE false');
    expect(on.objects).toEqual(['admissions', 'transfers']);
    expect(await read('SELECT * FROM admissions JOIN transfers USING (hadm_id) WHERE false')).toEqual(on);
    expect(await read('SELECT * FROM admissions NATURAL JOIN transfers LIMIT 0')).toEqual(on);
    expect(await read('SELECT * FROM "Admissions" JOIN "TRANSFERS" USING (hadm_id) WHERE false')).toEqual(on);
  });

  it('name the tables of a USING join whose scans are in the plan', async () => {
    const d = await read('SELECT a.hadm_id, p.gender FROM admissions a JOIN patients p USING (subject_id)');
    expect(d.objects).toEqual(['admissions', 'patients']);
  });

  it('name the base tables of cells read through a USING join, and of cells that use one', async () => {
    const through = await read('SELECT * FROM stays JOIN transfers USING (hadm_id) WHERE false');
    expect(through.objects).toEqual(['admissions', 'stays', 'transfers']);
    const inside = await read('SELECT count(*) FROM stays_by_patient WHERE false');
    expect(inside.objects).toEqual(['admissions', 'patients', 'stays_by_patient']);
  });

  it('leave out aliases and CTEs that share a table name', async () => {
    const d = await read(
      'WITH patients AS (SELECT 1 AS k) SELECT t.hadm_id AS admissions FROM transfers t JOIN patients ON true JOIN transfers USING (hadm_id) WHERE false',
    );
    expect(d.objects).toEqual(['transfers']);
  });
});

describe('a denial on a USING join', () => {
  const view = buildRoleView(
    testPolicy,
    testManifest,
    { user: 'cy', role: 'Clinician', attributes: {} },
    testViewOptions,
  );
  let guard: ReturnType<typeof guardOn>;
  beforeAll(async () => {
    guard = guardOn(await userSession(view, await stagingSession()), view);
  });

  it('names the hidden join column of the table DuckDB reports first, not the first in the catalog', async () => {
    const d = await guard('SELECT * FROM admissions JOIN patients USING (ssn)');
    expect(d.decision).toBe('deny');
    expect(d.objects).toEqual(['admissions.ssn']);
    const swapped = await guard('SELECT * FROM patients JOIN admissions USING (ssn)');
    expect(swapped.objects).toEqual(['patients.ssn']);
  });
});
