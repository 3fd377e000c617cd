import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/start-test-server.ts';

/** The server over HTTP, as a page or a script reaches it: identity, the wire, errors, limits, cancel. */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ timeoutMs: 3_000, maxRows: 50_000 });
});
afterAll(() => server.close());

function tokenOf(role: string): string {
  return server.tokens.get(server.userOf[role]!)!;
}

function post(role: string | undefined, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(new URL('api/query', server.base), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(role ? { Authorization: `Bearer ${tokenOf(role)}` } : {}),
    },
    body: JSON.stringify(body),
    ...init,
  });
}

async function rows(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
  return tableFromIPC(new Uint8Array(await response.arrayBuffer()));
}

describe('who is asking', () => {
  it('answers the signed-in user and their engine, decided by the token alone', async () => {
    const response = await fetch(new URL('api/session', server.base), {
      headers: { Authorization: `Bearer ${tokenOf('Clinician')}` },
    });
    const body = (await response.json()) as {
      session: { user: string; role: string };
      info: { runsIn: string; enforcesPolicy: boolean; view: { tables: { table: string }[] } };
    };
    expect(body.session).toMatchObject({ user: server.userOf.Clinician, role: 'Clinician' });
    expect(body.info).toMatchObject({ runsIn: 'server', enforcesPolicy: true });
    expect(body.info.view.tables.length).toBeGreaterThan(0);
  });

  it('refuses no token, a wrong token and a proxy header from a non-proxy address, and logs each', async () => {
    const before = server.audit.entriesAfter(undefined).length;
    const none = await post(undefined, { sql: 'SELECT 1' });
    const wrong = await fetch(new URL('api/query', server.base), {
      method: 'POST',
      headers: { Authorization: 'Bearer not-a-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT 1' }),
    });
    const proxied = await fetch(new URL('api/query', server.base), {
      method: 'POST',
      headers: { 'X-Forwarded-User': server.userOf.Admin!, 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT 1' }),
    });
    expect([none.status, wrong.status, proxied.status]).toEqual([401, 401, 403]);
    for (const r of [none, wrong, proxied]) {
      const body = (await r.json()) as { code: string; message: string; hint: string };
      expect(body.message).toBeTruthy();
      expect(body.hint).toBeTruthy();
    }
    const logged = server.audit.entriesAfter(undefined).slice(before);
    expect(logged.map((e) => e.decision)).toEqual(['deny', 'deny', 'deny']);
    expect(logged[2]!.user).toContain(server.userOf.Admin!);
  });

  it('ignores a role or user the page claims in the body', async () => {
    const response = await post('Public', { sql: 'SELECT 1', role: 'Admin' });
    expect(response.status).toBe(400);
  });
});

describe('the wire', () => {
  it('streams Arrow with the decision in a header, and the query is in the audit log', async () => {
    const response = await post('Public', {
      sql: 'SELECT ward, count(*) AS n FROM los_by_ward GROUP BY ward ORDER BY ward',
    });
    const meta = JSON.parse(decodeURIComponent(response.headers.get('lakebook-result')!)) as {
      objects: string[];
      tags: string[];
    };
    const table = await rows(response);
    expect(table.numRows).toBeGreaterThan(1);
    expect(meta.objects).toEqual(['los_by_ward']);
    expect(meta.tags).toContain('PUBLIC');
    const last = server.audit.entriesAfter(undefined).at(-1)!;
    expect(last).toMatchObject({ user: server.userOf.Public, decision: 'allow', rows: table.numRows });
  });

  it('resolves cells on the server, in any order', async () => {
    const response = await post('Public', {
      sql: 'SELECT * FROM b',
      cells: [
        { name: 'b', sql: 'SELECT x * 2 AS y FROM a' },
        { name: 'a', sql: 'SELECT 21 AS x' },
      ],
    });
    expect((await rows(response)).getChild('y')?.get(0)).toBe(42);
  });

  it('sends one row past the page’s budget when there are more, and no more', async () => {
    const cut = await rows(await post('Public', { sql: 'SELECT * FROM range(1000) t(i)', maxRows: 10 }));
    expect(cut.numRows).toBe(11);
    const whole = await rows(await post('Public', { sql: 'SELECT * FROM range(10) t(i)', maxRows: 10 }));
    expect(whole.numRows).toBe(10);
  });

  it('answers SQL errors 400 with DuckDB’s message and position, denials 403', async () => {
    const syntax = await post('Public', { sql: 'SELEC 1' });
    expect(syntax.status).toBe(400);
    expect(await syntax.json()).toMatchObject({ code: 'SYNTAX', line: 1 });
    const denied = await post('Public', { sql: "SELECT * FROM read_csv('/etc/passwd')" });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ code: 'DENIED' });
    const phi = await post('Public', { sql: 'SELECT * FROM patients' });
    expect([400, 403]).toContain(phi.status);
  });

  it('stops a statement at the time limit with 408', async () => {
    const started = Date.now();
    const response = await post('Public', {
      sql: 'SELECT count(*) FROM range(1000000000000) a(i) WHERE i % 7 = 3',
    });
    expect(response.status).toBe(408);
    expect(Date.now() - started).toBeLessThan(3_000 + 2_000);
  });

  it('interrupts a statement within a second of the page closing the request', async () => {
    const controller = new AbortController();
    const pending = post(
      'DataAnalyst',
      { sql: 'SELECT count(*) FROM range(1000000000000) a(i) WHERE i % 7 = 3' },
      { signal: controller.signal },
    ).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    const before = server.audit.entriesAfter(undefined).length;
    const aborted = Date.now();
    controller.abort();
    await pending;
    for (;;) {
      const logged = server.audit.entriesAfter(undefined).slice(before);
      const entry = logged.find((e) => e.user === server.userOf.DataAnalyst);
      if (entry) {
        expect(entry.reason).toMatch(/CANCELLED/);
        break;
      }
      expect(Date.now() - aborted).toBeLessThan(1_000);
      await new Promise((r) => setTimeout(r, 20));
    }
  });
});

describe('crafted cells', () => {
  it('cannot name a catalog table, or hide one behind a cell', async () => {
    const response = await post('Public', {
      sql: 'SELECT count(*) FROM readmission_30d',
      cells: [{ name: 'readmission_30d', sql: 'SELECT 1' }],
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'DENIED', rule: 'cell-name' });
  });

  it('cannot widen access: a cell reading a table the role lacks fails like the statement would', async () => {
    const response = await post('Public', {
      sql: 'SELECT * FROM c',
      cells: [{ name: 'c', sql: 'SELECT subject_id FROM patients' }],
    });
    expect(response.status).not.toBe(200);
  });

  it('cannot carry a second statement in a cell body', async () => {
    const response = await post('Public', {
      sql: 'SELECT * FROM c',
      cells: [{ name: 'c', sql: 'SELECT 1; SET enable_external_access = true' }],
    });
    expect(response.status).not.toBe(200);
  });
});

describe('row filters and the audit table', () => {
  it('gives a Clinician the rows of their wards only', async () => {
    const table = await rows(
      await post('Clinician', { sql: 'SELECT DISTINCT ward FROM evergreen_admissions ORDER BY 1' }),
    );
    const wards = Array.from({ length: table.numRows }, (_, i) => String(table.getChild('ward')?.get(i)));
    expect(wards.length).toBeGreaterThan(0);
    expect(
      wards.every((w) => ['Medical Intensive Care Unit (MICU)', 'Medicine', 'General Medicine'].includes(w)),
    ).toBe(true);
  });

  it('lets the Auditor read the server’s log as audit_log, up to the last decision', async () => {
    await post('Public', { sql: 'SELECT 1 AS marker' });
    const table = await rows(
      await post('Auditor', { sql: "SELECT count(*) AS n FROM audit_log WHERE statement LIKE '%marker%'" }),
    );
    expect(Number(table.getChild('n')?.get(0))).toBeGreaterThanOrEqual(1);
    const verify = await fetch(new URL('api/audit/verify', server.base), {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokenOf('Auditor')}` },
    });
    expect(await verify.json()).toMatchObject({ ok: true });
    const publicVerify = await fetch(new URL('api/audit/verify', server.base), {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokenOf('Public')}` },
    });
    expect(publicVerify.status).toBe(403);
  });
});
