import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
});
