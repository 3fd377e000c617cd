import type { RowGroupStats } from './parquet-footer';

/**
 * Messages between the engine worker and its Parquet decode worker. Both ends are built from this code base
 * and share one origin, so the messages are typed rather than validated; errors cross as plain name and
 * message, since structured cloning keeps neither an error's class nor its fields reliably.
 */

export type DecodeRequest =
  | { kind: 'open'; id: number; url: string; bytes: number; rowGroups?: number[] }
  | { kind: 'read'; id: number; source: number; rowGroups?: number[]; columns: string[] }
  | { kind: 'close'; source: number };

export interface OpenedSource {
  source: number;
  rowGroups?: number[];
  stats?: RowGroupStats[];
  rowsLeftOut?: number;
  columns: string[];
}

export interface FlatError {
  name: string;
  message: string;
}

export type DecodeReply =
  | { kind: 'opened'; id: number; opened: OpenedSource }
  | { kind: 'ipc'; id: number; ipc: Uint8Array }
  | { kind: 'failed'; id: number; error: FlatError };

/** The first message to the decode worker: parquet-wasm compiled once by the engine worker. */
export interface DecodeInit {
  kind: 'init';
  wasm: WebAssembly.Module;
}

/** The decode worker's answer to `init`: ready, or why it cannot decode (the engine then decodes itself). */
export type DecodeInitReply = { kind: 'ready' } | { kind: 'unavailable'; error: FlatError };

/** What either end needs of a Worker, a worker's global scope or a MessagePort. */
export interface DecodePort {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: Event) => void): void;
}

export function flatten(e: unknown): FlatError {
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}
