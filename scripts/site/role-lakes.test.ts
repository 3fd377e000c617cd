import { readFileSync, mkdtempSync, rmSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost } from '../../src/engine/testing/host-driver';
import { serveFolder, type ServedFolder } from '../../src/engine/testing/lake-fixture';
import type { QueryResult } from '../../src/contract/results';
import { parsePolicy } from '../../src/gov/policy-schema';
import { buildRoleView } from '../../src/gov/role-view';
import { parseManifest, type Manifest } from '../../src/lake/manifest';
import { openDuck, queryJson, type Duck } from '../lake/duck';
import { deriveMaskKeys, readMaskSecret } from './mask-secret';
import { attributeDependent, writeRoleLakes, type BuiltFolder } from './role-lakes';
import { demoSessions } from './users-file';

const lakeDir = path.resolve('public/sample-lake');
const policyText = readFileSync(path.join(lakeDir, 'policy.json'), 'utf8');
const policy = parsePolicy(JSON.parse(policyText));
const manifest = parseManifest(JSON.parse(readFileSync(path.join(lakeDir, 'catalog.json'), 'utf8')));
const SECRET = 'role-lake-test-secret-0123456789abcdef';

let out: string;
let built: BuiltFolder[];
let conn: Duck;

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'lakebook-roles-'));
  conn = await openDuck();
  built = await writeRoleLakes(
    {
      conn,
      lakeDir,
      manifest,
      policyText,
      policy,
      secret: SECRET,
      roles: Object.keys(policy.roles),
      users: demoSessions(policy),
    },
    out,
  );
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const folder = (role: string) => path.join(out, built.find((b) => b.role === role)!.folder);
const catalogOf = (role: string): Manifest =>
  parseManifest(JSON.parse(readFileSync(path.join(folder(role), 'catalog.json'), 'utf8')));
const fileOf = (role: string, table: string) => {
  const entry = catalogOf(role).tables.find((t) => t.name === table)!;
  return `read_parquet([${entry.files.map((f) => `'${path.join(folder(role), f.path)}'`).join(', ')}])`;
};
const raw = (table: string) => {
  const entry = manifest.tables.find((t) => t.name === table)!;
  return `read_parquet([${entry.files.map((f) => `'${path.join(lakeDir, f.path)}'`).join(', ')}])`;
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('per-role lake folders', () => {
  it('builds one folder per role, and one per attribute set where rows depend on the user', () => {
    expect(built.map((b) => b.role)).toEqual(Object.keys(policy.roles));
    expect(attributeDependent(policy, 'Clinician')).toBe(true);
    expect(attributeDependent(policy, 'DataAnalyst')).toBe(false);
    const clinician = built.find((b) => b.role === 'Clinician')!;
    expect(clinician.attributes).toEqual(policy.demoUsers.Clinician!.attributes);
    expect(clinician.folder).toMatch(/^roles\/clinician-[0-9a-f]{10}\/$/);
    expect(built.find((b) => b.role === 'DataAnalyst')!.folder).toBe('roles/data-analyst/');
  });

  it('no folder holds the secret, and each holds the published policy and a catalog prepared for its role', () => {
    for (const b of built) {
      for (const file of filesUnder(path.join(out, b.folder))) {
        expect(readFileSync(file).includes(SECRET), file).toBe(false);
      }
      expect(readFileSync(path.join(out, b.folder, 'policy.json'), 'utf8')).toBe(policyText);
      expect(catalogOf(b.role).preparedFor?.role).toBe(b.role);
    }
  });

  it('DataAnalyst: keys hashed with keys derived from the secret, direct identifiers absent from the files', async () => {
    const keys = deriveMaskKeys(SECRET, 'DataAnalyst');
    const [row] = await queryJson(
      conn,
      `SELECT count(*) AS n, count(*) FILTER (WHERE m.subject_id = substr(sha256('${keys.outer}' ||
         sha256('${keys.inner}:hash:' || CAST(r.subject_id AS VARCHAR))), 1, 16)) AS same
       FROM ${raw('patients')} r POSITIONAL JOIN ${fileOf('DataAnalyst', 'patients')} m`,
    );
    expect(Number(row.n)).toBe(100);
    expect(Number(row.same)).toBe(100);
    const [clash] = await queryJson(
      conn,
      `SELECT count(*) AS n FROM ${fileOf('DataAnalyst', 'admissions')} m
       WHERE m.subject_id IN (SELECT CAST(subject_id AS VARCHAR) FROM ${raw('patients')})`,
    );
    expect(Number(clash.n)).toBe(0);
    const columns = await queryJson(
      conn,
      `DESCRIBE SELECT * FROM ${fileOf('DataAnalyst', 'synthea_patients')}`,
    );
    expect(columns.map((c) => c.column_name)).not.toContain('ssn');
    const ssn = catalogOf('DataAnalyst')
      .tables.find((t) => t.name === 'synthea_patients')!
      .columns.find((c) => c.name === 'ssn');
    expect(ssn?.withheld).toBe(true);
    const subject = catalogOf('DataAnalyst')
      .tables.find((t) => t.name === 'admissions')!
      .columns.find((c) => c.name === 'subject_id');
    expect(subject).toMatchObject({ type: 'VARCHAR', masked: 'hash' });
  });

  it('different pseudonym scopes get unrelated keys', () => {
    expect(deriveMaskKeys(SECRET, 'DataAnalyst')).not.toEqual(deriveMaskKeys(SECRET, 'Researcher'));
    expect(deriveMaskKeys(SECRET, 'DataAnalyst')).not.toEqual(deriveMaskKeys(`${SECRET}x`, 'DataAnalyst'));
  });

  it('Clinician: only the rows of the own wards are in the files', async () => {
    const wards = (policy.demoUsers.Clinician!.attributes.wards as string[]).map((w) => `'${w}'`).join(', ');
    const [expected] = await queryJson(
      conn,
      `SELECT count(*) AS n FROM ${raw('admissions')} WHERE subject_id IN
         (SELECT subject_id FROM ${raw('transfers')} WHERE careunit IN (${wards}))`,
    );
    const [got] = await queryJson(conn, `SELECT count(*) AS n FROM ${fileOf('Clinician', 'admissions')}`);
    expect(Number(got.n)).toBe(Number(expected.n));
    expect(Number(got.n)).toBeLessThan(manifest.tables.find((t) => t.name === 'admissions')!.rowCount);
    expect(catalogOf('Clinician').tables.find((t) => t.name === 'synthea_patients')).toMatchObject({
      withheld: true,
      files: [],
    });
  });

  it('Public: metric views arrive suppressed, record-level tables not at all', async () => {
    const [row] = await queryJson(
      conn,
      `SELECT count(*) FILTER (WHERE n_patients < 11) AS small, count(*) FILTER (WHERE suppressed) AS hidden,
              count(*) FILTER (WHERE suppressed AND (n_readmitted_30d IS NOT NULL OR readmission_rate_30d IS NOT NULL)) AS leaked
       FROM ${fileOf('Public', 'readmission_30d')}`,
    );
    expect(Number(row.small)).toBe(0);
    expect(Number(row.hidden)).toBeGreaterThan(0);
    expect(Number(row.leaked)).toBe(0);
    const withheld = catalogOf('Public')
      .tables.filter((t) => t.withheld)
      .map((t) => t.name);
    expect(withheld).toContain('admissions');
    expect(filesUnder(folder('Public')).some((f) => f.includes('/phi/'))).toBe(false);
  });

  it('Admin: tables the role sees whole are handed over as they are, raw events included', () => {
    const adt = catalogOf('Admin').tables.find((t) => t.name === 'raw_evergreen_adt')!;
    expect(adt.files).toEqual(manifest.tables.find((t) => t.name === 'raw_evergreen_adt')!.files);
  });

  it('the engine reads its role folder (and only it) and keeps the policy as a second wall', async () => {
    const served: ServedFolder = await serveFolder(out);
    try {
      const site = {
        tiers: ['PHI', 'PII', 'PUBLIC'],
        folders: built.map(({ role, folder: f, attributes }) => ({ role, folder: f, attributes })),
      };
      writeFileSync(path.join(out, 'site.json'), JSON.stringify(site));
      const h = startHost();
      await h.value({
        kind: 'init',
        lakeUrl: served.url,
        session: { user: 'ana', role: 'DataAnalyst', attributes: {} },
      });
      const result = await h.value<QueryResult>({
        kind: 'query',
        sql: 'SELECT count(DISTINCT subject_id) AS n, min(length(subject_id)) AS l FROM admissions',
        cells: [],
      });
      expect(tableFromIPC(result.ipc).toArray()[0].toJSON()).toEqual({ n: 100n, l: 16n });
      const denied = await h.error({ kind: 'query', sql: 'SELECT ssn FROM synthea_patients', cells: [] });
      expect(denied.code).toBe('DENIED');
      expect(denied.message).toContain('synthea_patients.ssn');
      const lakeRequests = served.requests.filter((r) => r.includes('.parquet'));
      expect(lakeRequests.length).toBeGreaterThan(0);
      expect(lakeRequests.every((r) => r.includes('/roles/data-analyst/'))).toBe(true);

      // On a prepared folder a steward still may not retag away their own masks (separation of duties).
      const steward = startHost();
      await steward.value({
        kind: 'init',
        lakeUrl: served.url,
        session: { user: 'sam', role: 'DataSteward', attributes: {} },
      });
      const refused = await steward.error({
        kind: 'changeTags',
        change: { table: 'synthea_patients', column: 'ssn', tags: ['PII'] },
      });
      expect(refused.code).toBe('DENIED');
      expect(refused.message).toContain('synthea_patients.ssn would lose its partial mask');

      // A session the site has no folder for gets nothing, with a message that says why.
      const other = startHost();
      const error = await other.error({
        kind: 'init',
        lakeUrl: served.url,
        session: { user: 'dr.who', role: 'Clinician', attributes: { wards: ['Nowhere'] } },
      });
      expect(error.code).toBe('POLICY');
      expect(error.message).toContain('no lake folder prepared for dr.who as Clinician');
    } finally {
      await served.close();
    }
  });

  it('a folder prepared for one role shows nothing to another', () => {
    const prepared = catalogOf('DataAnalyst');
    expect(() => buildRoleView(policy, prepared, { user: 'x', role: 'Admin', attributes: {} })).toThrow(
      /prepared for DataAnalyst/,
    );
    const view = buildRoleView(policy, prepared, { user: 'x', role: 'DataAnalyst', attributes: {} });
    const admissions = view.tables.find((t) => t.table === 'admissions')!;
    expect(admissions.columns.find((c) => c.name === 'subject_id')).toMatchObject({
      expr: '"subject_id"',
      mask: 'hash',
    });
    expect(admissions.rules.some((r) => r.startsWith('mask hash on admissions.subject_id'))).toBe(true);
    expect(view.tables.find((t) => t.table === 'synthea_patients')!.columns.map((c) => c.name)).not.toContain(
      'ssn',
    );
  });
});

describe('the masking secret', () => {
  it('comes from the environment, a file, or is made once outside dist/', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lakebook-secret-'));
    try {
      expect(readMaskSecret(dir, { LAKEBOOK_MASK_SECRET: SECRET }).secret).toBe(SECRET);
      expect(() => readMaskSecret(dir, { LAKEBOOK_MASK_SECRET: 'short' })).toThrow(/at least 32/);
      const made = readMaskSecret(dir, {});
      expect(made.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(path.join(dir, '.lakebook', 'mask-secret')).mode & 0o077).toBe(0);
      expect(readMaskSecret(dir, {}).secret).toBe(made.secret);
      expect(
        readMaskSecret(dir, { LAKEBOOK_MASK_SECRET_FILE: path.join(dir, '.lakebook', 'mask-secret') }).secret,
      ).toBe(made.secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
