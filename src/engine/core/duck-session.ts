import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import { tableFromIPC, type Table } from 'apache-arrow';

/**
 * One connection to a DuckDB-WASM instance driven through its synchronous bindings. The same class runs in
 * the browser's engine worker and on Node (tests, the guard CLI), so both run the very same engine code.
 */
export class DuckSession {
  private readonly conn: number;
  private running = false;

  constructor(private readonly bindings: DuckDBBindings) {
    this.conn = bindings.connect().useUnsafe((_b, id) => id);
  }

  /**
   * Runs a statement and returns the whole result as one Arrow IPC stream. It yields to the event loop
   * between polls so that a `cancel()` arriving as a message can interrupt it.
   */
  async run(sql: string, yieldToEvents: () => Promise<void> = macrotask): Promise<Uint8Array> {
    if (this.running) throw new Error('This engine connection is already running a statement.');
    this.running = true;
    try {
      let header = this.bindings.startPendingQuery(this.conn, sql, false);
      while (header === null) {
        await yieldToEvents();
        header = this.bindings.pollPendingQuery(this.conn);
      }
      const parts: Uint8Array[] = [header];
      // fetchQueryResults answers null for "not ready yet" and an empty buffer at the end of the stream.
      for (;;) {
        const chunk = this.bindings.fetchQueryResults(this.conn);
        if (chunk === null) continue;
        if (chunk.byteLength === 0) break;
        parts.push(chunk);
      }
      parts.push(END_OF_STREAM);
      return concat(parts);
    } finally {
      this.running = false;
    }
  }

  /** Interrupts the statement started by `run`; returns false when none was running. */
  cancel(): boolean {
    return this.running && this.bindings.cancelPendingQuery(this.conn);
  }

  /** For the app's own short statements on the trusted path: runs to completion, no cancel. */
  query(sql: string): Table {
    return tableFromIPC(this.bindings.runQuery(this.conn, sql));
  }

  /** Appends (or creates) a table from Arrow IPC bytes; works after `lockDown`. */
  insertIpc(table: string, ipc: Uint8Array, create: boolean): void {
    this.bindings.insertArrowFromIPCStream(this.conn, ipc, { name: table, create });
  }

  /**
   * Closes every door to files, extensions and configuration. `lock_configuration` must come last:
   * once set, the other settings can no longer be changed.
   */
  lockDown(): void {
    for (const stmt of [
      'SET autoinstall_known_extensions=false',
      'SET autoload_known_extensions=false',
      'SET enable_external_access=false',
      'SET lock_configuration=true',
    ]) {
      this.bindings.runQuery(this.conn, stmt);
    }
  }
}

/** The bindings hand out schema and batches only; consumers (and DuckDB's own IPC insert) need the end marker. */
const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
