import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../lake/manifest';
import { parsePolicy } from './policy-schema';
import { buildRoleView } from './role-view';
import { testManifest, testViewOptions } from './fixtures/test-lake';
import { ROLES } from './types';

const policy = parsePolicy(
  JSON.parse(readFileSync(new URL('../../governance/policy.json', import.meta.url), 'utf8')),
);

describe('governance/policy.json (the sample lake policy)', () => {
  it('defines every role, and a demo user for each', () => {
    for (const role of ROLES) {
      expect(policy.roles[role]).toBeDefined();
      expect(policy.demoUsers[role]).toBeDefined();
    }
  });

  it('keeps PHI away from Public and Auditor and identifiers away from DataAnalyst', () => {
    for (const role of ROLES) {
      const demo = policy.demoUsers[role];
      const view = buildRoleView(
        policy,
        testManifest,
        {
          user: demo.user,
          role,
          attributes: demo.attributes,
        },
        testViewOptions,
      );
      const seen = view.tables.flatMap((t) => t.columns.map((c) => ({ table: t.table, ...c })));
      if (role === 'Public' || role === 'Auditor') {
        expect(seen.filter((c) => c.tags.includes('PHI') || c.tags.includes('PII'))).toEqual([]);
      }
      if (role === 'DataAnalyst') {
        expect(seen.filter((c) => c.tags.includes('identifier'))).toEqual([]);
      }
    }
  });

  it('hashes every key of the sample lake for DataAnalyst, record keys and raw events included', () => {
    const manifest = parseManifest(
      JSON.parse(readFileSync(new URL('../../public/sample-lake/catalog.json', import.meta.url), 'utf8')),
    );
    const view = buildRoleView(
      policy,
      manifest,
      { user: 'ana.lyst', role: 'DataAnalyst', attributes: {} },
      testViewOptions,
    );
    const keys = ['patient_id', 'encounter_id', 'staff_id', 'record_id'];
    const seen = view.tables.flatMap((t) => t.columns.map((c) => ({ at: `${t.table}.${c.name}`, ...c })));
    const unhashed = seen.filter((c) => c.tags.some((t) => keys.includes(t)) && c.mask !== 'hash');
    expect(unhashed.map((c) => `${c.at} ${c.mask ?? 'clear'}`)).toEqual([]);
    const hashed = new Set(seen.filter((c) => c.mask === 'hash').map((c) => c.at));
    for (const at of [
      'evergreen_discharge_forms.form_id',
      'evergreen_bed_alarms.alarm_id',
      'transfers.transfer_id',
      'labevents.labevent_id',
      'raw_evergreen_discharge_forms.form_id',
      'raw_evergreen_bed_sensors.alarm_id',
    ]) {
      expect(hashed, at).toContain(at);
    }
  });
});
