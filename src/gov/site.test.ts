import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from './policy-schema';
import { folderFor, parseSite, rolesForSite, tiersReached } from './site';

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

  it('an unreadable site.json means a public site with no folder to read, never a wider one', () => {
    expect(parseSite({ tiers: ['PUBLIC', 'PHI'] })).toEqual({ tiers: ['PUBLIC', 'PHI'] });
    expect(parseSite({ tiers: ['SECRET'] })).toEqual({ tiers: ['PUBLIC'], folders: [] });
    expect(parseSite('<!doctype html>')).toEqual({ tiers: ['PUBLIC'], folders: [] });
    expect(parseSite({ tiers: ['PUBLIC'], folders: [{ role: 'Public', folder: '../phi/' }] })).toEqual({
      tiers: ['PUBLIC'],
      folders: [],
    });
    expect(rolesForSite(policy, parseSite('<!doctype html>'))).toEqual([]);
  });
});

describe('the folder prepared for a user', () => {
  const site = parseSite({
    tiers: ['PUBLIC', 'PII', 'PHI'],
    folders: [
      { role: 'Public', folder: 'roles/public/' },
      { role: 'Clinician', folder: 'roles/clinician-a/', attributes: { wards: ['ICU', 'CCU'] } },
    ],
  });

  it('a role without attributes serves every user of the role', () => {
    const visitor = { user: 'someone', role: 'Public', attributes: { wards: ['X'] } };
    expect(folderFor(site, visitor)?.folder).toBe('roles/public/');
  });

  it('a role whose rows depend on attributes serves only users with exactly those', () => {
    const clinician = (wards: string[]) => ({ user: 'dr', role: 'Clinician', attributes: { wards } });
    expect(folderFor(site, clinician(['CCU', 'ICU']))?.folder).toBe('roles/clinician-a/');
    expect(folderFor(site, clinician(['ICU']))).toBeUndefined();
    expect(folderFor(site, clinician(['ICU', 'CCU', 'MICU']))).toBeUndefined();
  });

  it('a site offers only the roles it has folders for', () => {
    expect(rolesForSite(policy, site)).toEqual(['Public', 'Clinician']);
  });
});
