import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditLogDenial, columnDenial, tableDenial } from './denials';
import { testManifest, testPolicy, testPolicyJson, testViewOptions } from './fixtures/test-lake';
import { parsePolicy, type Policy } from './policy-schema';
import { buildRoleView } from './role-view';
import type { RoleView } from './types';

const samplePolicy = parsePolicy(
  JSON.parse(readFileSync(new URL('../../governance/policy.json', import.meta.url), 'utf8')),
);

const viewOf = (role: string, policy: Policy = testPolicy): RoleView =>
  buildRoleView(policy, testManifest, { user: 'u', role, attributes: {} }, testViewOptions);

describe('why a table or column is not in a view', () => {
  it('explains exactly what the view leaves out, for every role of both policies', () => {
    for (const policy of [testPolicy, samplePolicy]) {
      for (const role of Object.keys(policy.roles)) {
        const view = viewOf(role, policy);
        for (const table of testManifest.tables) {
          const access = view.tables.find((t) => t.table === table.name);
          expect(view.refused?.[table.name] === undefined, `${role} ${table.name}`).toBe(!!access);
          for (const column of table.columns) {
            const key = `${table.name}.${column.name}`;
            const hidden = !!access && !access.columns.some((c) => c.name === column.name);
            expect(view.refused?.[key] !== undefined, `${role} ${key}`).toBe(hidden);
          }
        }
      }
    }
  });

  it('names deny rules by their name, else by their place in the role', () => {
    expect(viewOf('DataAnalyst').refused?.['patients.ssn']).toEqual({
      rule: 'deny rule "direct identifiers" of role DataAnalyst',
      roles: ['DataSteward', 'Admin'],
    });
    expect(viewOf('Clinician').refused?.['admissions.ssn']?.rule).toBe('deny rule #1 of role Clinician');
  });

  it('says when no grant reaches a column, naming the grants', () => {
    expect(viewOf('Clinician').refused?.['admissions.insurance']).toEqual({
      rule: 'no grant of role Clinician reaches it',
      roles: ['DataAnalyst', 'DataSteward', 'Admin'],
    });
    expect(viewOf('Public', samplePolicy).refused?.transfers?.rule).toBe(
      'no grant of role Public ("public tier") reaches it',
    );
  });

  it('names aggregate-only and small-cell rules that withhold a whole table', () => {
    expect(viewOf('Public').refused?.patients?.rule).toMatch(/^aggregateOnly of role Public/);
    const withheld = structuredClone(testPolicyJson) as { roles: Record<string, Record<string, unknown>> };
    withheld.roles.Clinician.smallCells = {
      countColumn: 'n_patients',
      minGroupSize: 11,
      tables: ['cms_hrrp'],
    };
    expect(viewOf('Clinician', parsePolicy(withheld)).refused?.cms_hrrp?.rule).toBe(
      'smallCells of role Clinician (the table has no n_patients column to count patients)',
    );
  });

  it('lists the roles that hold the readAudit permission for the audit log', () => {
    expect(viewOf('DataSteward').refused?.audit_log).toEqual({
      rule: 'permission readAudit',
      roles: ['Auditor', 'Admin'],
    });
    expect(viewOf('Admin').refused).toEqual({});
  });
});

describe('denial texts', () => {
  it('name the policy rule and what to do, and keep the guard rule id', () => {
    const column = columnDenial(viewOf('DataAnalyst'), testManifest, 'patients', 'ssn');
    expect(column).toEqual({
      code: 'DENIED',
      rule: 'column-grant',
      policyRule: 'deny rule "direct identifiers" of role DataAnalyst',
      reason:
        'DataAnalyst may not read column patients.ssn (PHI): deny rule "direct identifiers" of role DataAnalyst. Leave the column out, or ask for a role that may read it: DataSteward, Admin.',
      objects: ['patients.ssn'],
    });
    const table = tableDenial(viewOf('Public'), testManifest, 'transfers');
    expect(table.rule).toBe('table-grant');
    expect(table.reason).toBe(
      'Public may not read table transfers (PHI): no grant of role Public reaches it. Ask for a role that may read it: DataAnalyst, Clinician, DataSteward, Admin.',
    );
    expect(auditLogDenial(viewOf('DataAnalyst')).reason).toBe(
      'DataAnalyst may not read table audit_log (permission readAudit). Ask for a role with that permission: Auditor, Admin.',
    );
  });

  it('say when no role may read it', () => {
    const locked = structuredClone(testPolicyJson);
    for (const role of Object.values(locked.roles) as { denies?: unknown[] }[])
      role.denies = [{ columns: ['patients.ssn'], name: 'never' }];
    const d = columnDenial(viewOf('Admin', parsePolicy(locked)), testManifest, 'patients', 'ssn');
    expect(d.reason).toBe(
      'Admin may not read column patients.ssn (PHI): deny rule "never" of role Admin. Leave the column out; no role in the policy may read it.',
    );
  });

  it('fall back to the steward for a view built without refusals', () => {
    const { refused: _refused, ...bare } = viewOf('Public');
    expect(tableDenial(bare, testManifest, 'transfers').reason).toBe(
      'Public may not read table transfers (PHI). Ask a DataSteward for access.',
    );
  });
});
