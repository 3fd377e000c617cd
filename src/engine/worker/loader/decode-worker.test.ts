import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as parquetWasm from 'parquet-wasm/node';
import { tableFromIPC } from 'apache-arrow';
import { serveFolder, writeParquet, type ServedFolder } from '../../testing/lake-fixture';
import { remoteDecoder } from './decode-worker-client';
import { serveDecoder } from './decode-worker-host';
import type { DecodePort } from './decode-worker-protocol';
import {
  ParquetReadError,
  parquetWasmDecoder,
  type ListedParquetSource,
  type ListingParquetDecoder,
  type ParquetDecoder,
} from './parquet-decoder';

const ROWS = `SELECT i::INTEGER AS id, 'name ' || i AS name, (i * 0.5)::DOUBLE AS score, i % 7 = 0 AS flag
  FROM range(5000) t(i)`;
const BAD_DIR = path.resolve('tests/fixtures/parquet/bad_data');

let dir: string;
let lake: ServedFolder;
const channels: MessageChannel[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakebook-decode-worker-'));
  await writeParquet(path.join(dir, 'rows.parquet'), ROWS);
  fs.cpSync(BAD_DIR, path.join(dir, 'bad'), { recursive: true });
  lake = await serveFolder(dir);
});

afterAll(async () => {
  for (const c of channels) c.port1.close();
  await lake?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every message the decode worker's side posts, with its transfer list. */
interface Posted {
  message: unknown;
  transfer: Transferable[];
}

/** The two sides of the decode worker over a real MessageChannel (structured cloning and transfer). */
function connect(decoder: ListingParquetDecoder): {
  remote: ReturnType<typeof remoteDecoder>;
  posted: Posted[];
} {
  const channel = new MessageChannel();
  channels.push(channel);
  const posted: Posted[] = [];
  const workerSide: DecodePort = {
    postMessage(message, transfer) {
      posted.push({ message, transfer });
      channel.port2.postMessage(message, transfer);
    },
    addEventListener: (type, listener) => channel.port2.addEventListener(type, listener),
  };
  serveDecoder(decoder, workerSide);
  const remote = remoteDecoder(channel.port1);
  channel.port1.start();
  channel.port2.start();
  return { remote, posted };
}

const inThread = (options = {}) => parquetWasmDecoder(parquetWasm, options);
const sizeOf = (rel: string) => fs.statSync(path.join(dir, rel)).size;

/** What reading a whole file gives: its rows' values, or the error a load would report. */
async function outcome(decoder: ParquetDecoder, rel: string, bytes = sizeOf(rel)): Promise<string> {
  try {
    const source = await decoder.open(lake.url + rel, bytes);
    try {
      const columns = ['id', 'name', 'score', 'flag', 'x'].filter((c) => source.columnIndex(c) >= 0);
      const table = tableFromIPC(await source.read(undefined, columns));
      return `${table.numRows} rows: ${JSON.stringify(table.toArray().slice(0, 3))}`;
    } finally {
      source.close();
    }
  } catch (e) {
    return `${e instanceof ParquetReadError ? 'ParquetReadError' : 'Error'}: ${(e as Error).message}`;
  }
}

describe('the decode worker', () => {
  it('reads chunks of row groups by column ranges exactly as the in-thread decoder does', async () => {
    const local = inThread({ wholeFileBelow: 0 });
    const { remote } = connect(inThread({ wholeFileBelow: 0 }));
    const [a, b] = await Promise.all([
      local.open(lake.url + 'rows.parquet', sizeOf('rows.parquet')),
      remote.open(lake.url + 'rows.parquet', sizeOf('rows.parquet')),
    ]);
    expect(b.rowGroups).toEqual(a.rowGroups);
    expect(a.rowGroups?.length).toBeGreaterThan(1);
    for (const name of ['id', 'name', 'score', 'flag', 'nope'])
      expect(b.columnIndex(name)).toBe(a.columnIndex(name));
    const chunks: [number[], string[]][] = [
      [[0], ['id', 'name', 'score', 'flag']],
      [
        [1, 2],
        ['flag', 'id'],
      ],
      [[2], ['score']],
    ];
    for (const [groups, columns] of chunks) {
      const mine = tableFromIPC(await a.read(groups, columns));
      const theirs = tableFromIPC(await b.read(groups, columns));
      expect(theirs.schema.fields.map((f) => f.name)).toEqual(mine.schema.fields.map((f) => f.name));
      expect(theirs.numRows).toBe(groups.reduce((n, g) => n + (a.rowGroups?.[g] ?? 0), 0));
      expect(theirs.toArray().map((r) => r.toJSON())).toEqual(mine.toArray().map((r) => r.toJSON()));
    }
    a.close();
    b.close();
  });

  it('moves each chunk to the engine by transfer, without a copy', async () => {
    const { remote, posted } = connect(inThread());
    const source = await remote.open(lake.url + 'rows.parquet', sizeOf('rows.parquet'));
    const ipc = await source.read(undefined, ['id']);
    const sent = posted
      .map((p) => p.message as { kind: string; ipc?: Uint8Array })
      .find((m) => m.kind === 'ipc');
    const transfer = posted.find((p) => p.message === sent)?.transfer;
    expect(transfer).toHaveLength(1);
    // A transferred buffer is detached on the sending side: nothing of it is left there.
    expect(sent?.ipc?.byteLength).toBe(0);
    expect(ipc.byteLength).toBe(ipc.buffer.byteLength);
    expect(tableFromIPC(ipc).numRows).toBe(5000);
    source.close();
  });

  it('reports every broken file with the same error class and text as the in-thread decoder', async () => {
    const files = fs.readdirSync(BAD_DIR).filter((n) => n.endsWith('.parquet'));
    const { remote } = connect(inThread());
    const refused: string[] = [];
    for (const f of files) {
      const local = await outcome(inThread(), `bad/${f}`);
      expect(await outcome(remote, `bad/${f}`), f).toBe(local);
      if (local.startsWith('ParquetReadError')) refused.push(f);
    }
    // arrow-rs decodes ARROW-GH-43605 (a zero bit-width RLE dictionary page); the others are refused.
    expect(refused).toEqual(files.filter((f) => f !== 'ARROW-GH-43605.parquet'));
    const missing = await outcome(remote, 'bad/missing.parquet', 10);
    expect(missing).toBe('ParquetReadError: the server answered HTTP 404');
    expect(missing).toBe(await outcome(inThread(), 'bad/missing.parquet', 10));
  });

  it('closes a file only after a chunk read ahead of a stopped load has finished', async () => {
    let finish: ((ipc: Uint8Array) => void) | undefined;
    const events: string[] = [];
    const source: ListedParquetSource = {
      columns: ['a'],
      columnIndex: (n) => (n === 'a' ? 0 : -1),
      read: () => new Promise((resolve) => (finish = resolve)),
      close: () => events.push('closed'),
    };
    const { remote } = connect({ open: async () => source });
    const opened = await remote.open('http://lake/a.parquet', 1);
    const read = opened.read(undefined, ['a']);
    await vi.waitFor(() => expect(finish).toBeDefined());
    opened.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]);
    events.push('read finished');
    finish?.(new Uint8Array(8));
    expect((await read).byteLength).toBe(8);
    await vi.waitFor(() => expect(events).toEqual(['read finished', 'closed']));
  });

  it('fails the reads in flight when the worker reports an error it did not handle', async () => {
    const { remote } = connect({ open: () => new Promise(() => {}) });
    const pending = remote.open('http://lake/a.parquet', 1);
    remote.failAll({ name: 'ParquetReadError', message: 'the Parquet decoder failed on it (unreachable)' });
    await expect(pending).rejects.toBeInstanceOf(ParquetReadError);
    await expect(pending).rejects.toThrow('the Parquet decoder failed on it (unreachable)');
  });
});
