import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as parquetWasm from 'parquet-wasm/node';
import { tableFromIPC } from 'apache-arrow';
import { serveFolder, writeParquet, type ServedFolder } from '../../testing/lake-fixture';
import { parquetWasmDecoder } from './parquet-decoder';

const ROWS = `SELECT i::INTEGER AS id, 'name ' || i AS name, i % 7 = 0 AS flag FROM range(9000) t(i)`;

let dir: string;
let lake: ServedFolder;
let url: string;
let bytes: number;
let rowGroups: number[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakebook-parquet-decoder-'));
  await writeParquet(path.join(dir, 'rows.parquet'), ROWS, 2048);
  lake = await serveFolder(dir);
  url = `${lake.url}rows.parquet`;
  bytes = fs.statSync(path.join(dir, 'rows.parquet')).size;
  const source = await parquetWasmDecoder(parquetWasm, { wholeFileBelow: 0 }).open(url, bytes);
  rowGroups = source.rowGroups ?? [];
  source.close();
});

afterAll(async () => {
  await lake?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ids = (ipc: Uint8Array) => tableFromIPC(ipc).getChild('id')?.toArray() as Int32Array;

describe('the Parquet decoder', () => {
  it('reads a chunk as one record batch per row group at most, with the rows the default batches hold', async () => {
    expect(rowGroups.length).toBeGreaterThan(2);
    const paths = {
      'by ranges': parquetWasmDecoder(parquetWasm, { wholeFileBelow: 0 }),
      'whole file': parquetWasmDecoder(parquetWasm),
    };
    for (const [name, decoder] of Object.entries(paths)) {
      const source = await decoder.open(url, bytes, rowGroups);
      const chunk = await source.read([1, 2], ['id', 'flag']);
      const table = tableFromIPC(chunk);
      expect(table.batches.length, name).toBeLessThanOrEqual(2);
      expect(table.numRows, name).toBe(rowGroups[1] + rowGroups[2]);
      const first = rowGroups[0];
      expect([...ids(chunk)], name).toEqual(Array.from({ length: table.numRows }, (_, i) => first + i));
      source.close();
    }
  });

  it('keeps the default batches when the row groups are not known', async () => {
    const source = await parquetWasmDecoder(parquetWasm).open(url, bytes);
    const table = tableFromIPC(await source.read(undefined, ['id']));
    expect(table.numRows).toBe(9000);
    expect(table.batches.length).toBeGreaterThan(1);
    source.close();
  });
});
