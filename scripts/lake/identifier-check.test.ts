import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLakeCli } from './cli.ts';
import { openDuck } from './duck.ts';
import { findUntaggedIdentifiers, type ColumnValues } from './identifier-check.ts';
import { lakeColumnValues } from './identifier-values.ts';
import { readManifest } from './manifest-store.ts';
import { writeParquet } from './parquet-file.ts';

const col = (table: string, column: string, tags: string[], values: string[]): ColumnValues => ({
  table,
  column,
  tags,
  values,
});

describe('findUntaggedIdentifiers', () => {
  const subjects = col('admissions', 'subject_id', ['PHI', 'patient_id'], ['7', '8', '9', '10']);

  it('names an untagged column whose values are the values of a tagged key', () => {
    const [finding, ...rest] = findUntaggedIdentifiers([
      subjects,
      col('notes', 'who', ['PHI'], ['7', '8', '9']),
    ]);
    expect(rest).toEqual([]);
    expect(finding?.message).toMatch(
      /^notes\.who looks like an identifier \(values match patient keys of admissions\.subject_id\); tag it /,
    );
  });

  it.each([
    ['Evergreen keys', ['EVF00000001', 'EVF00000002', 'EVB00000003-1']],
    ['MIMIC', ['10000032', '20282368', '31205490']],
    [
      'Synthea UUIDs',
      [
        'a7762ddf-cedc-369a-aa5c-adb0abb15207',
        'df166300-5a78-3502-a46a-832842197811',
        '500a889a-1aeb-3471-a7ac-20295d2550b8',
      ],
    ],
  ])('names an untagged column whose values look like %s', (pattern, values) => {
    const findings = findUntaggedIdentifiers([col('forms', 'form_id', ['PHI'], values)]);
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining(pattern)]);
    expect(findings[0]?.column).toBe('form_id');
  });

  it('accepts the same columns once they carry a key or identifier tag', () => {
    const tagged = ['record_id', 'identifier', 'encounter_id'].map((tag, i) =>
      col('forms', `c${i}`, ['PHI', tag], ['EVF00000001', 'EVF00000002', '7', '8']),
    );
    expect(findUntaggedIdentifiers([subjects, ...tagged])).toEqual([]);
  });

  it('leaves ordinary columns alone, a 0/1 flag beside small keys included', () => {
    const keys = col('t', 'id', ['PHI', 'patient_id'], ['0', '1', '2', '3']);
    expect(
      findUntaggedIdentifiers([
        keys,
        col('t', 'flag', ['PHI'], ['0', '1']),
        col('t', 'ward', ['PHI'], ['Cardiology', 'Medicine', 'Oncology']),
        col('t', 'code', ['PUBLIC'], ['41071', '4280', 'I10', 'E119']),
      ]),
    ).toEqual([]);
  });
});

describe('lake verify on untagged identifiers', () => {
  let work: string;
  let lake: string;
  let out: string[];
  const lakeCmd = async (...args: string[]) => {
    out = [];
    return runLakeCli([...args, '--lake', lake, '--now', '2025-02-01T00:00:00Z'], (l) => out.push(l));
  };

  beforeEach(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'lake-ident-'));
    lake = path.join(work, 'lake');
    const file = path.join(work, 'inbox', 'evergreen_adt-jan.csv');
    mkdirSync(path.dirname(file), { recursive: true });
    const row = (id: string, patient: string) =>
      `${id},${patient},Cardiology,D1,Heart failure,2025-01-01T10:00:00Z,2025-01-04T10:00:00Z,72,home`;
    writeFileSync(
      file,
      [
        'admission_id,patient_id,ward,attending_id,diagnosis_group,admit_time,discharge_time,los_hours,discharge_disposition',
        row('A1', 'P1'),
        row('A2', 'P2'),
        row('A3', 'P3'),
      ].join('\n'),
    );
    expect(await lakeCmd('ingest', file)).toBe(0);
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('passes a lake whose keys are all tagged', async () => {
    expect(await lakeCmd('verify')).toBe(0);
    expect(out.at(-1)).toMatch(/^verify: the catalog matches the files/);
  });

  it('fails a lake with an untagged column holding patient keys, and names it', async () => {
    const conn = await openDuck();
    await writeParquet(
      conn,
      `SELECT * FROM (VALUES ('P1', 'fall'), ('P2', 'fever'), ('P3', 'fall')) AS t(pid, reason)`,
      path.join(lake, 'phi/curated/ward_notes/part-000.parquet'),
    );
    expect(await lakeCmd('catalog')).toBe(0);
    expect(await lakeCmd('verify')).toBe(1);
    expect(out).toContainEqual(
      expect.stringContaining(
        'ward_notes.pid looks like an identifier (values match patient keys of evergreen_admissions.patient_id); tag it',
      ),
    );
    expect(out.join('\n')).not.toContain('ward_notes.reason');
  });
});

describe('the sample lake', () => {
  it('tags every column that holds, embeds or joins to a key, raw zone included', async () => {
    const lakeDir = path.resolve('public/sample-lake');
    const manifest = readManifest(lakeDir);
    if (!manifest) throw new Error('public/sample-lake has no catalog.json');
    const values = await lakeColumnValues(await openDuck(), lakeDir, manifest);
    expect(findUntaggedIdentifiers(values).map((f) => f.message)).toEqual([]);
  }, 60_000);
});
