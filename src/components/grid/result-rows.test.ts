import { describe, expect, it } from 'vitest';
import {
  Dictionary,
  Int32,
  RecordBatch,
  Table,
  Utf8,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { resultRows } from './result-rows';

/** `batches` record batches of `size` rows: n = row number, s = 'r' + row number (every 7th NULL). */
function stream(batches: number, size: number): Uint8Array {
  const n = Array.from({ length: batches * size }, (_, i) => i);
  const whole = new Table({
    n: vectorFromArray(n, new Int32()),
    s: vectorFromArray(
      n.map((i) => (i % 7 === 0 ? null : `r${i}`)),
      new Utf8(),
    ),
  });
  const parts: RecordBatch[] = [];
  for (let b = 0; b < batches; b++) parts.push(...whole.slice(b * size, (b + 1) * size).batches);
  return tableToIPC(new Table(whole.schema, parts), 'stream');
}

function expectSameCells(rows: ReturnType<typeof resultRows>, bytes: Uint8Array, sample: number[]) {
  const table = tableFromIPC(bytes);
  expect(rows.numRows).toBe(table.numRows);
  expect(rows.fields.map((f) => f.name)).toEqual(table.schema.fields.map((f) => f.name));
  for (const row of sample)
    for (let col = 0; col < table.numCols; col++)
      expect(rows.value(row, col)).toEqual(table.getChildAt(col)!.get(row));
}

describe('resultRows', () => {
  it('reads any cell of a many-batch stream as the whole table would', () => {
    const bytes = stream(5, 100);
    const rows = resultRows(bytes);
    expectSameCells(rows, bytes, [0, 1, 7, 99, 100, 101, 250, 399, 400, 499]);
    expect(rows.value(500, 0)).toBeUndefined();
    expect(rows.value(-1, 0)).toBeUndefined();
  });

  it('reads the engine’s form, one array per message, and a stream split mid-message', () => {
    const bytes = stream(3, 10);
    const cut = [bytes.subarray(0, 333), bytes.subarray(333)];
    expectSameCells(resultRows(cut), bytes, [0, 9, 10, 29]);
  });

  it('stays right after reading more batches than it keeps decoded, in any order', () => {
    const bytes = stream(300, 3);
    const rows = resultRows(bytes);
    const order = Array.from({ length: 900 }, (_, i) => (i * 397) % 900);
    expectSameCells(rows, bytes, order);
    expectSameCells(rows, bytes, [0, 1, 2, 899]);
  });

  it('reads dictionary-encoded columns and empty results', () => {
    const dict = vectorFromArray(['x', 'y', 'x'], new Dictionary(new Utf8(), new Int32()));
    const bytes = tableToIPC(new Table({ d: dict }), 'stream');
    expectSameCells(resultRows(bytes), bytes, [0, 1, 2]);

    const empty = stream(0, 1);
    const rows = resultRows(empty);
    expect(rows.numRows).toBe(0);
    expect(rows.fields.map((f) => f.name)).toEqual(['n', 's']);
  });
});
