import 'fake-indexeddb/auto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm/node';
import { openAuditStore } from '../../../gov/audit-store';
import type { AuditEntry } from '../../../gov/audit';
import type { RoleView } from '../../../gov/types';
import { createNodeBindings } from '../core/node-bindings';
import { EngineHost } from '../engine-host';
import { parquetWasmDecoder } from '../loader/parquet-decoder';
import type { EngineError, QueryResult } from '../../../contract/results';
import type { Request, WorkerMessage } from '../../protocol';
import { serveFolder, type ServedFolder } from '../../testing/lake-fixture';
import type { AuditExport, AuditVerification } from '../../../contract/governance';
import { openTagStore } from './tag-store';

let lake: ServedFolder;
beforeAll(async () => {
  lake = await serveFolder(path.resolve('public/sample-lake'));
});
afterAll(() => lake?.close());

let dbCount = 0;

/** An engine host as the worker runs it, with its own IndexedDB databases (one "browser profile"). */
function profile() {
  const n = ++dbCount;
  const storage = {
    openAudit: () => openAuditStore(`audit-${n}`),
    openTags: () => openTagStore(`tags-${n}`),
  };
  return () => {
    const waiters = new Map<number, (m: WorkerMessage) => void>();
    const host = new EngineHost({
      createBindings: createNodeBindings,
      decoder: async () => parquetWasmDecoder(parquetWasm),
      fetchJson: async (url) => (await fetch(url)).json(),
      post: (m) => !('progress' in m) && waiters.get(m.id)?.(m),
      governanceStorage: storage,
    });
    let next = 0;
    const send = (request: Request) => {
      const id = ++next;
      const reply = new Promise<WorkerMessage>((resolve) => waiters.set(id, resolve));
      host.handle({ id, request });
      return reply;
    };
    const value = async <T>(request: Request): Promise<T> => {
      const m = await send(request);
      if (!('ok' in m) || !m.ok) throw new Error(JSON.stringify(m));
      return m.value as T;
    };
    const error = async (request: Request): Promise<EngineError> => {
      const m = await send(request);
      if ('ok' in m && !m.ok) return m.error;
      throw new Error(`expected a failure, got ${JSON.stringify(m)}`);
    };
    return { value, error, auditEntries: () => openAuditStore(`audit-${n}`).then((s) => s.entries()) };
  };
}

const session = (role: string, user = role.toLowerCase()) => ({ user, role, attributes: {} });
const query = (sql: string): Request => ({ kind: 'query', sql, cells: [] });
type Info = { view: RoleView; audit?: { persistent: boolean } };

describe('governance in the engine worker', () => {
  it('records every decision, allowed or denied, in a chain that outlives the engine', async () => {
    const start = profile();
    const first = start();
    const info = await first.value<Info>({
      kind: 'init',
      lakeUrl: lake.url,
      session: session('DataAnalyst', 'ana'),
    });
    expect(info.audit).toEqual({ persistent: true });
    const ok = await first.value<QueryResult>(query('SELECT count(*) AS n FROM admissions'));
    const denied = await first.error(query('SELECT ssn FROM synthea_patients'));
    expect(denied.code).toBe('DENIED');
    const failed = await first.error(query('SELECT CAST(gender AS INTEGER) FROM patients'));
    expect(failed.code).toBe('RUNTIME');
    await first.value({ kind: 'setSession', session: session('Admin', 'root') });

    // A second engine on the same profile: the page was reloaded.
    const second = start();
    await second.value({ kind: 'init', lakeUrl: lake.url, session: session('Admin', 'root') });
    const verified = await second.value<AuditVerification>({ kind: 'auditVerify' });
    expect(verified).toMatchObject({ ok: true, problems: [] });

    const entries: AuditEntry[] = await second.auditEntries();
    expect(verified.entries).toBe(entries.length);
    const queries = entries.filter((e) => e.action === 'query');
    expect(queries.map((e) => [e.user, e.role, e.decision])).toEqual([
      ['ana', 'DataAnalyst', 'allow'],
      ['ana', 'DataAnalyst', 'deny'],
      ['ana', 'DataAnalyst', 'allow'],
    ]);
    expect(queries[0]).toMatchObject({
      statement: 'SELECT count(*) AS n FROM admissions',
      rows: ok.rowCount,
    });
    expect(queries[0].objects).toEqual(['admissions']);
    expect(queries[1]).toMatchObject({ rows: null, objects: ['synthea_patients.ssn'] });
    expect(queries[1].reason).toMatch(/DataAnalyst may not read column synthea_patients\.ssn/);
    expect(queries[2].reason).toMatch(/^allowed, then RUNTIME/);
    expect(queries[0].rules.some((r) => r.startsWith('mask hash on admissions.subject_id'))).toBe(false);
    expect(entries.filter((e) => e.action === 'role-change').map((e) => e.statement)).toEqual([
      'session: no one -> ana as DataAnalyst',
      'session: ana as DataAnalyst -> root as Admin',
      'session: no one -> root as Admin',
    ]);

    const table = await second.value<QueryResult>(
      query("SELECT user, role, decision, statement FROM audit_log WHERE action = 'query' ORDER BY seq"),
    );
    const rows = tableFromIPC(table.ipc)
      .toArray()
      .map((r) => r.toJSON());
    expect(rows.map((r) => r.decision)).toEqual(['allow', 'deny', 'allow']);
    expect(rows[1].statement).toBe('SELECT ssn FROM synthea_patients');

    const exported = await second.value<AuditExport>({ kind: 'auditExport' });
    const lines = exported.jsonl
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
    // The audit_log query itself was recorded before the export.
    expect(lines.at(-1)?.statement).toMatch(/FROM audit_log/);
    expect(exported.entries).toBe(lines.length);
  });

  it('records the SQL of the cells a query reads, not only the query over them', async () => {
    const h = profile()();
    await h.value({ kind: 'init', lakeUrl: lake.url, session: session('Admin', 'root') });
    const cells = [
      { name: 'people', sql: 'SELECT ssn, gender\nFROM synthea_patients' },
      { name: 'cohort', sql: 'SELECT ssn FROM people' },
    ];
    const chartHead = 'SELECT * FROM "cohort" LIMIT 0';
    await h.value({ kind: 'query', sql: chartHead, cells });
    const [entry] = (await h.auditEntries()).filter((e) => e.action === 'query');
    expect(entry?.statement).toBe(
      [
        '-- cell people:',
        '--   SELECT ssn, gender',
        '--   FROM synthea_patients',
        '-- cell cohort:',
        '--   SELECT ssn FROM people',
        chartHead,
      ].join('\n'),
    );
  });

  it('keeps the data values of an error out of the audit log, and shows them only to the user who ran it', async () => {
    const h = profile()();
    await h.value({ kind: 'init', lakeUrl: lake.url, session: session('Admin', 'root') });
    const failed = await h.error(query('SELECT CAST(ssn AS INTEGER) FROM synthea_patients'));
    expect(failed.code).toBe('RUNTIME');
    const value = /'(\d{3}-\d{2}-\d{4})'/.exec(failed.message)?.[1];
    expect(value).toBeDefined();

    const entry = (await h.auditEntries()).filter((e) => e.action === 'query').at(-1)!;
    expect(entry.reason).toBe(
      "allowed, then RUNTIME: Conversion Error: Could not convert string '…' to INT32 when casting from source column ssn",
    );
    expect(JSON.stringify(entry)).not.toContain(value!);

    await h.value({ kind: 'setSession', session: session('Auditor', 'audrey') });
    const read = await h.value<QueryResult>(query("SELECT reason FROM audit_log WHERE action = 'query'"));
    const reasons = tableFromIPC(read.ipc)
      .toArray()
      .map((r) => String(r.toJSON().reason));
    expect(reasons.some((r) => r.includes('Could not convert string'))).toBe(true);
    expect(reasons.join('\n')).not.toContain(value!);
  });

  it('lets only readAudit roles verify, export or query the log', async () => {
    const h = profile()();
    await h.value({ kind: 'init', lakeUrl: lake.url, session: session('DataAnalyst') });
    expect((await h.error({ kind: 'auditVerify' })).code).toBe('DENIED');
    expect((await h.error({ kind: 'auditExport' })).code).toBe('DENIED');
    const denied = await h.error(query('SELECT * FROM audit_log'));
    expect(denied).toMatchObject({ code: 'DENIED' });
    expect(denied.message).toMatch(/DataAnalyst may not read table audit_log \(permission readAudit\)/);
  });

  it('applies a steward tag change from the next query, audits it and keeps it across reloads', async () => {
    const start = profile();
    const steward = start();
    await steward.value({ kind: 'init', lakeUrl: lake.url, session: session('DataSteward', 'sam') });
    const analystBefore = start();
    const before = await analystBefore.value<Info>({
      kind: 'init',
      lakeUrl: lake.url,
      session: session('DataAnalyst'),
    });
    const columnsOf = (info: Info) =>
      info.view.tables.find((t) => t.table === 'patients')?.columns.map((c) => c.name);
    expect(columnsOf(before)).toContain('gender');

    const change = { table: 'patients', column: 'gender', tags: ['PHI', 'free_text'] };
    const after = await steward.value<Info>({ kind: 'changeTags', change });
    const stewardColumn = after.view.tables
      .find((t) => t.table === 'patients')
      ?.columns.find((c) => c.name === 'gender');
    expect(stewardColumn?.tags).toEqual(['PHI', 'free_text']);

    const analyst = start();
    const reloaded = await analyst.value<Info>({
      kind: 'init',
      lakeUrl: lake.url,
      session: session('DataAnalyst'),
    });
    expect(columnsOf(reloaded)).not.toContain('gender');
    const denied = await analyst.error(query('SELECT gender FROM patients'));
    expect(denied).toMatchObject({ code: 'DENIED' });
    expect(denied.message).toMatch(/patients\.gender/);

    expect(
      (await analyst.error({ kind: 'changeTags', change: { table: 'patients', tags: ['PUBLIC'] } })).code,
    ).toBe('DENIED');
    const log = await analyst.auditEntries();
    const tagChanges = log.filter((e) => e.action === 'tag-change');
    expect(tagChanges.map((e) => [e.user, e.decision, e.statement])).toEqual([
      ['sam', 'allow', 'patients.gender: inherited -> PHI,free_text'],
      ['dataanalyst', 'deny', 'patients: PHI,mimic -> PUBLIC'],
    ]);
  });
  it('refuses a steward a tag change that would unmask their own view, audits it, and lets another person make it', async () => {
    const start = profile();
    const steward = start();
    await steward.value({ kind: 'init', lakeUrl: lake.url, session: session('DataSteward', 'sam') });
    const ssnOf = async (h: typeof steward) => {
      const r = await h.value<QueryResult>(query('SELECT ssn FROM synthea_patients ORDER BY id LIMIT 1'));
      return String(tableFromIPC(r.ipc).getChild('ssn')?.get(0));
    };
    const masked = await ssnOf(steward);
    expect(masked).toMatch(/^\*+\d{4}$/);

    for (const change of [
      { table: 'synthea_patients', column: 'ssn', tags: ['PII'] },
      { table: 'synthea_patients', column: 'first', tags: ['PHI'] },
    ]) {
      const refused = await steward.error({ kind: 'changeTags', change });
      expect(refused.code).toBe('DENIED');
      expect(refused.message).toMatch(
        /sam \(DataSteward\) may not make this change: it would widen their own access/,
      );
      expect(refused.message).toMatch(
        /Another person with the changeTags permission must make or approve it/,
      );
    }
    expect(await ssnOf(steward)).toBe(masked);

    const log = (await steward.auditEntries()).filter((e) => e.action === 'tag-change');
    expect(log.map((e) => [e.user, e.decision, e.statement])).toEqual([
      ['sam', 'deny', 'synthea_patients.ssn: PII,national_id -> PII'],
      ['sam', 'deny', 'synthea_patients.first: PII,name -> PHI'],
    ]);
    expect(log[0]!.reason).toMatch(/synthea_patients\.ssn would lose its partial mask/);

    // A change that narrows the steward's own view is theirs to make; an Admin may make the widening one.
    await steward.value({
      kind: 'changeTags',
      change: { table: 'synthea_patients', column: 'city', tags: ['PII', 'address'] },
    });
    const admin = start();
    await admin.value({ kind: 'init', lakeUrl: lake.url, session: session('Admin', 'root') });
    await admin.value({
      kind: 'changeTags',
      change: { table: 'synthea_patients', column: 'ssn', tags: ['PII'] },
    });
    const after = start();
    await after.value({ kind: 'init', lakeUrl: lake.url, session: session('DataSteward', 'sam') });
    expect(await ssnOf(after)).toMatch(/^\d{3}-\d{2}-\d{4}$/);
  });
});
