/**
 * Random access to the cells of a query result, decoding only the record batches a reader asks for. A
 * million-row result arrives as about 500 record batches; decoding all of them before the first paint would
 * cost tens of milliseconds on the page for rows nobody has scrolled to. The batches are found from their
 * message headers alone (contract/ipc-bytes.ts), and a few hundred recently read ones are kept decoded.
 */
import { tableFromIPC, type Field, type Vector } from 'apache-arrow';
import { ipcMessages, ipcParts, type IpcMessage } from '../../contract/ipc-bytes';
import type { IpcBytes } from '../../contract/results';

export interface ResultRows {
  readonly fields: readonly Field[];
  readonly numRows: number;
  /** The Arrow value of one cell (as `Vector.get` gives it). */
  value(row: number, col: number): unknown;
}

/** Decoded batches kept at once: enough for any window and for scrolling back, bounded for memory. */
const KEPT_BATCHES = 256;

export function resultRows(ipc: IpcBytes): ResultRows {
  const index = indexBatches(ipc);
  return index ? new LazyRows(index.schema, index.batches) : eagerRows(ipc);
}

interface BatchIndex {
  schema: Uint8Array;
  batches: IpcMessage[];
}

/**
 * The schema and the record batches, or undefined when the stream needs reading as a whole: dictionary
 * batches (a batch cannot be decoded without the dictionaries before it) or a message split across arrays.
 */
function indexBatches(ipc: IpcBytes): BatchIndex | undefined {
  const messages: IpcMessage[] = [];
  try {
    for (const part of ipcParts(ipc)) messages.push(...ipcMessages(part));
  } catch {
    return undefined;
  }
  const [schema, ...rest] = messages;
  if (schema?.kind !== 'schema' || rest.some((m) => m.kind !== 'batch')) return undefined;
  return { schema: schema.bytes, batches: rest };
}

function eagerRows(ipc: IpcBytes): ResultRows {
  const table = tableFromIPC(ipc);
  const vectors = table.schema.fields.map((_, c) => table.getChildAt(c)!);
  return {
    fields: table.schema.fields,
    numRows: table.numRows,
    value: (row, col) => vectors[col]!.get(row),
  };
}

class LazyRows implements ResultRows {
  readonly fields: readonly Field[];
  readonly numRows: number;
  /** Row number of each batch's first row, plus the total at the end. */
  private readonly starts: number[];
  private readonly decoded = new Map<number, Vector[]>();

  constructor(
    private readonly schema: Uint8Array,
    private readonly batches: IpcMessage[],
  ) {
    this.fields = tableFromIPC([schema]).schema.fields;
    this.starts = [0];
    for (const b of batches) this.starts.push(this.starts.at(-1)! + b.rows);
    this.numRows = this.starts.at(-1)!;
  }

  value(row: number, col: number): unknown {
    const b = this.batchOf(row);
    if (b < 0) return undefined;
    return this.columns(b)[col]?.get(row - this.starts[b]!);
  }

  /** The batch holding `row` (binary search over the batch starts), or -1 outside the result. */
  private batchOf(row: number): number {
    if (row < 0 || row >= this.numRows) return -1;
    let lo = 0;
    let hi = this.batches.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private columns(b: number): Vector[] {
    const hit = this.decoded.get(b);
    if (hit) {
      // Map order is insertion order: re-inserting keeps the most recently read batches last.
      this.decoded.delete(b);
      this.decoded.set(b, hit);
      return hit;
    }
    const table = tableFromIPC([this.schema, this.batches[b]!.bytes]);
    const vectors = this.fields.map((_, c) => table.getChildAt(c)!);
    this.decoded.set(b, vectors);
    if (this.decoded.size > KEPT_BATCHES) this.decoded.delete(this.decoded.keys().next().value!);
    return vectors;
  }
}
