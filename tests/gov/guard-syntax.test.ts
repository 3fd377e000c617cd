import { beforeAll, describe, expect, it } from 'vitest';
import { buildRoleView } from '../../src/gov/role-view';
import { testManifest, testPolicy, testViewOptions } from '../../src/gov/fixtures/test-lake';
import { guardOn, stagingSession, userSession } from './instances';

/** A misspelt statement is a syntax error with DuckDB's message, not a refusal; real writes stay refused. */
describe('statements DuckDB cannot parse', () => {
  let guard: ReturnType<typeof guardOn>;
  beforeAll(async () => {
    const view = buildRoleView(
      testPolicy,
      testManifest,
      { user: 'ana', role: 'DataAnalyst', attributes: {} },
      testViewOptions,
    );
    guard = guardOn(await userSession(view, await stagingSession(), {}), view, []);
  });

  it('answers a typo in the first word with the parser message', async () => {
    for (const sql of ['SELEC 1', 'SELECT 1;\nSELEC 2', 'slect * FROM admissions']) {
      const d = await guard(sql);
      expect(d).toMatchObject({ decision: 'deny', code: 'SYNTAX', rule: 'syntax' });
      expect(d.reason).toMatch(/^Parser Error: syntax error at or near "(SELEC|slect)"/);
    }
  });

  it('keeps refusing statements that parse but write', async () => {
    for (const sql of ['DROP TABLE admissions', 'INSERT INTO admissions VALUES (1)', 'SET threads = 1']) {
      expect(await guard(sql)).toMatchObject({ decision: 'deny', code: 'DENIED', rule: 'read-only' });
    }
  });
});
