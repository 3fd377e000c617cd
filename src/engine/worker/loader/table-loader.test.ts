import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as parquetWasm from 'parquet-wasm/node';
import { DuckDBInstance } from '@duckdb/node-api';
import type { RoleView, TableAccess } from '../../../gov/types';
import type { Manifest, TableEntry } from '../../../lake/manifest';
import { createNodeBindings } from '../core/node-bindings';
import { DuckSession } from '../core/duck-session';
import { EngineFailure } from '../../errors';
import type { LoadProgress } from '../../../contract/results';
import {
  describeParquet,
  manifestOf,
  serveFolder,
  tableEntry,
  writeParquet,
  type ServedFolder,
} from '../../testing/lake-fixture';
import { parquetWasmDecoder, type ParquetDecoder } from './parquet-decoder';
import { TableLoader } from './table-loader';

const PEOPLE = `SELECT i::INTEGER AS id, 'name ' || i AS name, printf('%03d-%02d-%04d', i % 1000, i % 100, i) AS ssn,
  ['ICU', 'MED', 'SURG'][1 + i % 3] AS ward, DATE '1950-01-01' + (i * 7 % 20000)::INTEGER AS dob
  FROM range(5000) t(i)`;
const STAYS = `SELECT (i * 7 % 5000)::INTEGER AS person_id, ['ICU', 'MED', 'SURG', 'ER'][1 + i % 4] AS ward FROM range(3000) t(i)`;
const BAD_DIR = path.resolve('tests/fixtures/parquet/bad_data');

let dir: string;
let lake: ServedFolder;
let manifest: Manifest;

/** Ground truth from native DuckDB over the very same files. */
async function native(sql: string): Promise<number> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const value = (await con.runAndReadAll(sql)).getRows()[0][0];
  con.closeSync();
  return Number(value);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakebook-loader-'));
  await writeParquet(path.join(dir, 'phi/curated/people/part-000.parquet'), PEOPLE);
  await writeParquet(path.join(dir, 'phi/curated/stays/part-000.parquet'), STAYS);
  fs.cpSync(BAD_DIR, path.join(dir, 'bad'), { recursive: true });
  const file = async (p: string, rows: number) => ({
    path: p,
    rows,
    bytes: fs.statSync(path.join(dir, p)).size,
    rowGroups: (await describeParquet(path.join(dir, p))).rowGroups,
  });
  const badTables: TableEntry[] = [];
  for (const f of fs.readdirSync(BAD_DIR).filter((n) => n.endsWith('.parquet'))) {
    const described = await describeParquet(path.join(BAD_DIR, f));
    const columns = described.columns.length > 0 ? described.columns : [['x', 'INTEGER'] as [string, string]];
    badTables.push(
      tableEntry(badName(f), columns, [
        // The loader checks the decoded rows against the catalog: list what native DuckDB counts.
        {
          ...(await file(`bad/${f}`, described.rowGroups.reduce((a, b) => a + b, 0) || 1)),
          rowGroups: undefined,
        },
      ]),
    );
  }
  manifest = manifestOf([
    tableEntry(
      'people',
      [
        ['id', 'INTEGER'],
        ['name', 'VARCHAR'],
        ['ssn', 'VARCHAR'],
        ['ward', 'VARCHAR'],
        ['dob', 'DATE'],
      ],
      [await file('phi/curated/people/part-000.parquet', 5000)],
    ),
    tableEntry(
      'stays',
      [
        ['person_id', 'INTEGER'],
        ['ward', 'VARCHAR'],
      ],
      [await file('phi/curated/stays/part-000.parquet', 3000)],
    ),
    tableEntry(
      'missing',
      [['x', 'INTEGER']],
      [{ path: 'phi/curated/missing/part-000.parquet', rows: 1, bytes: 10 }],
    ),
    ...badTables,
  ]);
  lake = await serveFolder(dir);
});

afterAll(async () => {
  await lake?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function badName(file: string): string {
  return `bad_${file
    .replace(/\.parquet$/, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase()}`;
}

const plain = (name: string, type: string) => ({ name, type, tags: [], expr: `"${name}"` });

/** The people table as a role sees it: these columns, no row filter. */
function peopleTable(columns: TableAccess['columns']): TableAccess {
  return { table: 'people', tags: ['PHI'], columns, rules: [] };
}

function viewOf(tables: TableAccess[]): RoleView {
  return {
    session: { user: 'ana', role: 'DataAnalyst', attributes: {} },
    tables,
    can: { changeTags: false, readAudit: false, exportPhi: false },
  };
}

async function setup(view: RoleView, decoder: ParquetDecoder = parquetWasmDecoder(parquetWasm)) {
  const user = new DuckSession(await createNodeBindings());
  let stagingStarts = 0;
  let staging: Promise<DuckSession> | undefined;
  const loader = new TableLoader({
    lakeUrl: lake.url,
    manifest,
    view,
    user,
    decoder,
    chunkRows: 2000,
    staging: () => {
      stagingStarts += 1;
      staging ??= createNodeBindings().then((b) => new DuckSession(b));
      return staging;
    },
  });
  loader.createStubs();
  const progress: LoadProgress[] = [];
  return {
    user,
    loader,
    progress,
    report: (p: LoadProgress) => progress.push(p),
    stagingStarts: () => stagingStarts,
  };
}

const count = (s: DuckSession, sql: string) => Number(s.query(sql).getChildAt(0)?.get(0));

/** A stop request that answers "cancelled" once the load has reported its first chunk. */
function stopAfterFirstChunk(progress: LoadProgress[]): () => EngineFailure | undefined {
  return () =>
    progress.some((p) => p.done > 0)
      ? new EngineFailure({ code: 'CANCELLED', message: 'stopped' })
      : undefined;
}

async function failureOf(promise: Promise<unknown>): Promise<EngineFailure> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof EngineFailure) return e;
    throw e;
  }
  throw new Error('expected the load to fail');
}

describe('TableLoader', () => {
  it('creates typed stubs first and loads a plain table straight into the user instance', async () => {
    const people = peopleTable([plain('id', 'INTEGER'), plain('ward', 'VARCHAR'), plain('dob', 'DATE')]);
    const { user, loader, progress, report, stagingStarts } = await setup(viewOf([people]));
    expect(count(user, 'SELECT count(*) FROM people')).toBe(0);
    expect(user.query('DESCRIBE people').getChild('column_type')?.toArray()).toEqual([
      'INTEGER',
      'VARCHAR',
      'DATE',
    ]);

    await loader.ensureLoaded(['people'], report);
    expect(loader.isLoaded('people')).toBe(true);
    expect(count(user, 'SELECT count(*) FROM people')).toBe(5000);
    const file = `'${dir}/phi/curated/people/part-000.parquet'`;
    expect(count(user, `SELECT sum(id) FROM people WHERE ward = 'ICU'`)).toBe(
      await native(`SELECT sum(id) FROM ${file} WHERE ward = 'ICU'`),
    );
    expect(stagingStarts()).toBe(0);
    expect(progress.at(-1)).toMatchObject({ phase: 'table', name: 'people', done: 5000, total: 5000 });
    expect(progress.length).toBeGreaterThan(2);
  });

  it('applies masks and row filters in the trusted instance: unmasked values never reach the user instance', async () => {
    const people: TableAccess = {
      table: 'people',
      tags: ['PHI'],
      columns: [
        plain('id', 'INTEGER'),
        {
          name: 'ssn',
          type: 'VARCHAR',
          tags: ['PII'],
          mask: 'partial',
          expr: `repeat('*', length("ssn") - 4) || right("ssn", 4)`,
        },
        { name: 'dob', type: 'INTEGER', tags: ['PHI'], mask: 'year', expr: 'CAST(year("dob") AS INTEGER)' },
      ],
      rowFilter: `"id" IN (SELECT "person_id" FROM "stays" WHERE "ward" = 'ICU')`,
      filterSources: ['stays'],
      rules: ['row filter on people (Clinician row filter #1)'],
    };
    const { user, loader, report } = await setup(viewOf([people]));
    await loader.ensureLoaded(['people'], report);

    const f = (t: string) => `'${dir}/phi/curated/${t}/part-000.parquet'`;
    const expected = await native(
      `SELECT count(*) FROM ${f('people')} WHERE id IN (SELECT person_id FROM ${f('stays')} WHERE ward = 'ICU')`,
    );
    expect(expected).toBeGreaterThan(0);
    expect(count(user, 'SELECT count(*) FROM people')).toBe(expected);
    expect(count(user, "SELECT count(*) FROM people WHERE ssn LIKE '%-%'")).toBe(0);
    expect(count(user, 'SELECT min(dob) FROM people')).toBeGreaterThanOrEqual(1950);
    expect(user.query('DESCRIBE people').getChild('column_name')?.toArray()).toEqual(['id', 'ssn', 'dob']);
    // The filter's source table stays in the trusted instance.
    expect(() => user.query('SELECT * FROM stays')).toThrow(/stays/);
  });

  it('reads only the columns and row groups it needs over HTTP ranges for large files', async () => {
    const people = peopleTable([plain('id', 'INTEGER')]);
    const ranged = parquetWasmDecoder(parquetWasm, { wholeFileBelow: 0 });
    const { user, loader, report } = await setup(viewOf([people]), ranged);
    const before = lake.bytesServed();
    lake.requests.length = 0;
    await loader.ensureLoaded(['people'], report);
    expect(count(user, 'SELECT count(DISTINCT id) FROM people')).toBe(5000);
    const size = fs.statSync(path.join(dir, 'phi/curated/people/part-000.parquet')).size;
    expect(lake.bytesServed() - before).toBeLessThan(size / 2);
    expect(lake.requests.every((r) => r.includes('bytes='))).toBe(true);
  });

  it('asks for the next two chunks while it inserts one', async () => {
    const people = peopleTable([plain('id', 'INTEGER')]);
    const inner = parquetWasmDecoder(parquetWasm);
    const events: string[] = [];
    const logging: ParquetDecoder = {
      async open(url, bytes, rowGroups) {
        const source = await inner.open(url, bytes, rowGroups);
        return {
          ...source,
          columnIndex: source.columnIndex,
          read: (g, c) => (events.push('read'), source.read(g, c)),
        };
      },
    };
    const { user, loader, report } = await setup(viewOf([people]), logging);
    const insert = user.insertIpc.bind(user);
    user.insertIpc = (table, ipc, create) => (events.push('insert'), insert(table, ipc, create));
    await loader.ensureLoaded(['people'], report);
    const reads = events.filter((e) => e === 'read').length;
    expect(reads).toBeGreaterThanOrEqual(3);
    // Before the k-th insert (from 0), chunks 0 to k + 2 have been asked for, as far as there are any.
    events.forEach((e, i) => {
      if (e !== 'insert') return;
      const k = events.slice(0, i).filter((x) => x === 'insert').length;
      expect(events.slice(0, i).filter((x) => x === 'read').length).toBe(Math.min(k + 3, reads));
    });
    expect(count(user, 'SELECT count(DISTINCT id) FROM people')).toBe(5000);
  });

  it('stops between chunks when asked and leaves the table empty, never partial', async () => {
    const people = peopleTable([plain('id', 'INTEGER')]);
    const { user, loader, progress, report } = await setup(viewOf([people]));
    const stop = stopAfterFirstChunk(progress);
    const failure = await failureOf(loader.ensureLoaded(['people'], report, stop));
    expect(failure.error.code).toBe('CANCELLED');
    expect(loader.isLoaded('people')).toBe(false);
    expect(count(user, 'SELECT count(*) FROM people')).toBe(0);
    await loader.ensureLoaded(['people'], report);
    expect(count(user, 'SELECT count(*) FROM people')).toBe(5000);
  });

  it('loads the columns asked for, the others NULL, and adds more later row by row', async () => {
    const people = peopleTable([plain('id', 'INTEGER'), plain('ward', 'VARCHAR'), plain('dob', 'DATE')]);
    const { user, loader, report } = await setup(viewOf([people]));
    await loader.ensureLoaded([{ table: 'people', columns: ['ward'] }], report);
    expect(count(user, 'SELECT count(*) FROM people WHERE id IS NULL AND ward IS NOT NULL')).toBe(5000);
    expect(loader.missing({ table: 'people', columns: ['id', 'ward'] })).toEqual(['id']);
    expect(loader.isLoaded('people')).toBe(false);

    await loader.ensureLoaded([{ table: 'people', columns: ['dob', 'id'] }], report);
    expect(loader.isLoaded('people')).toBe(true);
    expect(user.query('DESCRIBE people').getChild('column_type')?.toArray()).toEqual([
      'INTEGER',
      'VARCHAR',
      'DATE',
    ]);
    const file = `'${dir}/phi/curated/people/part-000.parquet'`;
    const check = `SELECT sum(id * (dob - DATE '1950-01-01')) FILTER (WHERE ward = 'ICU')`;
    expect(count(user, `${check} FROM people`)).toBe(await native(`${check} FROM ${file}`));
  });

  it('adds columns through masks and a row filter to the same rows as a whole load', async () => {
    const people: TableAccess = {
      table: 'people',
      tags: ['PHI'],
      columns: [
        plain('id', 'INTEGER'),
        { name: 'ssn', type: 'VARCHAR', tags: ['PII'], mask: 'partial', expr: `right("ssn", 4)` },
        { name: 'dob', type: 'INTEGER', tags: ['PHI'], mask: 'year', expr: 'CAST(year("dob") AS INTEGER)' },
      ],
      rowFilter: `"ward" <> 'SURG'`,
      rules: [],
    };
    const digest = 'SELECT count(*) * 1000003 + sum(hash(id, ssn, dob) % 1000003) FROM people';
    const whole = await setup(viewOf([people]));
    await whole.loader.ensureLoaded(['people'], whole.report);
    const parts = await setup(viewOf([people]));
    await parts.loader.ensureLoaded([{ table: 'people', columns: ['ssn'] }], parts.report);
    expect(count(parts.user, 'SELECT count(*) FROM people WHERE id IS NULL')).toBe(
      count(whole.user, 'SELECT count(*) FROM people'),
    );
    await parts.loader.ensureLoaded([{ table: 'people', columns: ['id', 'dob'] }], parts.report);
    expect(count(parts.user, digest)).toBe(count(whole.user, digest));
  });

  it('leaves a loaded table as it was when adding columns stops', async () => {
    const people = peopleTable([plain('id', 'INTEGER'), plain('ward', 'VARCHAR')]);
    const { user, loader, progress, report } = await setup(viewOf([people]));
    await loader.ensureLoaded([{ table: 'people', columns: ['ward'] }], report);
    progress.length = 0;
    const stop = stopAfterFirstChunk(progress);
    const failure = await failureOf(loader.ensureLoaded(['people'], report, stop));
    expect(failure.error.code).toBe('CANCELLED');
    expect(loader.missing({ table: 'people', columns: 'all' })).toEqual(['id']);
    expect(count(user, 'SELECT count(*) FROM people WHERE ward IS NOT NULL AND id IS NULL')).toBe(5000);
    await loader.ensureLoaded(['people'], report);
    expect(count(user, 'SELECT count(DISTINCT id) FROM people WHERE ward IS NOT NULL')).toBe(5000);
  });

  it('names the file of a missing or broken Parquet file and stays usable', async () => {
    const bad = manifest.tables.filter((t) => t.name.startsWith('bad_') || t.name === 'missing');
    const views = bad.map((t) => ({
      table: t.name,
      tags: ['PHI'],
      // Nested types cannot be declared in a stub; these files fail in the decoder anyway.
      columns: t.columns.map((c) => plain(c.name, /^[A-Z ]+$/.test(c.type) ? c.type : 'VARCHAR')),
      rules: [],
    }));
    const people = peopleTable([plain('id', 'INTEGER')]);
    const { user, loader, report } = await setup(viewOf([...views, people]));
    const outcomes: string[] = [];
    for (const t of bad) {
      try {
        await loader.ensureLoaded([t.name], report);
        outcomes.push(`${t.name}: loaded`);
      } catch (e) {
        expect(e).toBeInstanceOf(EngineFailure);
        const error = (e as EngineFailure).error;
        expect(error.code).toBe('LOAD');
        expect(error.message).toContain(t.files[0].path);
        outcomes.push(`${t.name}: ${error.message}`);
      }
    }
    expect(outcomes.find((o) => o.startsWith('missing'))).toMatch(/HTTP 404/);
    // Seven of the eight files are refused; arrow-rs decodes ARROW-GH-43605 (a zero bit-width RLE dictionary page).
    expect(outcomes.filter((o) => o.endsWith(': loaded'))).toEqual(['bad_arrow_gh_43605: loaded']);
    await loader.ensureLoaded(['people'], report);
    expect(count(user, 'SELECT count(*) FROM people')).toBe(5000);
  });
});
