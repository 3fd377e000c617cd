import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm/node';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseManifest } from '../../lake/manifest';
import { createNodeBindings } from './core/node-bindings';
import { EngineHost } from './engine-host';
import { parquetWasmDecoder } from './loader/parquet-decoder';
import type { QueryResult } from '../../contract/results';
import type { Request, WorkerMessage } from '../protocol';
import { serveFolder, type ServedFolder } from '../testing/lake-fixture';

const LAKE = path.resolve('public/sample-lake');
let lake: ServedFolder;

beforeAll(async () => {
  lake = await serveFolder(LAKE);
});
afterAll(() => lake?.close());

function startHost() {
  const waiters = new Map<number, (m: WorkerMessage) => void>();
  const host = new EngineHost({
    createBindings: createNodeBindings,
    decoder: async () => parquetWasmDecoder(parquetWasm),
    fetchJson: async (url) => (await fetch(url)).json(),
    post: (m) => ('progress' in m ? undefined : waiters.get(m.id)?.(m)),
  });
  let next = 0;
  return async <T>(request: Request): Promise<T> => {
    const id = ++next;
    const reply = new Promise<WorkerMessage>((resolve) => waiters.set(id, resolve));
    host.handle({ id, request });
    const m = await reply;
    if (!('ok' in m) || !m.ok) throw new Error(JSON.stringify(m));
    return m.value as T;
  };
}

const query = (sql: string): Request => ({ kind: 'query', sql, cells: [] });
const first = (r: QueryResult, column: string) => tableFromIPC(r.ipc).getChild(column)?.get(0);

/** Native DuckDB over the same gzip files, every field read as text: the ground truth. */
async function nativeValue(sql: string): Promise<unknown> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const value = (await con.runAndReadAll(sql)).getRows()[0][0];
  con.closeSync();
  return value;
}

function rawFiles(table: string): string {
  const entry = parseManifest(JSON.parse(fs.readFileSync(`${LAKE}/catalog.json`, 'utf8'))).tables.find(
    (t) => t.name === table,
  );
  if (!entry) throw new Error(`no ${table}`);
  return `[${entry.files.map((f) => `'${LAKE}/${f.path}'`).join(', ')}]`;
}

describe('raw-zone tables in the engine', () => {
  it('loads every raw table of the sample lake as text, through the role view', async () => {
    const ask = startHost();
    await ask({ kind: 'init', lakeUrl: lake.url, session: { user: 'ada', role: 'Admin', attributes: {} } });
    const manifest = parseManifest(await (await fetch(`${lake.url}catalog.json`)).json());
    const raw = manifest.tables.filter((t) => t.zone === 'raw');
    expect(raw.length).toBeGreaterThanOrEqual(4);
    for (const t of raw) {
      const counted = await ask<QueryResult>(query(`SELECT count(*) AS n FROM ${t.name}`));
      expect(Number(first(counted, 'n')), t.name).toBe(t.rowCount);
      const described = await ask<QueryResult>(query(`SELECT * FROM ${t.name} LIMIT 1`));
      expect(new Set(described.columns.map((c) => c.type)), t.name).toEqual(new Set(['VARCHAR']));
    }
    const los = await ask<QueryResult>(
      query('SELECT sum(CAST(los_hours AS DOUBLE)) AS s FROM raw_evergreen_adt'),
    );
    const expected = await nativeValue(
      `SELECT sum(CAST(los_hours AS DOUBLE)) FROM read_csv(${rawFiles('raw_evergreen_adt')}, all_varchar = true)`,
    );
    expect(Number(first(los, 's'))).toBeCloseTo(Number(expected), 3);
  });

  it('joins raw events with a curated table in one statement under a masked role', async () => {
    const ask = startHost();
    await ask({
      kind: 'init',
      lakeUrl: lake.url,
      session: { user: 'ana', role: 'DataAnalyst', attributes: {} },
    });
    const joined = await ask<QueryResult>(
      query(`SELECT count(*) AS n, count(DISTINCT a.ward) AS wards
             FROM raw_evergreen_discharge_forms f JOIN evergreen_admissions a USING (admission_id)
             WHERE f.fast_track = 'true'`),
    );
    const forms = `read_json(${rawFiles('raw_evergreen_discharge_forms')}, format = 'array',
      columns = {admission_id: 'VARCHAR', fast_track: 'VARCHAR'})`;
    const admissions = `'${LAKE}/phi/curated/evergreen_admissions/part-000.parquet'`;
    const expected = await nativeValue(
      `SELECT count(*) FROM ${forms} f JOIN ${admissions} a USING (admission_id) WHERE f.fast_track = 'true'`,
    );
    expect(Number(first(joined, 'n'))).toBe(Number(expected));
    expect(Number(first(joined, 'n'))).toBeGreaterThan(0);
    expect(joined.objects).toEqual(
      expect.arrayContaining(['raw_evergreen_discharge_forms', 'evergreen_admissions']),
    );

    // The key is hashed for this role, in the raw table as in the curated one.
    const key = await ask<QueryResult>(
      query('SELECT admission_id FROM raw_evergreen_discharge_forms LIMIT 1'),
    );
    expect(String(first(key, 'admission_id'))).not.toMatch(/^EVA\d+$/);
  });
});
