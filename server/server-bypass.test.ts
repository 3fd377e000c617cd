import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuck, sqlString } from '../scripts/lake/duck.ts';
import { readCorpus } from '../tests/gov/instances.ts';
import { parseManifest } from '../src/lake/manifest.ts';
import { readFileSync } from 'node:fs';
import { SAMPLE_LAKE, startTestServer, type TestServer } from './testing/start-test-server.ts';

/**
 * Both bypass corpora, sent over HTTP by a Public user with a valid token: each is refused, or answers
 * without one value found only in the lake's patient tables, and names no table Public may not read.
 */

const attacks = [
  ...readCorpus(new URL('../tests/gov/bypass-corpus.sql', import.meta.url)),
  ...readCorpus(new URL('../tests/gov/extra-attacks.sql', import.meta.url)),
];

let server: TestServer;
let secrets: Set<string>;
let publicTables: Set<string>;

/** Identifiers and names that only the patient tables hold, read from the lake itself. */
async function patientValues(): Promise<Set<string>> {
  const manifest = parseManifest(JSON.parse(readFileSync(path.join(SAMPLE_LAKE, 'catalog.json'), 'utf8')));
  const files = (table: string) =>
    `read_parquet([${manifest.tables
      .find((t) => t.name === table)!
      .files.map((f) => sqlString(path.join(SAMPLE_LAKE, f.path)))
      .join(', ')}])`;
  const conn = await openDuck();
  try {
    const reader = await conn.runAndReadAll(`
      SELECT CAST(subject_id AS VARCHAR) FROM ${files('patients')}
      UNION SELECT CAST(hadm_id AS VARCHAR) FROM ${files('admissions')}
      UNION SELECT CAST(patient_id AS VARCHAR) FROM ${files('evergreen_admissions')}
      UNION SELECT CAST(admission_id AS VARCHAR) FROM ${files('evergreen_admissions')}`);
    return new Set(reader.getRows().map((r) => String(r[0])));
  } finally {
    conn.closeSync();
  }
}

beforeAll(async () => {
  [server, secrets] = await Promise.all([startTestServer(), patientValues()]);
  const manifest = parseManifest(JSON.parse(readFileSync(path.join(SAMPLE_LAKE, 'catalog.json'), 'utf8')));
  publicTables = new Set(manifest.tables.filter((t) => t.tier === 'PUBLIC').map((t) => t.name));
}, 180_000);
afterAll(() => server.close());

describe('both bypass corpora over HTTP as Public', () => {
  it('holds both corpora, and knows the values they must not reach', () => {
    expect(attacks.length).toBe(68 + 48);
    expect(secrets.size).toBeGreaterThan(1000);
  });

  it('would notice a leak: an Admin, who may read patients, gets values the check flags', async () => {
    const response = await fetch(new URL('api/query', server.base), {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${server.tokens.get(server.userOf.Admin!)}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ sql: 'SELECT subject_id FROM patients LIMIT 5' }),
    });
    const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
    expect(table.numRows).toBe(5);
    expect(secrets.has(String(table.getChild('subject_id')!.get(0)))).toBe(true);
  });

  for (const attack of attacks) {
    it(`${attack.technique}: ${attack.sql.replaceAll('\n', ' ')}`, async () => {
      const response = await fetch(new URL('api/query', server.base), {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${server.tokens.get(server.userOf.Public!)}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ sql: attack.sql }),
      });
      if (response.status !== 200) {
        const body = (await response.json()) as { code: string; message: string };
        expect(body.message).toBeTruthy();
        return;
      }
      const meta = JSON.parse(decodeURIComponent(response.headers.get('lakebook-result')!)) as {
        objects: string[];
      };
      expect(meta.objects.filter((o) => !publicTables.has(o))).toEqual([]);
      const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
      for (const field of table.schema.fields) {
        const column = table.getChild(field.name)!;
        for (let i = 0; i < table.numRows; i++) {
          const value = column.get(i);
          expect(value === null ? false : secrets.has(String(value)), `${field.name}[${i}]`).toBe(false);
        }
      }
    });
  }
});
