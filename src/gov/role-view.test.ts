import { describe, expect, it } from 'vitest';
import cases from './fixtures/role-view-cases.json';
import { testManifest, testPolicy, testPolicyJson, testViewOptions } from './fixtures/test-lake';
import { buildRoleView, roleSelectSql, SUPPRESSED_COLUMN } from './role-view';
import { parsePolicy, PolicyError } from './policy-schema';
import type { Session } from './types';

interface Case {
  role: string;
  attributes?: Session['attributes'];
  table: string;
  column?: string;
  expect:
    | 'absent'
    | 'clear'
    | {
        mask?: string;
        type?: string;
        suppressed?: boolean;
        rowFilter?: string | null;
        filterSources?: string[];
      };
  why?: string;
}

function session(c: Case): Session {
  return { user: 'u', role: c.role, attributes: c.attributes ?? {} };
}

describe('buildRoleView, request → expected allow / mask / filter', () => {
  for (const c of cases as Case[]) {
    const title = `${c.role} ${c.table}${c.column ? '.' + c.column : ''} → ${JSON.stringify(c.expect)}${c.why ? ` (${c.why})` : ''}`;
    it(title, () => {
      const view = buildRoleView(testPolicy, testManifest, session(c), testViewOptions);
      const table = view.tables.find((t) => t.table === c.table);
      const column = c.column ? table?.columns.find((col) => col.name === c.column) : undefined;
      if (c.expect === 'absent') {
        expect(c.column ? column : table).toBeUndefined();
        return;
      }
      expect(table).toBeDefined();
      if (c.expect === 'clear') {
        expect(column).toBeDefined();
        expect(column?.mask).toBeUndefined();
        expect(column?.expr).toBe(c.column === SUPPRESSED_COLUMN ? column?.expr : `"${c.column}"`);
        return;
      }
      const e = c.expect;
      if (c.column) {
        expect(column).toBeDefined();
        if (e.mask !== undefined) expect(column?.mask ?? 'none').toBe(e.mask);
        if (e.type !== undefined) expect(column?.type).toBe(e.type);
        if (e.suppressed !== undefined)
          expect(column?.expr.startsWith('CASE WHEN coalesce(')).toBe(e.suppressed);
      }
      if (e.rowFilter !== undefined) expect(table?.rowFilter ?? null).toBe(e.rowFilter);
      if (e.filterSources !== undefined) expect(table?.filterSources).toEqual(e.filterSources);
    });
  }
});

describe('policy validation', () => {
  it('refuses a broken policy with every problem listed, never falling back to allow', () => {
    const broken = structuredClone(testPolicyJson) as Record<string, unknown>;
    const roles = broken.roles as Record<string, Record<string, unknown>>;
    delete roles.Auditor;
    roles.DataAnalyst.masks = [{ tags: ['PHI'], mask: 'scramble' }];
    roles.Public.grants = [{}];
    broken.salt = 'short';
    let message = '';
    try {
      parsePolicy(broken);
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/role Auditor is missing/);
    expect(message).toMatch(/roles\.DataAnalyst\.masks\.0\.mask/);
    expect(message).toMatch(/at least one of tables, columns or tags/);
    expect(message).toMatch(/must not hold the masking secret/);
  });

  it('refuses unknown keys, so a typo cannot silently drop a rule', () => {
    const typo = structuredClone(testPolicyJson) as { roles: Record<string, Record<string, unknown>> };
    typo.roles.DataAnalyst.deny = typo.roles.DataAnalyst.denies;
    expect(() => parsePolicy(typo)).toThrow(/deny/);
  });

  it('warns about tables and columns the catalog does not have, and still builds the view', () => {
    const p = structuredClone(testPolicyJson) as { roles: Record<string, Record<string, unknown>> };
    p.roles.Admin.masks = [{ columns: ['ghost_table.x', 'patients.nope'], mask: 'null' }];
    const view = buildRoleView(
      parsePolicy(p),
      testManifest,
      { user: 'a', role: 'Admin', attributes: {} },
      testViewOptions,
    );
    expect(view.warnings).toContain('Admin masks #1: table of ghost_table.x is not in the catalog');
    expect(view.warnings).toContain('Admin masks #1: column patients.nope is not in the catalog');
    expect(view.tables.map((t) => t.table)).toContain('patients');
  });

  it('refuses an unknown role', () => {
    expect(() =>
      buildRoleView(
        testPolicy,
        testManifest,
        { user: 'x', role: 'Intruder', attributes: {} },
        testViewOptions,
      ),
    ).toThrow(PolicyError);
  });

  it('gives permissions only to the roles that have them', () => {
    const can = (role: string) =>
      buildRoleView(testPolicy, testManifest, { user: 'x', role, attributes: {} }, testViewOptions).can;
    expect(can('DataSteward')).toEqual({ changeTags: true, readAudit: false, exportPhi: false });
    expect(can('Auditor')).toEqual({ changeTags: false, readAudit: true, exportPhi: false });
    expect(can('Admin')).toEqual({ changeTags: true, readAudit: true, exportPhi: true });
    expect(can('DataAnalyst')).toEqual({ changeTags: false, readAudit: false, exportPhi: false });
  });

  it('writes one loader statement per table with masks and filter', () => {
    const view = buildRoleView(
      testPolicy,
      testManifest,
      {
        user: 'c',
        role: 'Clinician',
        attributes: { wards: ['MICU'] },
      },
      testViewOptions,
    );
    const transfers = view.tables.find((t) => t.table === 'transfers')!;
    expect(roleSelectSql(transfers)).toBe(
      `SELECT "subject_id" AS "subject_id", "hadm_id" AS "hadm_id", "careunit" AS "careunit", "intime" AS "intime" FROM "transfers" WHERE CAST("careunit" AS VARCHAR) IN ('MICU')`,
    );
  });
});

describe('a lake prepared for one role', () => {
  const analyst = { user: 'ana', role: 'DataAnalyst', attributes: {} };
  const prepared = {
    ...testManifest,
    preparedFor: { role: 'DataAnalyst' },
    tables: testManifest.tables.map((t) =>
      t.name === 'patients'
        ? {
            ...t,
            appliedRules: ['mask hash on patients.subject_id (DataAnalyst masks #1)'],
            columns: t.columns.map((c) =>
              c.name === 'subject_id'
                ? { ...c, type: 'VARCHAR', masked: 'hash' as const }
                : c.name === 'ssn'
                  ? { ...c, withheld: true as const }
                  : c,
            ),
          }
        : t,
    ),
  };

  it('takes the host-applied masks as they are, and masks tables the tab added itself', () => {
    const view = buildRoleView(testPolicy, prepared, analyst, testViewOptions);
    const patients = view.tables.find((t) => t.table === 'patients')!;
    expect(patients.columns.find((c) => c.name === 'subject_id')).toMatchObject({
      expr: '"subject_id"',
      type: 'VARCHAR',
      mask: 'hash',
    });
    expect(patients.columns.map((c) => c.name)).not.toContain('ssn');
    expect(patients.rules).toContain('mask hash on patients.subject_id (DataAnalyst masks #1)');
    const admissions = view.tables.find((t) => t.table === 'admissions')!;
    expect(admissions.columns.find((c) => c.name === 'subject_id')?.expr).toMatch(/^substr\(sha256\(/);
  });

  it('shows nothing to another role, or to a user the folder was not prepared for', () => {
    expect(() => buildRoleView(testPolicy, prepared, { ...analyst, role: 'Admin' }, testViewOptions)).toThrow(
      PolicyError,
    );
    const forWards = { ...prepared, preparedFor: { role: 'DataAnalyst', attributes: { wards: ['MICU'] } } };
    expect(() => buildRoleView(testPolicy, forWards, analyst, testViewOptions)).toThrow(
      /other user attributes/,
    );
    expect(
      buildRoleView(testPolicy, forWards, { ...analyst, attributes: { wards: ['MICU'] } }, testViewOptions)
        .tables.length,
    ).toBeGreaterThan(0);
  });

  it('without mask keys, keyed masks fall back to null rather than to a hash anyone can recompute', () => {
    const view = buildRoleView(testPolicy, testManifest, analyst);
    const subject = view.tables
      .find((t) => t.table === 'patients')!
      .columns.find((c) => c.name === 'subject_id');
    expect(subject).toMatchObject({ mask: 'null', expr: 'CAST(NULL AS INTEGER)' });
    expect(view.warnings?.some((w) => w.includes('needs the masking keys'))).toBe(true);
  });
});
