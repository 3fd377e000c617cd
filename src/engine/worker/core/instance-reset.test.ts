import { describe, expect, it } from 'vitest';
import { createNodeBindings } from './node-bindings';
import { DuckSession } from './duck-session';
import { createEverydayFunctions } from './everyday-functions';
import { emptyUserInstance, warmCatalogListing } from './instance-reset';

/** What a role's engine leaves in its instance: data, a typed stub, a cell's temp view, macros, and the lock. */
async function usedInstance() {
  const bindings = await createNodeBindings();
  const s = new DuckSession(bindings);
  s.query(`CREATE TABLE "patients ""a""" AS SELECT 'secret-' || range AS ssn FROM range(1000)`);
  s.query(`CREATE TABLE stub (id INTEGER)`);
  s.query(`CREATE TYPE ward AS ENUM ('a', 'b')`);
  s.query(`CREATE SEQUENCE ids`);
  s.query(`CREATE MACRO ssn_of(i) AS TABLE SELECT ssn FROM "patients ""a""" LIMIT 1 OFFSET i`);
  createEverydayFunctions(s);
  s.lockDown();
  s.execOne(`CREATE OR REPLACE TEMP VIEW cell_one AS SELECT * FROM "patients ""a"""`);
  return { bindings, first: s };
}

describe('emptying a user instance for the next role', () => {
  it('drops everything the role before left, keeps the lock, and lets the next role build its own', async () => {
    const { bindings, first } = await usedInstance();
    first.close();

    expect(emptyUserInstance(bindings)).toBe(true);

    const next = new DuckSession(bindings);
    for (const sql of [
      `SELECT * FROM "patients ""a"""`,
      'SELECT * FROM cell_one',
      'SELECT * FROM ssn_of(1)',
      "SELECT nextval('ids')",
      "SELECT 'a'::ward",
    ])
      await expect(next.run(sql), sql).rejects.toThrow();
    const listed = next.query(
      `SELECT (SELECT count(*) FROM duckdb_tables()) + (SELECT count(*) FROM duckdb_views() WHERE NOT internal) AS n`,
    );
    expect(Number(listed.getChild('n')?.get(0))).toBe(0);

    createEverydayFunctions(next);
    next.query('CREATE TABLE admissions (id INTEGER)');
    next.lockDown();
    await expect(next.run('SET enable_external_access=true')).rejects.toThrow();
    await expect(next.run("SELECT * FROM read_csv('/etc/passwd')")).rejects.toThrow(
      /disabled by configuration/,
    );
    expect(
      next.query('SELECT count(*)::INT AS n FROM admissions WHERE today() IS NOT NULL').getChild('n')?.get(0),
    ).toBe(0);
  });

  it('refuses to reuse an instance holding what it cannot drop: the caller starts a new one', async () => {
    const bindings = await createNodeBindings();
    const s = new DuckSession(bindings);
    s.query(`ATTACH ':memory:' AS kept`);
    s.query(`CREATE TABLE kept.main.notes AS SELECT 'from the role before' AS note`);
    s.close();
    expect(emptyUserInstance(bindings)).toBe(false);
  });

  it('warms the listing without dropping anything of the role in use', async () => {
    const { bindings, first } = await usedInstance();
    warmCatalogListing(bindings);
    const count = (sql: string) => Number(first.query(sql).getChild('n')?.get(0));
    expect(count(`SELECT count(*) AS n FROM "patients ""a"""`)).toBe(1000);
    expect(count('SELECT count(*) AS n FROM cell_one')).toBe(1000);
  });
});
