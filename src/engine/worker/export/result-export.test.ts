import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as parquetWasm from 'parquet-wasm/node';
import { DuckDBInstance } from '@duckdb/node-api';
import { createNodeBindings } from '../core/node-bindings';
import { EngineHost } from '../engine-host';
import { parquetWasmDecoder } from '../loader/parquet-decoder';
import type { EngineError, ExportedFile } from '../../../contract/results';
import type { Request, WorkerMessage } from '../../protocol';
import { serveFolder, type ServedFolder } from '../../testing/lake-fixture';
import { parquetWriter } from './parquet-writer';
import { ResultExporter } from './result-export';

const LAKE = path.resolve('public/sample-lake');
let lake: ServedFolder;
let scratch: string;

beforeAll(async () => {
  lake = await serveFolder(LAKE);
  scratch = mkdtempSync(path.join(tmpdir(), 'lakebook-export-'));
});
afterAll(() => {
  lake?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** An engine host with the exporter in front of it, wired as the worker wires them. */
function startWorker() {
  const waiters = new Map<number, (m: WorkerMessage) => void>();
  const exporter: ResultExporter = new ResultExporter({
    writer: async () => parquetWriter(parquetWasm),
    forward: (envelope) => host.handle(envelope),
    post: (m) => ('progress' in m ? undefined : waiters.get(m.id)?.(m)),
  });
  const host = new EngineHost({
    createBindings: createNodeBindings,
    decoder: async () => parquetWasmDecoder(parquetWasm),
    fetchJson: async (url) => (await fetch(url)).json(),
    post: (m, transfer) => exporter.post(m, transfer),
  });
  let next = 0;
  const send = (request: Request) => {
    const id = ++next;
    const reply = new Promise<WorkerMessage>((resolve) => waiters.set(id, resolve));
    exporter.handle({ id, request });
    return reply;
  };
  return {
    async value<T>(request: Request): Promise<T> {
      const m = await send(request);
      if (!('ok' in m) || !m.ok) throw new Error(JSON.stringify(m));
      return m.value as T;
    },
    async error(request: Request): Promise<EngineError> {
      const m = await send(request);
      if ('ok' in m && !m.ok) return m.error;
      throw new Error(`expected a failure, got ${JSON.stringify(m).slice(0, 200)}`);
    },
  };
}

const exportOf = (sql: string): Request => ({ kind: 'export', format: 'parquet', sql, cells: [] });
const session = (role: string) => ({ user: role.toLowerCase(), role, attributes: {} });

async function readBack(file: ExportedFile, sql: string): Promise<unknown[]> {
  const where = path.join(scratch, `${Math.random().toString(36).slice(2)}.parquet`);
  writeFileSync(where, file.bytes);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    const rows = (await con.runAndReadAll(sql.replace('{file}', `'${where}'`))).getRows()[0]!;
    return rows.map((v) => (typeof v === 'bigint' ? Number(v) : v));
  } finally {
    con.closeSync();
  }
}

describe('result export in the worker', () => {
  it('writes a result as Parquet that native DuckDB reads back', async () => {
    const w = startWorker();
    await w.value({ kind: 'init', lakeUrl: lake.url, session: session('DataAnalyst') });
    const file = await w.value<ExportedFile>(
      exportOf("SELECT range AS i, 'r' || range AS label FROM range(5000)"),
    );
    expect(file.rowCount).toBe(5000);
    expect(file.truncated).toBe(false);
    expect(await readBack(file, 'SELECT count(*), sum(i), max(label) FROM {file}')).toEqual([
      5000,
      (4999 * 5000) / 2,
      'r999',
    ]);
  });

  it('refuses a PHI result to a role without exportPhi and gives it to one with it', async () => {
    const w = startWorker();
    await w.value({ kind: 'init', lakeUrl: lake.url, session: session('DataAnalyst') });
    const refused = await w.error(exportOf('SELECT admission_type FROM admissions'));
    expect(refused.code).toBe('DENIED');
    expect(refused.message).toContain('PHI');
    expect(refused.message).toContain('DataAnalyst');

    await w.value({ kind: 'setSession', session: session('Admin') });
    const file = await w.value<ExportedFile>(exportOf('SELECT admission_type FROM admissions'));
    expect(file.tags).toContain('PHI');
    const native = await DuckDBInstance.create(':memory:');
    const con = await native.connect();
    const admissions = path.join(LAKE, 'phi/curated/admissions/part-000.parquet');
    const expected = Number(
      (await con.runAndReadAll(`SELECT count(*) FROM '${admissions}'`)).getRows()[0]![0],
    );
    con.closeSync();
    expect(await readBack(file, 'SELECT count(*) FROM {file}')).toEqual([expected]);
  });

  it('passes the guard and its refusals through unchanged', async () => {
    const w = startWorker();
    await w.value({ kind: 'init', lakeUrl: lake.url, session: session('Public') });
    const denied = await w.error(exportOf('SELECT * FROM admissions'));
    expect(denied.code).not.toBe('INTERNAL');
    const files = await w.error(exportOf("SELECT * FROM read_csv('/etc/passwd')"));
    expect(files.code).toBe('DENIED');
  });
});
