import { beforeAll, describe, expect, it } from 'vitest';
import type { DuckSession } from '../../src/engine/worker/core/duck-session';
import { buildRoleView } from '../../src/gov/role-view';
import { testManifest, testPolicy } from '../../src/gov/fixtures/test-lake';
import { guardOn, stagingSession, userSession } from './instances';

/** `query()` text is checked as a statement of its own; arguments DuckDB would fold while binding are refused. */

describe('query() and query_table() in a cell', () => {
  const view = buildRoleView(testPolicy, testManifest, { user: 'ana', role: 'DataAnalyst', attributes: {} });
  let user: DuckSession;
  let guard: ReturnType<typeof guardOn>;
  beforeAll(async () => {
    user = await userSession(view, await stagingSession());
    guard = guardOn(user, view);
  });

  it('allows literal SQL text and table names the role may read', async () => {
    const d = await guard("SELECT * FROM query('SELECT ward, count(*) FROM readmission_30d GROUP BY ward')");
    expect(d.reason).toBeUndefined();
    expect(d.objects).toEqual(['readmission_30d']);
    expect((await guard("FROM query_table(['readmission_30d', 'cms_hrrp'], true)")).decision).toBe('allow');
  });

  it('refuses text built while binding, and says to write it as a literal', async () => {
    const d = await guard("SELECT * FROM query('SELECT current_'||'setting(''threads'')')");
    expect(d).toMatchObject({ decision: 'deny', rule: 'dynamic-sql' });
    expect(d.reason).toBe(
      "query() takes its SQL as one plain string literal in a cell, so that the text can be checked before it runs. Write the query in the cell itself, or put its text in query('…') as written.",
    );
    expect((await guard("FROM query_table('readmission' || '_30d')")).rule).toBe('dynamic-sql');
  });

  it('checks the literal text like a statement of the cell, with the same rules', async () => {
    const settings = await guard("SELECT * FROM query('SELECT getvariable(''x'')')");
    expect(settings.rule).toBe('variables-and-settings');
    expect(settings.reason).toMatch(/^In the SQL text given to query\(\): Function getvariable/);
    const hidden = await guard("SELECT * FROM query('SELECT ssn FROM patients')");
    expect(hidden.rules).toEqual(['column-grant: deny rule "direct identifiers" of role DataAnalyst']);
    expect((await guard("SELECT * FROM query('SELECT 1; SELECT 2')")).decision).toBe('deny');
  });
});
