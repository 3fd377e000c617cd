import type * as ParquetWasmModule from 'parquet-wasm/esm';
import { MessageReader, tableFromIPC, tableToIPC } from 'apache-arrow';
import { widenHalfFloats } from './arrow-compat';
import { footerOf, footerStats, type RowGroupStats } from './parquet-footer';

/**
 * Reading Parquet files of the lake into Arrow IPC with parquet-wasm. The module is injected (the browser
 * build in the worker, the Node build in tests) so the same loader code runs in both places.
 */
export type ParquetWasm = Pick<typeof ParquetWasmModule, 'ParquetFile' | 'readParquet' | 'readSchema'>;

/** One opened file: read chunks of row groups, only the columns asked for, as Arrow IPC streams. */
export interface ParquetSource {
  /** Rows per row group, or undefined when unknown (the file is then read as one chunk). */
  rowGroups?: number[];
  /** Min/max statistics per row group, when the footer has them; without them every row group is read. */
  stats?: RowGroupStats[];
  /** Events of a raw file that are no rows (they did not parse; ingest dead-lettered them). */
  rowsLeftOut?: number;
  /** Position of a top-level column in the file, -1 when absent. */
  columnIndex(name: string): number;
  /** Columns come back in the file's order, whatever the order asked for. */
  read(rowGroups: number[] | undefined, columns: string[]): Promise<Uint8Array>;
  close(): void;
}

export interface ParquetDecoder {
  /** `bytes` (from the catalog) picks the strategy; `rowGroups` saves a footer read when known. */
  open(url: string, bytes: number, rowGroups?: number[]): Promise<ParquetSource>;
}

/** A Parquet file's source that also lists its top-level columns, so another thread can answer `columnIndex`. */
export interface ListedParquetSource extends ParquetSource {
  readonly columns: readonly string[];
}

export interface ListingParquetDecoder extends ParquetDecoder {
  open(url: string, bytes: number, rowGroups?: number[]): Promise<ListedParquetSource>;
}

export interface DecoderOptions {
  fetch?: typeof fetch;
  /** Files up to this size are fetched in one request; larger ones are read by byte ranges. */
  wholeFileBelow?: number;
  panics?: PanicWatch;
}

/** Thrown for a file that cannot be fetched or decoded; the loader names the file and table. */
export class ParquetReadError extends Error {
  override name = 'ParquetReadError';
}

const DEFAULT_WHOLE_FILE_BELOW = 2 * 1024 * 1024;
const MAGIC = 'PAR1';

export function parquetWasmDecoder(pw: ParquetWasm, options: DecoderOptions = {}): ListingParquetDecoder {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const limit = options.wholeFileBelow ?? DEFAULT_WHOLE_FILE_BELOW;
  const panics = options.panics ?? new PanicWatch();
  return {
    async open(url, bytes, rowGroups) {
      if (bytes > limit) {
        const footerLength = await rangedFooterLength(doFetch, url);
        if (footerLength !== undefined) {
          const source = await rangeSource(pw, url, panics);
          return { ...source, stats: await fetchStats(doFetch, url, footerLength, source.rowGroups) };
        }
      }
      return wholeFileSource(pw, await fetchWhole(doFetch, url), rowGroups);
    },
  };
}

/**
 * Small files: one request, then parquet-wasm's synchronous reader, which reports a corrupt file as an
 * ordinary error (its asynchronous reader aborts the wasm instead, see PanicWatch).
 */
function wholeFileSource(pw: ParquetWasm, file: Uint8Array, rowGroups?: number[]): ListedParquetSource {
  const columns = decodeOr(() => columnNames(pw.readSchema(file)));
  return {
    rowGroups,
    stats: statsOr(() => footerOf(file), rowGroups),
    columns,
    columnIndex: (name) => columns.indexOf(name),
    async read(groups, columns) {
      const options = { rowGroups: groups, batchSize: batchRows(groups, rowGroups) };
      const ipc = decodeOr(() => pw.readParquet(file, options).intoIPCStream());
      // The synchronous reader ignores its `columns` option (parquet-wasm 0.8): project here, in file order.
      const all = tableFromIPC(ipc);
      const wanted = all.schema.fields.map((f) => f.name).filter((n) => columns.includes(n));
      return widenHalfFloats(
        wanted.length === all.schema.fields.length ? ipc : tableToIPC(all.select(wanted), 'stream'),
      );
    },
    close: () => undefined,
  };
}

/** Large files: parquet-wasm fetches only the footer and the column chunks of the row groups asked for. */
async function rangeSource(pw: ParquetWasm, url: string, panics: PanicWatch): Promise<ListedParquetSource> {
  const file = await panics.guard(pw.ParquetFile.fromUrl(url)).catch(rethrowDecode);
  const meta = file.metadata();
  const rowGroups = meta.rowGroups().map((g) => {
    const n = g.numRows();
    g.free();
    return n;
  });
  meta.free();
  const columns = columnNames(file.schema());
  return {
    rowGroups,
    columns,
    columnIndex: (name) => columns.indexOf(name),
    async read(groups, columns) {
      const options = { rowGroups: groups, columns, batchSize: batchRows(groups, rowGroups) };
      const table = await panics.guard(file.read(options)).catch(rethrowDecode);
      return widenHalfFloats(table.intoIPCStream());
    },
    close: () => file.free(),
  };
}

/**
 * The rows of a chunk, so that it is read as one record batch per row group instead of batches of 1,024 rows
 * (parquet-wasm's default): the engine's insert and its row count pay per batch. On Node over 1M admissions,
 * CPU time of the inserts went from 880 to 640 ms and of the row counts from 80 to 14 ms. Undefined, i.e.
 * the default, when the row groups' sizes are not known.
 */
function batchRows(groups: number[] | undefined, rowGroups: number[] | undefined): number | undefined {
  if (!rowGroups) return undefined;
  const rows = (groups ?? rowGroups.map((_, i) => i)).reduce((n, g) => n + (rowGroups[g] ?? 0), 0);
  return rows > 0 ? rows : undefined;
}

async function fetchWhole(doFetch: typeof fetch, url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await doFetch(url);
  } catch (e) {
    throw new ParquetReadError(`it could not be fetched (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!response.ok) throw new ParquetReadError(`the server answered HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength < 12 || tail(bytes, 4) !== MAGIC) {
    throw new ParquetReadError('it is not a Parquet file (no PAR1 footer)');
  }
  return bytes;
}

/**
 * parquet-wasm's range reader needs 206 answers: the footer's length when the server answers one, undefined
 * when it ignores Range (the file is then fetched whole).
 */
async function rangedFooterLength(doFetch: typeof fetch, url: string): Promise<number | undefined> {
  let response: Response;
  try {
    response = await doFetch(url, { headers: { Range: 'bytes=-8' } });
  } catch (e) {
    throw new ParquetReadError(`it could not be fetched (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!response.ok) throw new ParquetReadError(`the server answered HTTP ${response.status}`);
  if (response.status !== 206) {
    await response.body?.cancel();
    return undefined;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength !== 8 || tail(bytes, 4) !== MAGIC) {
    throw new ParquetReadError('it is not a Parquet file (no PAR1 footer)');
  }
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
}

/**
 * The footer's row-group statistics, fetched apart from parquet-wasm's reader (which does not expose them).
 * Any failure only means no row group is skipped.
 */
async function fetchStats(
  doFetch: typeof fetch,
  url: string,
  footerLength: number,
  rowGroups: number[] | undefined,
): Promise<RowGroupStats[] | undefined> {
  try {
    const response = await doFetch(url, { headers: { Range: `bytes=-${footerLength + 8}` } });
    if (response.status !== 206) {
      await response.body?.cancel();
      return undefined;
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    return statsOr(() => footerOf(bytes), rowGroups);
  } catch {
    return undefined;
  }
}

/** Statistics that agree with the row groups the reader sees, else none. */
function statsOr(footer: () => Uint8Array, rowGroups: number[] | undefined): RowGroupStats[] | undefined {
  try {
    const stats = footerStats(footer());
    const agree =
      rowGroups && stats.length === rowGroups.length && stats.every((g, i) => g.rows === rowGroups[i]);
    return agree ? stats : undefined;
  } catch {
    return undefined;
  }
}

/** The top-level columns in file order; consumes the schema (its wasm memory is freed). */
function columnNames(schema: ParquetWasmModule.Schema): string[] {
  const fields = new MessageReader(schema.intoIPCStream()).readSchema()?.fields ?? [];
  return fields.map((f) => f.name);
}

function tail(bytes: Uint8Array, n: number): string {
  return String.fromCharCode(...bytes.subarray(bytes.byteLength - n));
}

function decodeOr<T>(decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    rethrowDecode(e);
  }
}

function rethrowDecode(e: unknown): never {
  const text = e instanceof Error ? e.message : String(e);
  // A wasm trap ("unreachable", "memory access out of bounds") says nothing to a reader on its own.
  if (e instanceof WebAssembly.RuntimeError)
    throw new ParquetReadError(`the Parquet decoder failed on it (${text})`);
  throw new ParquetReadError(text.replace(/^Error: /, ''));
}

/**
 * parquet-wasm's asynchronous reader hits a wasm trap (`unreachable`) on some corrupt files; the trap
 * surfaces as an uncaught error of the global scope and the read's promise never settles. The host routes
 * such errors here, and every read in flight fails with a decoder error instead of hanging.
 */
export class PanicWatch {
  private readonly pending = new Set<(e: Error) => void>();

  guard<T>(operation: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.add(reject);
      operation.then(resolve, reject).finally(() => this.pending.delete(reject));
    });
  }

  /** Returns true when a read was in flight, i.e. the error was the decoder's and is now handled. */
  report(error: unknown): boolean {
    if (this.pending.size === 0) return false;
    const text = error instanceof Error ? error.message : String(error);
    const failure = new ParquetReadError(`the Parquet decoder failed on it (${text})`);
    for (const reject of this.pending) reject(failure);
    this.pending.clear();
    return true;
  }
}
