import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import type { QueryResult } from '../../contract/results';
import type { Request } from '../protocol';
import { createNodeBindings } from './core/node-bindings';
import { startHost } from '../testing/host-driver';
import { serveFolder, type ServedFolder } from '../testing/lake-fixture';

const LAKE = path.resolve('public/sample-lake');
let lake: ServedFolder;

beforeAll(async () => {
  lake = await serveFolder(LAKE);
});
afterAll(() => lake?.close());

const analyst = { user: 'ana', role: 'DataAnalyst', attributes: {} };
const admin = { user: 'root', role: 'Admin', attributes: {} };
const query = (sql: string, extra: Partial<Extract<Request, { kind: 'query' }>> = {}): Request => ({
  kind: 'query',
  sql,
  cells: [],
  ...extra,
});

async function nativeCount(sql: string): Promise<number> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const n = Number((await con.runAndReadAll(sql)).getRows()[0][0]);
  con.closeSync();
  return n;
}

describe('EngineHost on the sample lake', () => {
  it('starts, loads tables on first use, runs cells that read cells, and maps errors to the cell', async () => {
    const h = startHost();
    const info = await h.value<{ version: string; threads: number; view: { tables: { table: string }[] } }>({
      kind: 'init',
      lakeUrl: lake.url,
      session: analyst,
    });
    expect(info.version).toMatch(/^v1\./);
    // DuckDB's Node bindings are its single-threaded build; the browser's threaded build is checked end to end.
    expect(info.threads).toBe(1);
    expect(info.view.tables.map((t) => t.table)).toContain('admissions');

    const result = await h.value<QueryResult>(query('SELECT count(*) AS n FROM admissions'));
    const admissions = `${LAKE}/phi/curated/admissions/part-000.parquet`;
    const expected = await nativeCount(`SELECT count(*) FROM '${admissions}'`);
    expect(Number(tableFromIPC(result.ipc).getChild('n')?.get(0))).toBe(expected);
    expect(result.columns).toEqual([{ name: 'n', type: 'BIGINT' }]);
    expect(result.objects).toEqual(['admissions']);
    expect(h.progress.some((m) => 'progress' in m && m.progress.name === 'admissions')).toBe(true);

    const viaCell = await h.value<QueryResult>(
      query('SELECT count(*) AS n FROM recent', {
        cells: [{ name: 'recent', sql: 'SELECT * FROM admissions WHERE admittime IS NOT NULL;' }],
      }),
    );
    expect(Number(tableFromIPC(viaCell.ipc).getChild('n')?.get(0))).toBe(
      await nativeCount(`SELECT count(*) FROM '${admissions}' WHERE admittime IS NOT NULL`),
    );
    expect(viaCell.objects).toContain('admissions');

    // hadm_id is hashed for this role: the cell's own error is what the reader of the cell gets.
    const broken = await h.error(
      query('SELECT * FROM bad_cell', {
        cells: [{ name: 'bad_cell', sql: 'SELECT * FROM admissions WHERE hadm_id > 0' }],
      }),
    );
    expect(broken.message).toMatch(/^Cell bad_cell has an error.*VARCHAR/);

    const syntax = await h.error(query('SELECT 1;\nSELECT * FRM admissions'));
    expect(syntax).toMatchObject({ code: 'SYNTAX', line: 2 });

    const budget = await h.value<QueryResult>(query('SELECT * FROM range(100000)', { maxRows: 1000 }));
    expect(budget).toMatchObject({ rowCount: 1000, truncated: true });
  });

  it('cancels a running query, enforces the time limit, and stays usable', async () => {
    const h = startHost();
    await h.value({ kind: 'init', lakeUrl: lake.url, session: analyst });
    const slow = 'SELECT count(DISTINCT a.range + b.range) FROM range(30000) a, range(3000) b';
    const running = h.send(query(slow));
    setTimeout(() => h.send({ kind: 'cancel', target: running.id }), 200);
    const cancelled = await running.reply;
    expect(cancelled).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });

    expect(await h.error(query(slow, { timeoutMs: 300 }))).toMatchObject({ code: 'TIMEOUT' });
    const after = await h.value<QueryResult>(query('SELECT 42 AS x'));
    expect(tableFromIPC(after.ipc).getChild('x')?.get(0)).toBe(42);
  });

  it('looks for a stop between the guard’s steps: a query cancelled before its decision is recorded undecided', async () => {
    const h = startHost();
    await h.value({ kind: 'init', lakeUrl: lake.url, session: admin });
    const sql = 'SELECT count(*) AS n FROM admissions';
    // The cancel arrives while the query yields between its steps (after the cells' views, after a fresh
    // decision): it stops there, before a decision is recorded, not after the statement has been prepared.
    const running = h.send(query(sql));
    h.send({ kind: 'cancel', target: running.id });
    expect(await running.reply).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    const audit = await h.value<QueryResult>(
      query(
        `SELECT decision, reason FROM audit_log WHERE action = 'query' AND statement = '${sql}' ORDER BY seq`,
      ),
    );
    const rows = tableFromIPC(audit.ipc)
      .toArray()
      .map((r) => r.toJSON());
    expect(rows).toEqual([
      { decision: 'deny', reason: expect.stringMatching(/^The guard could not decide/) },
    ]);
  });

  it('answers no query of the old role once a role switch is asked: the running one stops, waiting ones fail', async () => {
    const h = startHost();
    await h.value({ kind: 'init', lakeUrl: lake.url, session: admin });
    const slow = h.send(query('SELECT count(DISTINCT a.range + b.range) FROM range(30000) a, range(3000) b'));
    const waiting = h.send(query('SELECT ssn FROM synthea_patients LIMIT 1'));
    await new Promise((r) => setTimeout(r, 100));
    const order: string[] = [];
    const switched = h.send({
      kind: 'setSession',
      session: { user: 'visitor', role: 'Public', attributes: {} },
    });
    const replies = [slow, waiting, switched].map((r, i) =>
      r.reply.then((m) => (order.push(['slow', 'waiting', 'switch'][i]!), m)),
    );
    const [slowReply, waitingReply, switchReply] = await Promise.all(replies);
    expect(slowReply).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(waitingReply).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(JSON.stringify(waitingReply)).toMatch(/role changed to Public/);
    expect(switchReply).toMatchObject({ ok: true });
    expect(order.at(-1)).toBe('switch');
    expect((await h.error(query('SELECT ssn FROM synthea_patients'))).code).toBe('DENIED');
    // A figure drawn from a chain of cells whose first reads a table withheld from the role says so and why.
    const chain = await h.error(
      query('SELECT * FROM patients_per_year', {
        cells: [
          { name: 'registry', sql: 'SELECT * FROM synthea_patients' },
          {
            name: 'patients_per_year',
            sql: 'SELECT year(birthdate) AS y, count(*) FROM registry GROUP BY 1',
          },
        ],
      }),
    );
    expect(chain).toMatchObject({ code: 'DENIED' });
    expect(chain.message).toMatch(
      /^Withheld: cell registry reads synthea_patients\. Public may not read table synthea_patients/,
    );
  });

  it('builds the next role in the same instance, emptied, and drops the answer of a statement of the role before', async () => {
    const created: string[] = [];
    const h = startHost({
      createBindings: (use) => {
        created.push(use);
        return createNodeBindings();
      },
      replaceAfterStop: () => true,
      // Long enough for the statement below to end on a busy machine: stopping it would replace the instance.
      stopGraceMs: 30_000,
    });
    await h.value({ kind: 'init', lakeUrl: lake.url, session: admin });
    expect(
      tableFromIPC((await h.value<QueryResult>(query('SELECT ssn FROM synthea_patients LIMIT 1'))).ipc)
        .numRows,
    ).toBe(1);
    const quick = h.send(query('SELECT count(DISTINCT range % 1000003) AS n FROM range(3000000)'));
    // The switch is asked while that statement runs, not while it waits.
    await new Promise((r) => setTimeout(r, 30));
    const switched = h.send({
      kind: 'setSession',
      session: { user: 'visitor', role: 'Public', attributes: {} },
    });
    expect(await quick.reply).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(JSON.stringify(await quick.reply)).toMatch(/role changed to Public/);
    expect(await switched.reply).toMatchObject({ ok: true });
    expect((await h.error(query('SELECT ssn FROM synthea_patients'))).code).toBe('DENIED');
    const n = await h.value<QueryResult>(query('SELECT count(*) AS n FROM readmission_30d'));
    expect(Number(tableFromIPC(n.ipc).getChild('n')?.get(0))).toBeGreaterThan(0);
    await h.value({ kind: 'setSession', session: admin });
    expect(
      tableFromIPC((await h.value<QueryResult>(query('SELECT ssn FROM synthea_patients LIMIT 1'))).ipc)
        .numRows,
    ).toBe(1);
    expect(created.filter((u) => u === 'user')).toHaveLength(1);
  });

  it("serves a cell's query before the charts' queries asked earlier, and nothing before a role switch", async () => {
    const h = startHost();
    await h.value({ kind: 'init', lakeUrl: lake.url, session: analyst });
    const order: string[] = [];
    const ask = (name: string, request: Request) =>
      h.send(request).reply.then((m) => {
        order.push(name);
        return m;
      });
    const slow = 'SELECT count(DISTINCT range % 1000003) AS n FROM range(3000000)';
    const first = ask('chart 1', query(slow, { background: true }));
    // The rest is asked while that statement runs, as a user's requests reach a busy worker.
    await new Promise((r) => setTimeout(r, 30));
    const replies = [
      first,
      ask('chart 2', query('SELECT 2 AS n', { background: true })),
      ask('cell 1', query('SELECT 3 AS n')),
      ask('switch', { kind: 'setSession', session: analyst }),
      ask('cell 2', query('SELECT 4 AS n')),
      ask('chart 3', query('SELECT 5 AS n', { background: true })),
    ];
    const answers = await Promise.all(replies);
    expect(order).toEqual(['chart 1', 'cell 1', 'switch', 'cell 2', 'chart 2', 'chart 3']);
    // A chart query of the role before still waiting when the switch was asked is not answered.
    expect(answers[1]).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(answers[5]).toMatchObject({ ok: true });
  });

  it("answers a request for a cell's columns from the tables' types, loading no data", async () => {
    const h = startHost();
    await h.value({ kind: 'init', lakeUrl: lake.url, session: analyst });
    const cells = [
      { name: 'stays', sql: 'SELECT a.*, p.gender FROM admissions a JOIN patients p USING (subject_id)' },
    ];
    const loads = () => h.progress.filter((m) => 'progress' in m && m.progress.phase === 'table').length;
    const before = loads();
    const columns = await h.value<QueryResult>(
      query('SELECT * FROM stays LIMIT 0', { cells, columnsOnly: true }),
    );
    expect(loads()).toBe(before);
    expect(columns.rowCount).toBe(0);
    const full = await h.value<QueryResult>(query('SELECT * FROM stays LIMIT 0', { cells }));
    expect(columns.columns).toEqual(full.columns);
    expect(loads()).toBeGreaterThan(before);
  });

  it('replaces a user instance whose statement was stopped when the platform asks for it', async () => {
    const created: string[] = [];
    const released: unknown[] = [];
    const h = startHost({
      createBindings: (use) => {
        created.push(use);
        return createNodeBindings();
      },
      releaseBindings: (b) => released.push(b),
      replaceAfterStop: () => true,
    });
    await h.value({ kind: 'init', lakeUrl: lake.url, session: analyst });
    await h.value(query('SELECT count(*) FROM admissions'));
    expect(created).toEqual(['user', 'staging']);

    const slow = 'SELECT count(DISTINCT a.range + b.range) FROM range(30000) a, range(3000) b';
    expect(await h.error(query(slow, { timeoutMs: 200 }))).toMatchObject({ code: 'TIMEOUT' });
    const after = await h.value<QueryResult>(query('SELECT count(*) AS n FROM admissions'));
    expect(tableFromIPC(after.ipc).getChild('n')?.get(0)).toBe(275n);
    expect(created).toEqual(['user', 'staging', 'user']);
    expect(released).toHaveLength(1);
  });

  it('refuses file access and unknown roles with clear codes', async () => {
    const h = startHost();
    await h.value({ kind: 'init', lakeUrl: lake.url, session: analyst });
    expect((await h.error(query("SELECT * FROM read_csv('/etc/passwd')"))).code).toBe('DENIED');
    const bad = startHost();
    const e = await bad.error({ kind: 'init', lakeUrl: lake.url, session: { ...analyst, role: 'Intruder' } });
    expect(e.code).toBe('POLICY');
  });

  it('suppresses linked groups on a raw lake as the site build does: whole months, and a total with a small part', async () => {
    const h = startHost();
    await h.value({
      kind: 'init',
      lakeUrl: lake.url,
      session: { user: 'v', role: 'Public', attributes: {} },
    });
    const months = async (table: string, column: string) =>
      tableFromIPC(
        (
          await h.value<QueryResult>(
            query(
              `SELECT strftime(${column}, '%Y-%m') AS m, bool_and(suppressed) AS every, count(*) FILTER (WHERE suppressed) AS n FROM ${table} GROUP BY 1 HAVING bool_or(suppressed) ORDER BY 1`,
            ),
          )
        ).ipc,
      )
        .toArray()
        .map((r) => `${r.m} ${r.every}`);
    // Each month with a small group in any of the four views is suppressed whole in all of them.
    const expected = ['2024-04 true', '2026-03 true', '2026-04 true'];
    expect(await months('readmission_30d', 'discharge_date')).toEqual(expected);
    expect(await months('readmission_30d_by_ward', 'discharge_month')).toEqual(expected);
    expect(await months('los_by_ward', 'discharge_month')).toEqual([...expected, '2026-05 true']);
    expect(await months('early_discharge_flags', 'discharge_month')).toEqual([...expected, '2026-05 true']);
    const all = await h.value<QueryResult>(
      query("SELECT suppressed, n_index_admissions FROM mimic_readmission_30d WHERE admission_type = 'ALL'"),
    );
    expect(tableFromIPC(all.ipc).toArray()[0].toJSON()).toEqual({
      suppressed: true,
      n_index_admissions: null,
    });
  });
});
