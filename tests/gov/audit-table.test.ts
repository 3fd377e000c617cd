import { describe, expect, it } from 'vitest';
import { createNodeBindings } from '../../src/engine/worker/core/node-bindings';
import { createUserSession } from '../../src/engine/worker/core/user-instance';
import { sealEntry, type AuditEntry } from '../../src/gov/audit';
import { AUDIT_COLUMNS, auditTableIpc } from '../../src/gov/audit-table';
import { buildRoleView } from '../../src/gov/role-view';
import { AUDIT_TABLE } from '../../src/gov/types';
import { testManifest, testPolicy, testViewOptions } from '../../src/gov/fixtures/test-lake';
import { guardOn } from './instances';

describe('the audit log as a table for the Auditor', () => {
  it('loads into the user instance, and only roles with readAudit may query it', async () => {
    const entries: AuditEntry[] = [];
    for (const [i, decision] of (['allow', 'deny', 'allow'] as const).entries()) {
      const last = entries.at(-1);
      entries.push(
        await sealEntry(
          {
            action: 'query',
            user: 'ana',
            role: 'DataAnalyst',
            time: '2026-01-01T10:00:00Z',
            statement: `SELECT ${i}`,
            decision,
            objects: ['admissions'],
            rules: [],
            rows: decision === 'deny' ? null : 1,
            durationMs: 1,
          },
          last && { seq: last.seq, hash: last.hash },
        ),
      );
    }
    const auditor = buildRoleView(
      testPolicy,
      testManifest,
      { user: 'aud', role: 'Auditor', attributes: {} },
      testViewOptions,
    );
    const user = createUserSession(await createNodeBindings(), auditor, [
      { name: AUDIT_TABLE, columns: [...AUDIT_COLUMNS] },
    ]);
    user.insertIpc(AUDIT_TABLE, auditTableIpc(entries), false);
    const sql = 'SELECT count(*) FILTER (WHERE denied)::INT AS denied, max(seq) AS last FROM audit_log';
    const d = await guardOn(user, auditor)(sql);
    expect(d.decision).toBe('allow');
    expect(d.objects).toEqual([AUDIT_TABLE]);
    expect(user.query(sql).toArray()[0].toJSON()).toEqual({ denied: 1, last: 2 });

    const analyst = buildRoleView(
      testPolicy,
      testManifest,
      {
        user: 'ana',
        role: 'DataAnalyst',
        attributes: {},
      },
      testViewOptions,
    );
    expect((await guardOn(user, analyst)(sql)).decision).toBe('deny');
  });
});
