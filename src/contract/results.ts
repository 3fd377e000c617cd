/**
 * What every engine answers, whatever it runs on (DuckDB-WASM in a worker of the page, or a DuckDB server):
 * results as Arrow IPC bytes, errors as plain data. The UI, the notebook store and the engines import these
 * types from here; no engine's own modules are needed to read a result.
 */

export type EngineErrorCode =
  | 'SYNTAX' // DuckDB parser error
  | 'BINDER' // unknown table or column, wrong types
  | 'RUNTIME' // the statement failed while running (conversion, out of range, invalid input)
  | 'DENIED' // the guard refused the statement
  | 'CANCELLED'
  | 'TIMEOUT'
  | 'TOO_LARGE' // result over the memory budget
  | 'LOAD' // a lake file could not be fetched or decoded
  | 'POLICY' // the policy file is invalid: the app must stop
  | 'CRASHED' // the worker died
  | 'INTERNAL';

/** Errors are flattened to plain data so they survive structured cloning. */
export interface EngineError {
  code: EngineErrorCode;
  message: string;
  /** What the user can do about it. */
  hint?: string;
  /** DENIED: the guard rule that refused the statement, e.g. `column-grant`, `read-only`, `table-function`. */
  rule?: string;
  /** 1-based position in the cell's SQL when DuckDB reports one. */
  line?: number;
  column?: number;
}

export interface ResultColumn {
  name: string;
  /** DuckDB type name as shown in the grid header. */
  type: string;
}

/**
 * Arrow IPC stream bytes: one array, or the stream's messages in order (schema, record batches, end of
 * stream) as the engine wrote them, which spares a copy of the whole result. `tableFromIPC` reads both.
 */
export type IpcBytes = Uint8Array | Uint8Array[];

export interface QueryResult {
  /** Arrow IPC stream bytes; transferred, not copied. */
  ipc: IpcBytes;
  columns: ResultColumn[];
  rowCount: number;
  /** True when the result was cut at the row budget. */
  truncated: boolean;
  /** Which budget cut it: the row budget or the byte budget (`maxBytes`). */
  truncatedBy?: 'rows' | 'bytes';
  elapsedMs: number;
  /** Time the guard took to decide on the statement (part of `elapsedMs`); the benchmark reports it. */
  guardMs?: number;
  /** True when the statement ran on a decision the guard made earlier for the same statement and data. */
  guardReused?: boolean;
  /** Union of the sensitivity tags of every source the result came from. */
  tags: string[];
  /** Catalog tables and cells the statement read. */
  objects: string[];
  /** Masks and filters the role's view applied to those objects. */
  rules: string[];
}

export interface LoadProgress {
  phase: 'engine' | 'catalog' | 'policy' | 'table';
  /** Table name when phase is 'table'. */
  name?: string;
  done: number;
  total: number;
  message: string;
}

/** A query's whole result written as a file by the worker (see src/engine/worker/export). */
export interface ExportedFile {
  format: 'parquet';
  bytes: Uint8Array;
  rowCount: number;
  /** True when the result was cut at a budget, so the file holds only its first rows. */
  truncated: boolean;
  /** Union of the sensitivity tags of the result's sources. */
  tags: string[];
}

/** A notebook cell visible to other cells as a table of its name. */
export interface CellSource {
  name: string;
  sql: string;
}

export function isEngineError(e: unknown): e is EngineError {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}
