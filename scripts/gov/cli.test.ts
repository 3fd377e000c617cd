import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { testManifest, testPolicyJson } from '../../src/gov/fixtures/test-lake';
import { runCli } from './check-cli';

function lake(policy: unknown = testPolicyJson): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gov-cli-'));
  writeFileSync(path.join(dir, 'catalog.json'), JSON.stringify(testManifest));
  writeFileSync(path.join(dir, 'policy.json'), JSON.stringify(policy));
  return dir;
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('gov check', () => {
  let dir: string;
  beforeAll(() => {
    dir = lake();
  });

  it('prints one JSON line per cell of a file, skipping comments, and exits 0 whatever the decisions', async () => {
    const file = path.join(dir, 'cells.sql');
    writeFileSync(
      file,
      '-- a comment\nSELECT * FROM readmission_30d\n\nSELECT * FROM patients; SELECT 1\n  -- another\n',
    );
    const r = await run(['check', '--role', 'Public', '--lake', dir, '--file', file]);
    expect(r.code).toBe(0);
    const lines = r.out.map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ sql: 'SELECT * FROM readmission_30d', decision: 'allow', reason: null });
    expect(lines[0].objects).toEqual(['readmission_30d']);
    expect(lines[1]).toMatchObject({
      decision: 'deny',
      reason: expect.stringMatching(
        /^Public may not read table patients \(PHI\): aggregateOnly of role Public/,
      ),
    });
    expect(lines[1].statements.map((s: { decision: string }) => s.decision)).toEqual(['deny', 'allow']);
  });

  it('takes several --sql cells and user attributes for row filters', async () => {
    const r = await run([
      'check',
      '--role',
      'Clinician',
      '--lake',
      dir,
      '--attr',
      'wards=MICU,SICU',
      '--sql',
      'SELECT name FROM patients',
      '--sql',
      'SELECT ssn FROM patients',
    ]);
    expect(r.code).toBe(0);
    const [name, ssn] = r.out.map((l) => JSON.parse(l));
    expect(name.decision).toBe('allow');
    expect(name.tags).toContain('identifier');
    expect(name.rules).toEqual(['row filter on patients (own patients)']);
    expect(ssn.reason).toBe(
      'Clinician may not read column patients.ssn (PHI): deny rule #1 of role Clinician. Leave the column out, or ask for a role that may read it: DataSteward, Admin.',
    );
    expect(ssn.rule).toBe('column-grant');
  });

  it('lets the Auditor query the audit log table', async () => {
    const r = await run([
      'check',
      '--role',
      'Auditor',
      '--lake',
      dir,
      '--sql',
      'SELECT count(*) FROM audit_log',
    ]);
    expect(JSON.parse(r.out[0]).decision).toBe('allow');
  });

  it('exits 2 on bad input with a message', async () => {
    expect((await run(['check', '--lake', dir, '--sql', 'SELECT 1'])).code).toBe(2);
    expect((await run(['check', '--role', 'Public', '--lake', dir])).code).toBe(2);
    expect((await run(['verify', '--role', 'Public', '--lake', dir, '--sql', 'SELECT 1'])).code).toBe(2);
    expect((await run(['check', '--role', 'Public', '--lake', dir, '--sql', 'x', '--file', 'y'])).code).toBe(
      2,
    );
    expect(
      (await run(['check', '--role', 'Public', '--lake', '/nonexistent', '--sql', 'SELECT 1'])).code,
    ).toBe(2);
    expect((await run(['check', '--role', 'Public', '--lake', dir, '--bogus'])).code).toBe(2);
    const unknown = await run(['check', '--role', 'Intruder', '--lake', dir, '--sql', 'SELECT 1']);
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toMatch(/no role "Intruder"/);
    const broken = await run([
      'check',
      '--role',
      'Public',
      '--lake',
      lake({ format: 'x' }),
      '--sql',
      'SELECT 1',
    ]);
    expect(broken.code).toBe(2);
    expect(broken.err[0]).toMatch(/The access policy is not valid/);
  });

  it('runs as npm run -s gov with the same output', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/gov/cli.ts',
        'check',
        '--role',
        'DataAnalyst',
        '--lake',
        dir,
        '--sql',
        'SET x = 1',
      ],
      { cwd: path.resolve(import.meta.dirname, '../..') },
    );
    expect(JSON.parse(stdout.trim())).toMatchObject({ decision: 'deny', rule: 'read-only' });
    await expect(
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/gov/cli.ts', 'check'], {
        cwd: path.resolve(import.meta.dirname, '../..'),
      }),
    ).rejects.toMatchObject({ code: 2 });
  });
});
