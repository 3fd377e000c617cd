import type { DuckDBBindings, ScriptTokens } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { ipcRows, joinIpc } from '../../../contract/ipc-bytes';

export interface RunOptions {
  /** Keep at most this many rows; more are cut and the result is marked truncated. */
  maxRows?: number;
  /** Keep at most this many bytes of Arrow IPC; the batch that would pass it and all after are cut. */
  maxBytes?: number;
  yieldToEvents?: () => Promise<void>;
}

export interface BudgetedResult {
  /**
   * The Arrow IPC stream as DuckDB wrote it, one message per array (schema, batches, end of stream): not
   * joined, which would copy the whole result once more.
   */
  ipc: Uint8Array[];
  rowCount: number;
  truncated: boolean;
  /** Which budget cut the result, when one did. */
  truncatedBy?: 'rows' | 'bytes';
}

/**
 * Streamed batches are small (2048 rows) and a task hop costs about as much as one: yield when this long
 * has passed since the last one, so a cancel still gets in within a frame or two.
 */
const YIELD_AFTER_MS = 25;

/**
 * One connection to a DuckDB-WASM instance driven through its synchronous bindings. The same class runs in
 * the browser's engine worker and on Node (tests, the guard CLI), so both run the very same engine code.
 */
export class DuckSession {
  private readonly conn: number;
  private running = false;
  private cancelRequested = false;

  constructor(private readonly bindings: DuckDBBindings) {
    this.conn = bindings.connect().useUnsafe((_b, id) => id);
  }

  /**
   * Runs a statement and returns the whole result as one Arrow IPC stream. It yields to the event loop
   * between polls so that a `cancel()` arriving as a message can interrupt it.
   */
  async run(sql: string, yieldToEvents: () => Promise<void> = macrotask): Promise<Uint8Array> {
    return joinIpc((await this.runBudgeted(sql, { yieldToEvents })).ipc);
  }

  /**
   * Like `run`, but keeps at most `maxRows` rows: the result is streamed out of DuckDB and reading stops
   * once the budget is exceeded, so a huge result is never materialised in full.
   */
  async runBudgeted(sql: string, options: RunOptions = {}): Promise<BudgetedResult> {
    if (this.running) throw new Error('This engine connection is already running a statement.');
    const yieldToEvents = options.yieldToEvents ?? macrotask;
    const { maxRows, maxBytes } = options;
    const budgeted = maxRows !== undefined || maxBytes !== undefined;
    this.running = true;
    this.cancelRequested = false;
    try {
      let header = this.bindings.startPendingQuery(this.conn, sql, budgeted);
      while (header === null) {
        await yieldToEvents();
        header = this.bindings.pollPendingQuery(this.conn);
      }
      const parts: Uint8Array[] = [owned(header)];
      let rowCount = 0;
      let bytes = header.byteLength;
      let lastYield = performance.now();
      // fetchQueryResults answers null for "not ready yet" and an empty buffer at the end of the stream.
      for (;;) {
        if (this.cancelRequested) throw new Error('query was canceled');
        const chunk = this.bindings.fetchQueryResults(this.conn);
        if (chunk === null) {
          await yieldToEvents();
          continue;
        }
        if (chunk.byteLength === 0) break;
        bytes += chunk.byteLength;
        if (maxBytes !== undefined && bytes > maxBytes) {
          parts.push(endOfStream());
          return { ipc: parts, rowCount, truncated: true, truncatedBy: 'bytes' };
        }
        parts.push(owned(chunk));
        rowCount += ipcRows(chunk);
        if (budgeted) {
          if (maxRows !== undefined && rowCount > maxRows) return truncate(parts, maxRows);
          // A streamed statement does its work inside the fetches: let a cancel in between them.
          if (performance.now() - lastYield >= YIELD_AFTER_MS) {
            await yieldToEvents();
            lastYield = performance.now();
          }
        }
      }
      parts.push(endOfStream());
      return { ipc: parts, rowCount, truncated: false };
    } finally {
      this.running = false;
    }
  }

  /** Whether a statement started by `run` is in flight. */
  get busy(): boolean {
    return this.running;
  }

  /** Interrupts the statement started by `run`; returns false when none was running. */
  cancel(): boolean {
    if (!this.running) return false;
    this.cancelRequested = true;
    this.bindings.cancelPendingQuery(this.conn);
    return true;
  }

  /** For the app's own short statements on the trusted path: runs to completion, no cancel. */
  query(sql: string): Table {
    return tableFromIPC(this.bindings.runQuery(this.conn, sql));
  }

  /**
   * `EXPLAIN (FORMAT JSON)` of exactly one statement, for the guard; returns the plan's JSON text. It goes
   * through a prepared statement because DuckDB refuses to prepare several statements at once, so text
   * hidden after a `;` can never run here. EXPLAIN binds and plans without executing.
   */
  explain(sql: string): string {
    if (this.running) throw new Error('This engine connection is already running a statement.');
    const stmt = this.bindings.createPrepared(this.conn, `EXPLAIN (FORMAT JSON) ${sql}`);
    try {
      const plan = tableFromIPC(this.bindings.runPrepared(this.conn, stmt, []));
      const values = plan.getChild('explain_value');
      return values && plan.numRows > 0 ? String(values.get(0)) : '[]';
    } finally {
      this.bindings.closePrepared(this.conn, stmt);
    }
  }

  /** DuckDB's own tokenizer: token start offsets and kinds (comments are left out). */
  tokenize(text: string): ScriptTokens {
    return this.bindings.tokenize(text);
  }

  /** The tables and views one statement names, as DuckDB's parser and binder resolve them. */
  tableNames(sql: string): string[] {
    return this.bindings.getTableNames(this.conn, sql);
  }

  /**
   * Runs exactly one statement on the trusted path. A prepared statement refuses several statements at
   * once, so text from outside (a notebook cell's body) cannot carry a second one in.
   */
  execOne(sql: string): void {
    const stmt = this.bindings.createPrepared(this.conn, sql);
    try {
      this.bindings.runPrepared(this.conn, stmt, []);
    } finally {
      this.bindings.closePrepared(this.conn, stmt);
    }
  }

  /** Ends the connection; the instance is released once nothing refers to its bindings. */
  close(): void {
    this.bindings.disconnect(this.conn);
  }

  /** Appends (or creates) a table from Arrow IPC bytes; works after `lockDown`. */
  insertIpc(table: string, ipc: Uint8Array, create: boolean): void {
    this.bindings.insertArrowFromIPCStream(this.conn, ipc, { name: table, create });
  }

  /**
   * Closes every door to files, extensions and configuration. `lock_configuration` must come last:
   * once set, the other settings can no longer be changed. An instance reused for another role was locked
   * down for the first and stays so (nothing can unlock it): it is not locked again.
   */
  lockDown(): void {
    const locked = this.query(`SELECT current_setting('lock_configuration') AS v`).getChild('v')?.get(0);
    if (locked === true) return;
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

/**
 * The bindings hand out schema and batches only; consumers (and DuckDB's own IPC insert) need the end
 * marker. A new one each time: the result's buffers are transferred, and a shared one would be detached.
 */
function endOfStream(): Uint8Array {
  return new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
}

/**
 * A real task boundary, so messages queued for the worker (a cancel) are handled in between. setTimeout
 * would do, but browsers clamp nested timeouts to 4 ms, which would add up over the polls of a query.
 */
export function macrotask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * The result's arrays are transferred to the page buffer by buffer, so each must own its whole buffer: the
 * bindings copy every message out of the wasm memory into a new one, and anything else is copied here.
 */
function owned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** Cuts a stream that went past the budget; only the rows kept are re-encoded. */
function truncate(parts: Uint8Array[], maxRows: number): BudgetedResult {
  const table = tableFromIPC([...parts, endOfStream()]).slice(0, maxRows);
  return {
    ipc: [tableToIPC(table, 'stream')],
    rowCount: table.numRows,
    truncated: true,
    truncatedBy: 'rows',
  };
}
