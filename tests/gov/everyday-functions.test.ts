import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DuckSession } from '../../src/engine/worker/core/duck-session';
import { toEngineError } from '../../src/engine/errors';
import { buildRoleView } from '../../src/gov/role-view';
import { testManifest, testPolicy, testViewOptions } from '../../src/gov/fixtures/test-lake';
import { guardOn, stagingSession, userSession } from './instances';

/**
 * Everyday date functions work on the browser build of DuckDB (no ICU, no JSON) through the guard, and the
 * functions that stay missing say what works instead of asking for an extension a cell cannot load.
 */

describe('everyday functions on a user instance', () => {
  const view = buildRoleView(
    testPolicy,
    testManifest,
    { user: 'ana', role: 'DataAnalyst', attributes: {} },
    testViewOptions,
  );
  let user: DuckSession;
  let guard: ReturnType<typeof guardOn>;
  beforeAll(async () => {
    user = await userSession(view, await stagingSession());
    guard = guardOn(user, view);
  });

  const run = async (sql: string) => {
    const d = await guard(sql);
    expect(d.reason).toBeUndefined();
    const table = tableFromIPC(await user.run(d.statements[0].sql));
    return (table.get(0)?.toJSON() ?? {}) as Record<string, unknown>;
  };

  it('gives the date and time in UTC as DATE and TIMESTAMP, which date functions take', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const row =
      await run(`SELECT current_date::VARCHAR AS d, today()::VARCHAR AS t, now()::DATE::VARCHAR AS n,
      typeof(now()) AS now_type, typeof(current_timestamp) AS ts_type,
      strftime(date_trunc('month', now()), '%Y-%m-%d') AS month, date_trunc('day', current_timestamp)::DATE::VARCHAR AS day`);
    expect(row).toEqual({
      d: today,
      t: today,
      n: today,
      now_type: 'TIMESTAMP',
      ts_type: 'TIMESTAMP',
      month: `${today.slice(0, 7)}-01`,
      day: today,
    });
    const days = await run('SELECT count(*) AS n FROM admissions WHERE admittime > now() + INTERVAL 1 DAY');
    expect(Number(days.n)).toBeGreaterThan(0);
  });

  it('says what works instead of JSON and time zone functions, never to install an extension', async () => {
    for (const sql of ["SELECT to_json({'a': 1})", "SELECT json_extract('{\"a\": 1}', '$.a')"]) {
      const d = await guard(sql);
      expect(d).toMatchObject({ decision: 'deny', rule: 'missing-extension' });
      expect(d.reason).toMatch(/needs DuckDB's json extension, which cells cannot load\. .*format\(\)/);
      expect(d.reason).not.toMatch(/INSTALL|LOAD/);
    }
    const tz = await guard("SELECT date_trunc('month', TIMESTAMPTZ '2024-05-06 10:00')");
    expect(tz.reason).toMatch(
      /^Time zones are not available .* now\(\), current_timestamp, current_date and today\(\)/,
    );
    expect(
      toEngineError(
        new Error('Conversion Error: Unimplemented type for cast (TIMESTAMP WITH TIME ZONE -> DATE)'),
      ).message,
    ).toMatch(/^Time zones are not available/);
  });
});
