import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from './policy-schema';
import { parseSite, rolesForSite, tiersReached } from './site';

const policy = parsePolicy(JSON.parse(readFileSync('governance/policy.json', 'utf8')));

describe('roles a site offers', () => {
  it('a public site offers only the roles whose grants stay in the public tier', () => {
    expect(tiersReached(policy, 'DataAnalyst').sort()).toEqual(['PHI', 'PII', 'PUBLIC']);
    expect(rolesForSite(policy, { tiers: ['PUBLIC'] })).toEqual(['Public', 'Auditor']);
    expect(rolesForSite(policy, { tiers: ['PUBLIC', 'PII', 'PHI'] })).toEqual(Object.keys(policy.roles));
  });

  it('a grant that names no tier counts as reaching every tier', () => {
    const custom = parsePolicy({
      ...policy,
      roles: { ...policy.roles, Public: { grants: [{ tables: ['cms_hospitals'] }] } },
    });
    expect(rolesForSite(custom, { tiers: ['PUBLIC'] })).toEqual(['Auditor']);
  });

  it('an unreadable site.json means a public site, never a wider one', () => {
    expect(parseSite({ tiers: ['PUBLIC', 'PHI'] })).toEqual({ tiers: ['PUBLIC', 'PHI'] });
    expect(parseSite({ tiers: ['SECRET'] })).toEqual({ tiers: ['PUBLIC'] });
    expect(parseSite('<!doctype html>')).toEqual({ tiers: ['PUBLIC'] });
  });
});
