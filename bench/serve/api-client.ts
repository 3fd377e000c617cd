/**
 * `POST /api/query` as a page sends it, from Node's own `fetch`, the body read with its stream reader. A
 * call times the whole answer (request start to the last byte) and, for results big enough to matter,
 * the first record batch: the first bytes that complete the schema message and one record batch, found
 * with the engine contract's own IPC reader on the bytes so far (`ipcMessages(bytes, true)` takes a stream
 * cut mid-message). Rows are counted from the batches' headers, nothing is decoded.
 */
import { ipcMessages } from '../../src/contract/ipc-bytes.ts';

export interface ApiAnswer {
  ok: boolean;
  status: number;
  /** Request start to the last byte of the body. */
  ms: number;
  /** Request start to the bytes completing the schema and the first record batch (when asked for). */
  firstBatchMs?: number;
  rows: number;
  bytes: number;
  /** The server's guard time for the statement (`Lakebook-Result` header). */
  guardMs?: number;
  /** The error's code and message, when the answer is not a result. */
  error?: string;
}

export interface QueryRequest {
  base: string;
  token: string;
  sql: string;
  maxRows?: number;
  /** Watch the stream for its first record batch (costs a scan of the bytes per chunk until then). */
  firstBatch?: boolean;
  signal?: AbortSignal;
}

export async function postQuery(request: QueryRequest): Promise<ApiAnswer> {
  const t0 = performance.now();
  const response = await fetch(new URL('api/query', request.base), {
    method: 'POST',
    headers: { Authorization: `Bearer ${request.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      sql: request.sql,
      cells: [],
      ...(request.maxRows ? { maxRows: request.maxRows } : {}),
    }),
    signal: request.signal,
  });
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let firstBatchMs: number | undefined;
  // Until the first batch is in, the chunks so far are joined and scanned; they are few and small.
  let head: Uint8Array | undefined = request.firstBatch ? new Uint8Array(0) : undefined;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.byteLength;
    if (head && response.ok) {
      head = join([head, value]);
      if (ipcMessages(head, true).some((m) => m.kind === 'batch')) {
        firstBatchMs = performance.now() - t0;
        head = undefined;
      }
    }
  }
  const ms = performance.now() - t0;
  const body = join(chunks);
  if (!response.ok) {
    let error = `HTTP ${response.status}`;
    try {
      const json = JSON.parse(new TextDecoder().decode(body)) as { code?: string; message?: string };
      error = `${json.code ?? response.status}: ${json.message ?? ''}`;
    } catch {
      // Not JSON: the status says enough.
    }
    return { ok: false, status: response.status, ms, rows: 0, bytes, error };
  }
  const meta = response.headers.get('Lakebook-Result');
  let guardMs: number | undefined;
  try {
    guardMs = meta ? (JSON.parse(decodeURIComponent(meta)) as { guardMs?: number }).guardMs : undefined;
  } catch {
    guardMs = undefined;
  }
  const rows = ipcMessages(body).reduce((n, m) => n + m.rows, 0);
  return { ok: true, status: response.status, ms, firstBatchMs, rows, bytes, guardMs };
}

function join(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
