import { describe, expect, it } from 'vitest';
import {
  MessageReader,
  Table,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  Dictionary,
  Utf8,
  Int32,
  RecordBatch,
  Struct,
  makeData,
  tableFromArrays,
} from 'apache-arrow';
import { createNodeBindings } from './core/node-bindings';
import { DuckSession } from './core/duck-session';
import { ipcBuffers, ipcByteLength, ipcMessages, ipcRows, joinIpc } from '../../contract/ipc-bytes';

/** A stream of three record batches of 3, 0 and 2 rows. */
function threeBatches(): Uint8Array {
  const whole = new Table({
    n: vectorFromArray([1, 2, 3, 4, 5], new Int32()),
    s: vectorFromArray(['a', 'b', null, 'd', 'e'], new Utf8()),
  });
  const empty = new RecordBatch(
    whole.schema,
    makeData({
      type: new Struct(whole.schema.fields),
      length: 0,
      nullCount: 0,
      children: whole.schema.fields.map((f) => makeData({ type: f.type, length: 0 })),
    }),
  );
  const batches = [...whole.slice(0, 3).batches, empty, ...whole.slice(3).batches];
  return tableToIPC(new Table(whole.schema, batches), 'stream');
}

describe('ipcMessages', () => {
  it('finds the schema and each record batch with its rows, as Arrow reads them', () => {
    const bytes = threeBatches();
    const messages = ipcMessages(bytes);
    expect(messages.map((m) => [m.kind, m.rows])).toEqual([
      ['schema', 0],
      ['batch', 3],
      ['batch', 0],
      ['batch', 2],
    ]);
    const reader = new MessageReader(bytes);
    const fromArrow: number[] = [];
    for (let m = reader.readMessage(); m; m = reader.readMessage()) {
      fromArrow.push(m.isRecordBatch() ? Number(m.header().length) : 0);
      reader.readMessageBody(m.bodyLength);
    }
    expect(messages.map((m) => m.rows)).toEqual(fromArrow);
    // The messages tile the stream up to its end marker, and each decodes with the schema alone.
    const covered = messages.reduce((n, m) => n + m.bytes.byteLength, 0);
    expect(bytes.byteLength - covered).toBe(8);
    expect(tableFromIPC([messages[0]!.bytes, messages[3]!.bytes]).getChild('s')?.toArray()).toEqual([
      'd',
      'e',
    ]);
    expect(ipcRows(bytes)).toBe(5);
  });

  it('tells dictionary batches apart and refuses a message cut short', () => {
    const dict = vectorFromArray(['x', 'y', 'x'], new Dictionary(new Utf8(), new Int32()));
    const bytes = tableToIPC(new Table({ d: dict }), 'stream');
    expect(ipcMessages(bytes).map((m) => m.kind)).toEqual(['schema', 'dictionary', 'batch']);
    expect(() => ipcMessages(bytes.subarray(0, bytes.byteLength - 20))).toThrow(/cut short/);
  });

  it('counts the rows of every batch of a stream, and none in an empty one', () => {
    const one = tableFromArrays({ a: Int32Array.from({ length: 700 }, (_, i) => i) });
    const batched = new Table([...one.batches, ...one.slice(0, 300).batches, ...one.slice(0, 1).batches]);
    expect(ipcRows(tableToIPC(batched, 'stream'))).toBe(1001);
    const empty = new Table({ a: vectorFromArray([], new Int32()) });
    expect(ipcRows(tableToIPC(empty, 'stream'))).toBe(0);
  });

  it("counts DuckDB's streamed batches exactly", async () => {
    const s = new DuckSession(await createNodeBindings());
    const r = await s.runBudgeted("SELECT range AS i, 'v' || range AS s FROM range(5000)", {
      maxRows: 10_000,
    });
    expect(r.rowCount).toBe(5000);
    expect(r.ipc.length).toBeGreaterThan(3);
    expect(r.ipc.reduce((n, p) => n + ipcRows(p), 0)).toBe(5000);
    for (const part of r.ipc) expect(part.byteLength).toBe(part.buffer.byteLength);
    const joined = joinIpc(r.ipc);
    expect(joined.byteLength).toBe(ipcByteLength(r.ipc));
    expect(tableFromIPC(joined).numRows).toBe(5000);
    expect(tableFromIPC(r.ipc).getChild('s')?.get(4999)).toBe('v4999');
    expect(ipcBuffers(r.ipc)).toHaveLength(r.ipc.length);
  });
});

describe('ipc helpers', () => {
  it('treat one array as a stream of one part', () => {
    const bytes = threeBatches();
    expect(joinIpc(bytes)).toBe(bytes);
    expect(ipcByteLength(bytes)).toBe(bytes.byteLength);
    expect(ipcBuffers([bytes, bytes.subarray(4)])).toEqual([bytes.buffer]);
  });
});
