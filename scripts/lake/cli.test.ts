import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseManifest, type Manifest } from '../../src/lake/manifest.ts';
import { sha256OfFile } from './atomic-file.ts';
import { runLakeCli } from './cli.ts';
import { openDuck, queryJson, sqlString } from './duck.ts';

const HEADER =
  'admission_id,patient_id,ward,attending_id,diagnosis_group,admit_time,discharge_time,los_hours,discharge_disposition';
const adt = (id: string, patient: string, los: string) =>
  `${id},${patient},Cardiology,D1,Heart failure,2025-01-01T10:00:00Z,2025-01-04T10:00:00Z,${los},home`;

let work: string;
let lake: string;
let out: string[];

async function lakeCmd(...args: string[]): Promise<number> {
  out = [];
  return runLakeCli([...args, '--lake', lake], (line) => out.push(line));
}

function inbox(name: string, text: string): string {
  const file = path.join(work, 'inbox', name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const catalog = (): Manifest =>
  parseManifest(JSON.parse(readFileSync(path.join(lake, 'catalog.json'), 'utf8')));
const table = (name: string) => catalog().tables.find((t) => t.name === name);
const curatedFile = () => path.join(lake, 'phi/curated/evergreen_admissions/part-000.parquet');

async function rows(file: string, sql: string) {
  const conn = await openDuck();
  await conn.run(`CREATE VIEW t AS SELECT * FROM read_parquet(${sqlString(file)})`);
  return queryJson(conn, sql);
}

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'lake-cli-'));
  lake = path.join(work, 'lake');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('lake ingest', () => {
  it('keeps the file raw, upserts typed rows, and changes nothing when the same file comes again', async () => {
    const file = inbox(
      'evergreen_adt-jan.csv',
      [HEADER, adt('A1', 'P1', '72'), adt('A2', 'P2', '80')].join('\n'),
    );
    expect(await lakeCmd('ingest', file)).toBe(0);
    expect(out.at(-1)).toBe('total: 2 ingested, 0 duplicate, 0 rejected');
    const raw = path.join(lake, 'phi/raw/evergreen_adt/2025/01/04/evergreen_adt-jan.csv');
    expect(readFileSync(raw, 'utf8')).toBe(readFileSync(file, 'utf8'));
    const before = {
      parquet: sha256OfFile(curatedFile()),
      catalog: readFileSync(path.join(lake, 'catalog.json')),
    };

    expect(await lakeCmd('ingest', file)).toBe(0);
    expect(out.at(-1)).toBe('total: 0 ingested, 2 duplicate, 0 rejected');
    expect(sha256OfFile(curatedFile())).toBe(before.parquet);
    expect(readFileSync(path.join(lake, 'catalog.json'))).toEqual(before.catalog);
    expect(readdirSync(path.dirname(raw))).toEqual(['evergreen_adt-jan.csv']);
    expect(table('evergreen_admissions')?.columns.find((c) => c.name === 'admit_time')?.type).toBe(
      'TIMESTAMP',
    );
  });

  it('sends malformed, incomplete and mistyped events to a dead-letter file and ingests the rest', async () => {
    const file = inbox(
      'evergreen_audit-day1.jsonl',
      [
        '{"event_id":"E1","event_time":"2025-01-03T08:00:00Z","actor_id":"U1","actor_role":"nurse","action":"view","resource":"A1","outcome":"allowed"}',
        '{"event_id":"E2", broken',
        '{"event_time":"2025-01-03T09:00:00Z","actor_id":"U1","actor_role":"nurse","action":"view","resource":"A1","outcome":"allowed"}',
        '{"event_id":"E4","event_time":"yesterday","actor_id":"U1","actor_role":"nurse","action":"view","resource":"A1","outcome":"allowed"}',
      ].join('\n'),
    );
    expect(await lakeCmd('ingest', file)).toBe(0);
    expect(out.at(-1)).toBe('total: 1 ingested, 0 duplicate, 3 rejected');
    const deadFile = path.join(
      lake,
      'pii/dead-letter/evergreen_audit/2025/01/03/evergreen_audit-day1.jsonl.rejected.jsonl',
    );
    const dead = readFileSync(deadFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; reason: string; event: string });
    expect(dead.map((d) => d.line)).toEqual([2, 3, 4]);
    expect(dead[0]?.reason).toMatch(/malformed JSON/);
    expect(dead[1]?.reason).toBe('event_id: missing');
    expect(dead[2]?.reason).toBe('event_time: expected TIMESTAMP, got "yesterday"');
    expect(table('evergreen_audit_events')?.rowCount).toBe(1);
    expect(table('raw_evergreen_audit')?.files[0]?.rows).toBe(4);
  });

  it('upserts by key: a changed event replaces its row, a new key adds one', async () => {
    await lakeCmd(
      'ingest',
      inbox('evergreen_adt-a.csv', [HEADER, adt('A1', 'P1', '72'), adt('A2', 'P2', '80')].join('\n')),
    );
    await lakeCmd(
      'ingest',
      inbox('evergreen_adt-b.csv', [HEADER, adt('A1', 'P1', '50'), adt('A3', 'P3', '10')].join('\n')),
    );
    expect(out.at(-1)).toBe('total: 2 ingested, 0 duplicate, 0 rejected');
    const result = await rows(curatedFile(), 'SELECT admission_id, los_hours FROM t ORDER BY 1');
    expect(result).toEqual([
      { admission_id: 'A1', los_hours: 50 },
      { admission_id: 'A2', los_hours: 80 },
      { admission_id: 'A3', los_hours: 10 },
    ]);
    expect(table('raw_evergreen_adt')?.files).toHaveLength(2);
  });
});

describe('lake metrics', () => {
  it('appends a snapshot per rebuild and never changes an earlier one', async () => {
    await lakeCmd(
      'ingest',
      inbox('evergreen_adt-a.csv', [HEADER, adt('A1', 'P1', '72'), adt('A2', 'P2', '80')].join('\n')),
    );
    const metricsDir = path.join(work, 'metrics');
    mkdirSync(metricsDir);
    writeFileSync(
      path.join(metricsDir, 'ward_los.sql'),
      [
        '-- metric: ward_los',
        '-- description: Mean length of stay by ward.',
        '-- owner: Test',
        '-- tags: PUBLIC, metric',
        '-- upstream: evergreen_admissions',
        'SELECT ward, count(*) AS n_admissions, avg(los_hours) AS mean_los_hours FROM evergreen_admissions GROUP BY ward',
      ].join('\n'),
    );
    expect(await lakeCmd('metrics', '--metrics-dir', metricsDir, '--as-of', '2025-02-01T00:00:00Z')).toBe(0);
    const first = table('ward_los');
    const firstFile = path.join(lake, first?.files[0]?.path ?? '');
    const firstSha = sha256OfFile(firstFile);
    expect(first?.tier).toBe('PUBLIC');
    expect(first?.lineage?.upstream).toEqual(['evergreen_admissions']);

    await lakeCmd('ingest', inbox('evergreen_adt-b.csv', [HEADER, adt('A3', 'P3', '12')].join('\n')));
    expect(await lakeCmd('metrics', '--metrics-dir', metricsDir, '--as-of', '2025-03-01T00:00:00Z')).toBe(0);
    const second = table('ward_los');
    expect(second?.files).toHaveLength(2);
    expect(second?.asOf).toBe('2025-03-01T00:00:00.000Z');
    expect(sha256OfFile(firstFile)).toBe(firstSha);
    const history = await rows(
      path.join(lake, 'public/metrics/ward_los/*.parquet'),
      "SELECT strftime(as_of, '%Y-%m-%d') AS day, n_admissions FROM t ORDER BY as_of",
    );
    expect(history).toEqual([
      { day: '2025-02-01', n_admissions: '2' },
      { day: '2025-03-01', n_admissions: '3' },
    ]);
    expect(await lakeCmd('verify')).toBe(0);
  });
  it('records the column descriptions of the SQL file in the catalog, and refuses a column line that names no column', async () => {
    await lakeCmd('ingest', inbox('evergreen_adt-a.csv', [HEADER, adt('A1', 'P1', '72')].join('\n')));
    const metricsDir = path.join(work, 'metrics');
    mkdirSync(metricsDir);
    const file = path.join(metricsDir, 'ward_los.sql');
    const sql = (column: string) =>
      [
        '-- metric: ward_los',
        '-- description: Mean length of stay by ward.',
        '-- owner: Test',
        '-- tags: PUBLIC, metric',
        '-- upstream: evergreen_admissions',
        `-- column: ${column} | stays | Stays on the ward.`,
        'SELECT ward, count(*) AS n_admissions FROM evergreen_admissions GROUP BY ward',
      ].join('\n');
    writeFileSync(file, sql('n_stays'));
    await expect(lakeCmd('metrics', '--metrics-dir', metricsDir)).rejects.toThrow(
      /ward_los\.sql documents column n_stays, which its SELECT does not return/,
    );
    expect(existsSync(path.join(lake, 'public/metrics/ward_los'))).toBe(false);
    expect(table('ward_los')).toBeUndefined();

    writeFileSync(file, sql('n_admissions'));
    expect(await lakeCmd('metrics', '--metrics-dir', metricsDir)).toBe(0);
    const columns = table('ward_los')!.columns;
    expect(columns.find((c) => c.name === 'n_admissions')?.description).toBe('Stays on the ward.');
    expect(columns.find((c) => c.name === 'ward')?.description).toBeUndefined();
  });

  it('--if-changed rebuilds every view at one as_of when any changed, so views linked by snapshot stay comparable', async () => {
    await lakeCmd('ingest', inbox('evergreen_adt-a.csv', [HEADER, adt('A1', 'P1', '72')].join('\n')));
    const metricsDir = path.join(work, 'metrics');
    mkdirSync(metricsDir);
    const metric = (name: string, select: string) =>
      writeFileSync(
        path.join(metricsDir, `${name}.sql`),
        [
          `-- metric: ${name}`,
          '-- description: A test view.',
          '-- owner: Test',
          '-- tags: PUBLIC, metric',
          '-- upstream: evergreen_admissions',
          `${select} FROM evergreen_admissions`,
        ].join('\n'),
      );
    metric('n_stays', 'SELECT count(*) AS n_admissions');
    metric('n_wards', 'SELECT count(DISTINCT ward) AS n_wards');
    const run = (asOf: string) =>
      lakeCmd('metrics', '--metrics-dir', metricsDir, '--as-of', asOf, '--if-changed');
    expect(await run('2025-02-01T00:00:00Z')).toBe(0);
    expect(await run('2025-02-02T00:00:00Z')).toBe(0);
    expect(out).toEqual([
      'n_stays: 1 rows, unchanged, no snapshot',
      'n_wards: 1 rows, unchanged, no snapshot',
    ]);

    // A new stay on the same ward changes n_stays only; n_wards gets a snapshot of the same as_of all the same.
    await lakeCmd('ingest', inbox('evergreen_adt-b.csv', [HEADER, adt('A2', 'P2', '10')].join('\n')));
    expect(await run('2025-02-03T00:00:00Z')).toBe(0);
    expect(table('n_stays')?.asOf).toBe('2025-02-03T00:00:00.000Z');
    expect(table('n_wards')?.asOf).toBe('2025-02-03T00:00:00.000Z');
    expect(table('n_wards')?.files).toHaveLength(2);
  });
});

describe('lake verify, catalog and retention', () => {
  beforeEach(async () => {
    await lakeCmd('ingest', inbox('evergreen_adt-a.csv', [HEADER, adt('A1', 'P1', '72')].join('\n')));
  });

  it('verify passes on an untouched lake and fails on an edited file', async () => {
    expect(await lakeCmd('verify')).toBe(0);
    const bytes = readFileSync(curatedFile());
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0xff;
    writeFileSync(curatedFile(), bytes);
    expect(await lakeCmd('verify')).toBe(1);
    expect(out.join('\n')).toMatch(/evergreen_admissions .*part-000.parquet: checksum differs/);
  });

  it('catalog keeps edited tags and descriptions, lets a new column inherit, and reports vanished files', async () => {
    const edited = catalog();
    const entry = edited.tables.find((t) => t.name === 'evergreen_admissions');
    if (!entry) throw new Error('missing table');
    entry.description = 'Described by the data steward.';
    entry.tags = [...entry.tags, 'reviewed'];
    writeFileSync(path.join(lake, 'catalog.json'), JSON.stringify(edited));
    const conn = await openDuck();
    const file = sqlString(curatedFile());
    await conn.run(
      `COPY (SELECT *, 'north' AS wing FROM read_parquet(${file})) TO ${sqlString(curatedFile() + '.new')} (FORMAT parquet)`,
    );
    writeFileSync(curatedFile(), readFileSync(curatedFile() + '.new'));
    rmSync(curatedFile() + '.new');
    rmSync(path.join(lake, 'phi/raw/evergreen_adt'), { recursive: true });

    expect(await lakeCmd('catalog')).toBe(0);
    const after = table('evergreen_admissions');
    expect(after?.description).toBe('Described by the data steward.');
    expect(after?.tags).toContain('reviewed');
    expect(after?.columns.find((c) => c.name === 'wing')).toEqual({ name: 'wing', type: 'VARCHAR' });
    expect(after?.columns.find((c) => c.name === 'patient_id')?.tags).toEqual(['PHI', 'patient_id']);
    expect(out.join('\n')).toMatch(/vanished: raw_evergreen_adt/);
    expect(table('raw_evergreen_adt')).toBeDefined();
  });

  it('catalog gives a column it lists untagged the tags its contract declares, and keeps tags it lists', async () => {
    const edited = catalog();
    const entry = edited.tables.find((t) => t.name === 'evergreen_admissions');
    const key = entry?.columns.find((c) => c.name === 'admission_id');
    const staff = entry?.columns.find((c) => c.name === 'attending_id');
    if (!key || !staff) throw new Error('missing columns');
    delete key.tags;
    staff.tags = ['PII', 'staff_id', 'reviewed'];
    writeFileSync(path.join(lake, 'catalog.json'), JSON.stringify(edited));

    expect(await lakeCmd('catalog')).toBe(0);
    const columns = table('evergreen_admissions')?.columns ?? [];
    expect(columns.find((c) => c.name === 'admission_id')?.tags).toEqual(['PHI', 'encounter_id']);
    expect(columns.find((c) => c.name === 'attending_id')?.tags).toEqual(['PII', 'staff_id', 'reviewed']);
  });

  it('retention archives old raw files and deletes only with --force', async () => {
    const raw = 'phi/raw/evergreen_adt/2025/01/04/evergreen_adt-a.csv';
    expect(await lakeCmd('retention', '--days', '30', '--now', '2025-01-20T00:00:00Z')).toBe(0);
    expect(existsSync(path.join(lake, raw))).toBe(true);
    expect(await lakeCmd('retention', '--days', '30', '--now', '2025-03-01T00:00:00Z')).toBe(0);
    expect(existsSync(path.join(lake, raw))).toBe(false);
    expect(existsSync(path.join(lake, raw.replace('/raw/', '/archive/raw/')))).toBe(true);
    expect(table('raw_evergreen_adt')?.files).toEqual([]);
    expect(await lakeCmd('verify')).toBe(0);

    await lakeCmd('ingest', inbox('evergreen_adt-b.csv', [HEADER, adt('A2', 'P2', '7')].join('\n')));
    expect(await lakeCmd('retention', '--days', '30', '--now', '2025-03-01T00:00:00Z', '--force')).toBe(0);
    expect(out.at(-1)).toBe('retention: 0 raw file(s) archived, 1 deleted');
    expect(existsSync(path.join(lake, 'phi/raw/evergreen_adt/2025/01/04/evergreen_adt-b.csv'))).toBe(false);
  });
});

describe('lineage that cannot drift', () => {
  const metricsDir = () => path.join(work, 'metrics');
  function writeMetric(name: string, upstream: string, select: string) {
    mkdirSync(metricsDir(), { recursive: true });
    const file = path.join(metricsDir(), `${name}.sql`);
    writeFileSync(
      file,
      [
        `-- metric: ${name}`,
        '-- description: A test view.',
        '-- owner: Test',
        '-- tags: PUBLIC, metric',
        `-- upstream: ${upstream}`,
        select,
      ].join('\n'),
    );
    return file;
  }
  let day = 0;
  const metrics = (...extra: string[]) =>
    lakeCmd(
      'metrics',
      '--metrics-dir',
      metricsDir(),
      '--as-of',
      `2025-02-${String(++day).padStart(2, '0')}T00:00:00Z`,
      ...extra,
    );

  beforeEach(async () => {
    await lakeCmd('ingest', inbox('evergreen_adt-a.csv', [HEADER, adt('A1', 'P1', '72')].join('\n')));
    await lakeCmd(
      'ingest',
      inbox(
        'evergreen_audit-a.jsonl',
        '{"event_id":"E1","event_time":"2025-01-03T08:00:00Z","actor_id":"U1","actor_role":"nurse","action":"view","resource":"A1","outcome":"allowed"}',
      ),
    );
  });

  it('catalog refuses files it does not list in a table folder, and verify reports them', async () => {
    writeMetric(
      'n_stays',
      'evergreen_admissions',
      'SELECT count(*) AS n_admissions FROM evergreen_admissions',
    );
    expect(await metrics()).toBe(0);
    const snapshot = table('n_stays')!.files[0]!.path;
    const planted = [
      snapshot.replace(/snapshot-.*\.parquet$/, 'snapshot-20990101T000000Z.parquet'),
      'phi/raw/evergreen_adt/2025/01/05/evergreen_adt-planted.csv',
      'phi/curated/evergreen_admissions/part-001.parquet',
    ];
    mkdirSync(path.join(lake, 'phi/raw/evergreen_adt/2025/01/05'), { recursive: true });
    writeFileSync(path.join(lake, planted[0]!), readFileSync(path.join(lake, snapshot)));
    writeFileSync(path.join(lake, planted[1]!), [HEADER, adt('A9', 'P9', '5')].join('\n'));
    writeFileSync(path.join(lake, planted[2]!), readFileSync(curatedFile()));
    const before = catalog();

    expect(await lakeCmd('catalog')).toBe(1);
    for (const file of planted) expect(out.join('\n')).toContain(`refused: ${file} is in the folder of`);
    const after = catalog();
    for (const name of ['n_stays', 'raw_evergreen_adt', 'evergreen_admissions'])
      expect(after.tables.find((t) => t.name === name)!.files).toEqual(
        before.tables.find((t) => t.name === name)!.files,
      );

    expect(await lakeCmd('verify')).toBe(1);
    for (const file of planted)
      expect(out.join('\n')).toMatch(
        new RegExp(`${file}: file is in the table's folder but not in the catalog`),
      );
  });

  it('ingest still records the raw files it keeps', async () => {
    await lakeCmd('ingest', inbox('evergreen_adt-b.csv', [HEADER, adt('A2', 'P2', '10')].join('\n')));
    expect(table('raw_evergreen_adt')?.files).toHaveLength(2);
    expect(await lakeCmd('verify')).toBe(0);
  });

  it('lineage records the SHA-256 of the SQL file, and verify fails when the file changed without a rebuild', async () => {
    const file = writeMetric(
      'n_stays',
      'evergreen_admissions',
      'SELECT count(*) AS n_admissions FROM evergreen_admissions',
    );
    expect(await metrics()).toBe(0);
    expect(table('n_stays')?.lineage?.definitionSha256).toBe(sha256OfFile(file));
    expect(await lakeCmd('verify')).toBe(0);

    writeFileSync(file, readFileSync(file, 'utf8').replace('count(*)', 'count(*) + 1'));
    expect(await lakeCmd('verify')).toBe(1);
    const definition = table('n_stays')!.lineage!.definition!;
    expect(out.join('\n')).toContain(`n_stays ${definition}: ${definition} changed since n_stays was built`);
    expect(out.join('\n')).toMatch(/rebuild the metric views \(npm run lake -- metrics/);

    expect(await metrics('--if-changed')).toBe(0);
    expect(await lakeCmd('verify')).toBe(0);
    const asOf = table('n_stays')!.asOf!;
    await expect(lakeCmd('metrics', '--metrics-dir', metricsDir(), '--as-of', asOf)).rejects.toThrow(
      /already has a snapshot as of .*never rewritten: rebuild with a later --as-of/,
    );

    // Same values, new header text: no snapshot, but the catalog takes the new checksum and description.
    writeFileSync(file, readFileSync(file, 'utf8').replace('A test view.', 'Stays, plus one.'));
    expect(await metrics('--if-changed')).toBe(0);
    expect(out).toEqual(['n_stays: 1 rows, unchanged, no snapshot']);
    expect(table('n_stays')?.description).toBe('Stays, plus one.');
    expect(await lakeCmd('verify')).toBe(0);
  });

  it('a metric reads its upstream tables only: another table by file or by name fails the build and says why', async () => {
    const audit = path.join(lake, table('evergreen_audit_events')!.files[0]!.path);
    writeMetric(
      'peek',
      'evergreen_admissions',
      `SELECT count(*) AS n FROM evergreen_admissions, read_parquet(${sqlString(audit)})`,
    );
    await expect(metrics()).rejects.toThrow(
      /peek\.sql: the definition reaches outside its upstream tables \(.*\)\. A metric may read only the tables named in its "-- upstream:" header \(evergreen_admissions\)/,
    );
    writeMetric('peek', 'evergreen_admissions', 'SELECT count(*) AS n FROM evergreen_audit_events');
    await expect(metrics()).rejects.toThrow(
      /peek\.sql: .*evergreen_audit_events does not exist.*only the tables named in its "-- upstream:" header \(evergreen_admissions\)/,
    );
    writeMetric(
      'peek',
      'evergreen_admissions',
      `SELECT count(*) AS n FROM read_csv(${sqlString(path.join(work, 'inbox/evergreen_adt-a.csv'))})`,
    );
    await expect(metrics()).rejects.toThrow(/reaches outside its upstream tables/);
    expect(table('peek')).toBeUndefined();

    writeMetric(
      'peek',
      'evergreen_admissions, evergreen_audit_events',
      `SELECT count(*) AS n FROM evergreen_admissions, evergreen_audit_events`,
    );
    expect(await metrics()).toBe(0);
    expect(table('peek')?.lineage?.upstream).toEqual(['evergreen_admissions', 'evergreen_audit_events']);
  });
});
