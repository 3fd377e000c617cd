import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as parquetWasm from 'parquet-wasm/node';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import type { RoleView, TableAccess } from '../../gov/types';
import type { Manifest } from '../../lake/manifest';
import { createNodeBindings } from './core/node-bindings';
import { DuckSession } from './core/duck-session';
import { parquetWasmDecoder } from './loader/parquet-decoder';
import { RoleEngine } from './role-engine';
import {
  manifestOf,
  serveFolder,
  tableEntry,
  writeParquet,
  type ServedFolder,
} from '../testing/lake-fixture';
import { rowsText } from '../testing/rows-text';

/**
 * PIVOT without an IN list: the engine lists the distinct values under the role's view (tables loaded on
 * demand, row filters applied), writes them in, and answers like native DuckDB's own PIVOT over those rows.
 */

const EVENTS = `SELECT i::INTEGER AS id, ['ICU', 'MED', 'SURG'][1 + i % 3] AS ward, 2020 + i % 2 AS year,
  (i % 10)::DOUBLE AS amount FROM range(60) t(i)`;

let dir: string;
let lake: ServedFolder;
let manifest: Manifest;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakebook-pivot-'));
  const file = path.join(dir, 'events', 'part-000.parquet');
  await writeParquet(file, EVENTS);
  const columns: [string, string][] = [
    ['id', 'INTEGER'],
    ['ward', 'VARCHAR'],
    ['year', 'INTEGER'],
    ['amount', 'DOUBLE'],
  ];
  manifest = manifestOf([
    tableEntry('events', columns, [
      { path: 'events/part-000.parquet', rows: 60, bytes: fs.statSync(file).size },
    ]),
  ]);
  lake = await serveFolder(dir);
});

afterAll(async () => {
  await lake?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const plain = (name: string, type: string) => ({ name, type, tags: [], expr: `"${name}"` });

async function engineFor(rowFilter?: string) {
  const access: TableAccess = {
    table: 'events',
    tags: [],
    columns: [
      plain('id', 'INTEGER'),
      plain('ward', 'VARCHAR'),
      plain('year', 'INTEGER'),
      plain('amount', 'DOUBLE'),
    ],
    rules: [],
    ...(rowFilter ? { rowFilter } : {}),
  };
  const view: RoleView = {
    session: { user: 'ana', role: 'DataAnalyst', attributes: {} },
    tables: [access],
    can: { changeTags: false, readAudit: false, exportPhi: false },
  };
  let staging: Promise<DuckSession> | undefined;
  const decoder = parquetWasmDecoder(parquetWasm, { wholeFileBelow: Infinity });
  const engine = new RoleEngine(await createNodeBindings(), view, manifest, lake.url, decoder, () => {
    staging ??= createNodeBindings().then((b) => new DuckSession(b));
    return staging;
  });
  return (sql: string) => engine.query(sql, [], { report: () => undefined, shouldStop: () => undefined });
}

/** Native DuckDB's own PIVOT (which lists the values itself) over the rows the role sees. */
async function native(sql: string, where = 'true'): Promise<{ columns: string[]; rows: string }> {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(`CREATE TABLE events AS SELECT * FROM (${EVENTS}) WHERE ${where}`);
  const reader = await con.runAndReadAll(sql);
  const out = { columns: reader.columnNames(), rows: rowsText(reader.getRows()) };
  con.closeSync();
  db.closeSync();
  return out;
}

function answer(result: Awaited<ReturnType<Awaited<ReturnType<typeof engineFor>>>>) {
  const table = tableFromIPC(result.ipc);
  const columns = table.schema.fields.map((f) => f.name);
  return {
    columns,
    rows: rowsText(table.toArray().map((r: Record<string, unknown>) => columns.map((c) => r[c]))),
  };
}

describe('PIVOT without an IN list', () => {
  it('lists the values itself and answers as DuckDB does', async () => {
    const run = await engineFor();
    const sql = 'PIVOT events ON ward USING sum(amount) GROUP BY year ORDER BY year';
    expect(answer(await run(sql))).toEqual(await native(sql));
    const two = 'PIVOT events ON ward, year USING count(*) ORDER BY id';
    expect(answer(await run(two))).toEqual(await native(two));
    const nested = 'SELECT * FROM (PIVOT events ON year USING max(amount) GROUP BY ward) ORDER BY ward';
    expect(answer(await run(nested))).toEqual(await native(nested));
  });

  it('lists only the values the role may see', async () => {
    const run = await engineFor(`"ward" <> 'ICU'`);
    const sql = 'PIVOT events ON ward USING count(*) GROUP BY year ORDER BY year';
    const result = answer(await run(sql));
    expect(result.columns).toEqual(['year', 'MED', 'SURG']);
    expect(result).toEqual(await native(sql, "ward <> 'ICU'"));
  });
});
