/**
 * The Parquet reference files (apache/parquet-testing) through the engine's own loader: parquet-wasm's Node
 * build decodes (the same decoder code as the browser worker), DuckDB-WASM receives. Every file that native
 * DuckDB reads must either load with the same rows and values, or be refused with a LOAD error that names
 * the file; nothing may load differently. Broken files (bad_data) are refused by name, and the engine keeps
 * working after each of them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as parquetWasm from 'parquet-wasm/node';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DuckSession } from '../../src/engine/worker/core/duck-session';
import { createNodeBindings } from '../../src/engine/worker/core/node-bindings';
import { EngineFailure } from '../../src/engine/errors';
import { parquetWasmDecoder } from '../../src/engine/worker/loader/parquet-decoder';
import { TableLoader } from '../../src/engine/worker/loader/table-loader';
import {
  describeParquet,
  manifestOf,
  serveFolder,
  tableEntry,
  type ServedFolder,
} from '../../src/engine/testing/lake-fixture';
import { checkedTypeName, quoteIdent } from '../../src/gov/sql-text';
import type { RoleView, TableAccess } from '../../src/gov/types';
import type { TableEntry } from '../../src/lake/manifest';

const FIXTURES = path.resolve('tests/fixtures');
const DATA = 'parquet-testing/data';
const BAD = 'parquet/bad_data';

/**
 * Files native DuckDB reads that the browser engine refuses, and why. Pinned so that a new refusal (or a
 * file that starts to load) is noticed.
 */
const REFUSED: Record<string, RegExp> = {
  // arrow-rs (inside parquet-wasm) rejects what DuckDB's own reader tolerates.
  'dict-page-offset-zero.parquet': /Expected list element type/,
  'nation.dict-malformed.parquet': /Invalid page header/,
  // A string column chunk of more than 2 GB once decompressed: beyond the decoder's 32-bit memory.
  'large_string_map.brotli.parquet': /decoder failed/,
  // Nested lists without a LIST annotation: the decoder returns no rows at all.
  'repeated_no_annotation.parquet': /decoded to 0 rows but the catalog lists 6/,
};
/**
 * Loads, but differs from native DuckDB: parquet-wasm reads Spark's INT96 timestamps as nanoseconds, so dates
 * outside 1677-2262 wrap around. The lake's own files are written by DuckDB and never use INT96.
 */
const DIFFERENT: Record<string, string> = { 'int96_from_spark.parquet': 'INT96 beyond the nanosecond range' };
/** Native DuckDB reads this one in full, but takes over a minute (2 GB of strings): only its rows are counted. */
const NATIVE_ROWS_ONLY = new Set(['large_string_map.brotli.parquet']);
/** GEOMETRY columns need DuckDB's spatial extension, which the browser engine does not have. */
const NO_STUB = /^geospatial\/(?!crs-arbitrary-value)/;

interface Case {
  file: string;
  table: string;
  entry: TableEntry;
  access: TableAccess;
  /** Columns whose values are compared (nested columns are declared as text and only counted). */
  scalar: string[];
  /** The profile native DuckDB computes over the file; absent when native DuckDB cannot read it in full. */
  expected?: string[];
}

let lake: ServedFolder;
let native: DuckDBConnection;
let user: DuckSession;
let loader: TableLoader;
let stubProblems: string[];
const cases: Case[] = [];

const list = (dir: string) =>
  fs
    .readdirSync(path.join(FIXTURES, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.parquet'))
    .sort();

async function nativeRows(sql: string): Promise<string[]> {
  const reader = await native.runAndReadAll(sql);
  return reader.getRows().map((r) => r.map((v) => (v === null ? 'NULL' : String(v))).join(' | '));
}

function userRows(sql: string): string[] {
  const table = user.query(sql);
  return table.toArray().map((row: Record<string, unknown>) =>
    Object.values(row)
      .map((v) => (v === null ? 'NULL' : String(v)))
      .join(' | '),
  );
}

/** Rows, non-null counts and, for plain columns, distinct counts and extremes, as text. */
function profileSql(from: string, access: TableAccess, scalar: string[]): string {
  const parts = ['count(*)::VARCHAR'];
  for (const { name } of access.columns) {
    const col = quoteIdent(name);
    parts.push(`count(${col})::VARCHAR`);
    if (scalar.includes(name))
      parts.push(`count(DISTINCT ${col})::VARCHAR`, `min(${col})::VARCHAR`, `max(${col})::VARCHAR`);
  }
  return `SELECT ${parts.join(', ')} FROM ${from}`;
}

async function addCase(dir: string, file: string): Promise<void> {
  const full = path.join(FIXTURES, dir, file);
  const quoted = `'${full.replaceAll("'", "''")}'`;
  const described = await describeParquet(full);
  const scalar: string[] = [];
  const declared = described.columns.length > 0 ? described.columns : [['x', 'INTEGER'] as [string, string]];
  const columns = declared.map(([name, type]): [string, string] => {
    try {
      checkedTypeName(type);
      if (!/\[\]$/.test(type)) scalar.push(name);
      return [name, type];
    } catch {
      return [name, 'VARCHAR'];
    }
  });
  const table = `t${cases.length}`;
  const access: TableAccess = {
    table,
    tags: ['PUBLIC'],
    columns: columns.map(([name, type]) => ({ name, type, tags: [], expr: quoteIdent(name) })),
    rules: [],
  };
  let expected: string[] | undefined;
  try {
    // Reading every column in full: some files have a readable footer but pages DuckDB cannot decode.
    expected = await nativeRows(
      NATIVE_ROWS_ONLY.has(file) ? `SELECT count(*) FROM ${quoted}` : profileSql(quoted, access, scalar),
    );
  } catch {
    expected = undefined;
  }
  const rows = expected
    ? Number(expected[0]!.split(' | ')[0])
    : described.rowGroups.reduce((a, b) => a + b, 0);
  const entry = tableEntry(table, columns, [
    { path: `${dir}/${file}`, rows, bytes: fs.statSync(full).size, rowGroups: described.rowGroups },
  ]);
  cases.push({ file: `${dir}/${file}`, table, entry, access, scalar, expected });
}

beforeAll(async () => {
  lake = await serveFolder(FIXTURES);
  native = await (await DuckDBInstance.create(':memory:')).connect();
  for (const file of list(DATA)) await addCase(DATA, file);
  for (const file of list(BAD)) await addCase(BAD, file);
  const view: RoleView = {
    session: { user: 'reader', role: 'DataAnalyst', attributes: {} },
    tables: cases.map((c) => c.access),
    can: { changeTags: false, readAudit: false, exportPhi: false },
  };
  user = new DuckSession(await createNodeBindings());
  let staging: Promise<DuckSession> | undefined;
  loader = new TableLoader({
    lakeUrl: lake.url,
    manifest: manifestOf(cases.map((c) => c.entry)),
    view,
    user,
    decoder: parquetWasmDecoder(parquetWasm),
    staging: () => (staging ??= createNodeBindings().then((b) => new DuckSession(b))),
  });
  stubProblems = loader.createStubs();
  user.lockDown();
});

afterAll(async () => {
  native?.closeSync();
  await lake?.close();
});

type Outcome = { kind: 'loaded' } | { kind: 'refused'; message: string } | { kind: 'no-stub' };

async function load(c: Case): Promise<Outcome> {
  if (stubProblems.some((p) => p.startsWith(`Table ${c.table} `))) return { kind: 'no-stub' };
  try {
    await loader.ensureLoaded([c.table], () => {});
    return { kind: 'loaded' };
  } catch (e) {
    if (!(e instanceof EngineFailure)) throw e;
    expect(e.error.code).toBe('LOAD');
    return { kind: 'refused', message: e.error.message };
  }
}

describe('parquet-testing files through the engine loader', () => {
  it('loads what DuckDB reads with the same values, refuses the rest by name, and stays usable', async () => {
    const loaded: string[] = [];
    const refused: Record<string, string> = {};
    const noStub: string[] = [];
    const different: Record<string, string> = {};
    const beyondDuckDb: string[] = [];
    for (const c of cases) {
      const outcome = await load(c);
      if (outcome.kind === 'no-stub') {
        noStub.push(c.file);
        continue;
      }
      if (outcome.kind === 'refused') {
        expect(outcome.message, c.file).toContain(c.file);
        refused[c.file] = outcome.message;
        // Never partial: a refused table is empty.
        expect(userRows(`SELECT count(*) FROM ${quoteIdent(c.table)}`)).toEqual(['0']);
        continue;
      }
      if (!c.expected) {
        beyondDuckDb.push(c.file);
        continue;
      }
      const got = userRows(profileSql(quoteIdent(c.table), c.access, c.scalar));
      if (JSON.stringify(got) === JSON.stringify(c.expected)) loaded.push(c.file);
      else different[c.file] = `${got.join(' / ')} instead of ${c.expected.join(' / ')}`;
    }

    const inData = (file: string) => file.startsWith(`${DATA}/`);
    const short = (file: string) => file.slice(DATA.length + 1);
    const readable = cases.filter((c) => inData(c.file) && c.expected).map((c) => c.file);
    // Of what native DuckDB reads, refusals are the pinned ones, GEOMETRY columns have no type in the
    // browser engine, and everything else loads with the same profile, bar the pinned difference.
    const refusedReadable = readable.filter((f) => f in refused);
    expect(refusedReadable.map(short).sort()).toEqual(Object.keys(REFUSED).sort());
    for (const file of refusedReadable) expect(refused[file]).toMatch(REFUSED[short(file)]!);
    expect(Object.keys(different).map(short)).toEqual(Object.keys(DIFFERENT));
    const readableNoStub = readable.filter((f) => noStub.includes(f));
    expect(readableNoStub.every((f) => NO_STUB.test(short(f)))).toBe(true);
    expect(
      loaded.filter(inData).length +
        refusedReadable.length +
        readableNoStub.length +
        Object.keys(different).length,
    ).toBe(readable.length);

    // Every broken file is refused by name, except the one arrow-rs decodes exactly as DuckDB does.
    const bad = cases.filter((c) => c.file.startsWith(`${BAD}/`)).map((c) => c.file);
    expect(bad.filter((f) => !(f in refused))).toEqual([`${BAD}/ARROW-GH-43605.parquet`]);
    expect(loaded).toContain(`${BAD}/ARROW-GH-43605.parquet`);

    // After all of that the engine still loads and answers.
    const first = cases.find((c) => c.file === `${DATA}/alltypes_plain.parquet`)!;
    expect(userRows(`SELECT count(*) FROM ${quoteIdent(first.table)}`)).toEqual(['8']);
    expect(userRows('SELECT 40 + 2')).toEqual(['42']);

    console.info(
      `parquet-testing data/: ${list(DATA).length} files; native DuckDB reads ${readable.length} in full, of which ` +
        `${loaded.filter(inData).length} load with the same values, ${Object.keys(different).length} loads ` +
        `with a pinned difference, ${refusedReadable.length} are refused by name and ${readableNoStub.length} ` +
        `have GEOMETRY columns; ${beyondDuckDb.filter(inData).length} more load that native DuckDB cannot read`,
    );
  });
});
