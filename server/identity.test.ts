import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePolicy } from '../src/gov/policy-schema.ts';
import { hashToken, readServerUsers } from './identity.ts';
import policyJson from '../governance/policy.json' with { type: 'json' };

const policy = parsePolicy(policyJson);
const dir = mkdtempSync(path.join(os.tmpdir(), 'lakebook-users-'));
afterEach(() => rmSync(path.join(dir, 'users.json'), { force: true }));

function usersFile(users: unknown[]): string {
  const file = path.join(dir, 'users.json');
  writeFileSync(file, JSON.stringify({ users }));
  return file;
}

describe('the server users file', () => {
  it('reads users with their token hashes and attributes', () => {
    const file = usersFile([
      { user: 'ana.lyst', role: 'DataAnalyst', tokenSha256: hashToken('secret-token') },
      { user: 'dr.rivera', role: 'Clinician', attributes: { wards: ['Medicine'] } },
    ]);
    expect(readServerUsers(file, policy)).toEqual([
      { user: 'ana.lyst', role: 'DataAnalyst', attributes: {}, tokenSha256: hashToken('secret-token') },
      { user: 'dr.rivera', role: 'Clinician', attributes: { wards: ['Medicine'] } },
    ]);
  });

  it('refuses a token kept in clear, and a role the policy lacks, naming the user', () => {
    expect(() =>
      readServerUsers(usersFile([{ user: 'ana', role: 'DataAnalyst', tokenSha256: 'abc' }]), policy),
    ).toThrow(/users\.0\.tokenSha256: the SHA-256 of the token/);
    expect(() => readServerUsers(usersFile([{ user: 'eve', role: 'Root' }]), policy)).toThrow(
      /User eve has role Root, which the policy lacks/,
    );
  });
});
