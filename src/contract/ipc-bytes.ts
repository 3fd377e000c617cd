/**
 * Arrow IPC stream bytes as the engine hands them over: one array, or the stream's messages in order as
 * DuckDB wrote them (schema, record batches, end of stream). Keeping the messages apart spares a copy of the
 * whole result in the worker, and lets the page find each record batch without decoding the others.
 * `tableFromIPC` and `MessageReader` read either form.
 */
import type { IpcBytes } from './results';

export function ipcParts(ipc: IpcBytes): readonly Uint8Array[] {
  return ipc instanceof Uint8Array ? [ipc] : ipc;
}

export function ipcByteLength(ipc: IpcBytes): number {
  return ipcParts(ipc).reduce((n, p) => n + p.byteLength, 0);
}

/** The buffers to put in a message's transfer list, each once. */
export function ipcBuffers(ipc: IpcBytes): ArrayBuffer[] {
  return [...new Set(ipcParts(ipc).map((p) => p.buffer as ArrayBuffer))];
}

/** One array holding the whole stream, for consumers that need it in one piece (a file writer). */
export function joinIpc(ipc: IpcBytes): Uint8Array {
  const parts = ipcParts(ipc);
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(ipcByteLength(ipc));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

export type IpcMessageKind = 'schema' | 'dictionary' | 'batch' | 'other';

export interface IpcMessage {
  kind: IpcMessageKind;
  /** The whole encapsulated message (prefix, metadata and body). */
  bytes: Uint8Array;
  /** Rows of a record batch; 0 for other messages. */
  rows: number;
}

const HEADER_KINDS: Record<number, IpcMessageKind> = { 1: 'schema', 2: 'dictionary', 3: 'batch' };
const CONTINUATION = 0xffffffff;

/**
 * The messages of an IPC stream held in one array, read from their flatbuffer headers only (no body is
 * decoded). Stops at the end-of-stream marker; throws when the bytes are not a whole number of messages,
 * unless `cutOff` (a stream broken off mid-message): then it answers the whole messages before the cut.
 */
export function ipcMessages(bytes: Uint8Array, cutOff = false): IpcMessage[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: IpcMessage[] = [];
  const cut = () => {
    if (cutOff) return out;
    throw new Error('Arrow IPC message cut short');
  };
  let at = 0;
  while (at + 4 <= bytes.byteLength) {
    let prefix = 4;
    let metaLength = view.getUint32(at, true);
    if (metaLength === CONTINUATION) {
      if (at + 8 > bytes.byteLength) return cut();
      metaLength = view.getUint32(at + 4, true);
      prefix = 8;
    }
    if (metaLength === 0) break;
    const meta = at + prefix;
    if (meta + metaLength > bytes.byteLength) return cut();
    const header = readMessageHeader(view, meta);
    const end = meta + metaLength + header.bodyLength;
    if (end > bytes.byteLength) return cut();
    out.push({ kind: header.kind, bytes: bytes.subarray(at, end), rows: header.rows });
    at = end;
  }
  return out;
}

/** Rows in the record batches of one IPC chunk (0 for a schema or dictionary message). */
export function ipcRows(bytes: Uint8Array): number {
  return ipcMessages(bytes).reduce((n, m) => n + m.rows, 0);
}

/**
 * Reads `Message { version: short; header_type: ubyte; header: union; bodyLength: long }` and, for a
 * record batch, `RecordBatch { length: long; … }` straight from the flatbuffer (Arrow's Message.fbs).
 */
function readMessageHeader(view: DataView, start: number) {
  const message = start + view.getUint32(start, true);
  const headerType = field(view, message, 1, (at) => view.getUint8(at)) ?? 0;
  const bodyLength = field(view, message, 3, (at) => Number(view.getBigInt64(at, true))) ?? 0;
  const kind = HEADER_KINDS[headerType] ?? 'other';
  let rows = 0;
  if (kind === 'batch') {
    const batch = field(view, message, 2, (at) => at + view.getUint32(at, true));
    if (batch !== undefined) rows = field(view, batch, 0, (at) => Number(view.getBigInt64(at, true))) ?? 0;
  }
  return { kind, bodyLength, rows };
}

/** A table's field `index` read with `read` at its position, or undefined when the field is absent. */
function field<T>(view: DataView, table: number, index: number, read: (at: number) => T): T | undefined {
  const vtable = table - view.getInt32(table, true);
  const vtableSize = view.getUint16(vtable, true);
  const slot = 4 + index * 2;
  if (slot >= vtableSize) return undefined;
  const offset = view.getUint16(vtable + slot, true);
  return offset === 0 ? undefined : read(table + offset);
}
