import type { TableEntry } from '../../../lake/manifest';
import { EngineFailure, toEngineError } from '../../errors';
import { ipcRows } from '../../../contract/ipc-bytes';
import { chunkRowGroups } from './load-plan';
import { ParquetReadError, type ParquetDecoder, type ParquetSource } from './parquet-decoder';
import { RawFileError, type RawDecoder } from './raw-decoder';

/** Chunks asked for ahead of the one being inserted. */
const READS_IN_FLIGHT = 2;

/** What is read in one go: one Parquet file, or all raw files of a table. */
export interface ReadUnit {
  /** Named in load errors. */
  path: string;
  rows: number;
  /** True for a Parquet file, whose row groups can be read apart. */
  parquet: boolean;
  open(): Promise<ParquetSource>;
}

export interface ReadPlan {
  columns: string[];
  take: (ipc: Uint8Array) => Promise<void>;
}

export interface ReadOptions {
  chunkRows: number;
  shouldStop: () => EngineFailure | undefined;
  /** Decides, once the file is open, which columns go where. */
  plan: (source: ParquetSource) => Promise<ReadPlan>;
  /** The row groups to read, in this order, once the file is open; undefined reads every one. */
  pick?: (source: ParquetSource) => number[] | undefined;
  onRows?: (rows: number) => void;
}

/**
 * Each Parquet file on its own (chunked by row groups), and all raw files of a table together (small text
 * files, fetched side by side and inserted as one chunk, since each insert has a fixed cost).
 */
export function unitsOf(
  entry: TableEntry,
  lakeUrl: string,
  decoder: ParquetDecoder,
  rawDecoder: RawDecoder,
): ReadUnit[] {
  const parquet = entry.files.filter((f) => f.format === 'parquet');
  const raw = entry.files.filter((f) => f.format !== 'parquet');
  const units: ReadUnit[] = parquet.map((f) => ({
    path: f.path,
    rows: f.rows,
    parquet: true,
    open: () => decoder.open(lakeUrl + f.path, f.bytes, f.rowGroups),
  }));
  if (raw.length > 0) {
    units.push({
      path: raw.length === 1 ? raw[0].path : `${raw.length} raw files under ${commonFolder(raw)}`,
      rows: raw.reduce((n, f) => n + f.rows, 0),
      parquet: false,
      open: () =>
        rawDecoder.open(
          raw.map((f) => ({ ...f, url: lakeUrl + f.path })),
          entry.columns.map((c) => c.name),
        ),
    });
  }
  return units;
}

/** Reads one unit chunk by chunk, the next chunks fetched and decoded while one is inserted. */
export async function readUnit(table: string, unit: ReadUnit, options: ReadOptions): Promise<void> {
  const { shouldStop, plan, pick = () => undefined, onRows = () => {} } = options;
  const named = (e: unknown) => loadError(table, e instanceof RawFileError ? e.path : unit.path, e);
  const source = await unit.open().catch((e) => {
    throw named(e);
  });
  try {
    const { columns, take } = await plan(source);
    const missing = columns.filter((c) => source.columnIndex(c) < 0);
    if (missing.length > 0) throw new ParquetReadError(`it has no column ${missing.join(', ')}`);
    const groups = source.rowGroups;
    const picked = groups ? pick(source) : undefined;
    const chunks = groups ? chunkRowGroups(groups, options.chunkRows, picked) : [undefined];
    const rowsOf = (chunk: number[] | undefined) =>
      chunk && groups ? chunk.reduce((n, g) => n + (groups[g] ?? 0), 0) : unit.rows;
    const expected = picked ? rowsOf(picked) : unit.rows;
    // Row groups left out are done as far as the progress shown goes.
    if (expected < unit.rows) onRows(unit.rows - expected);
    const read = (i: number) => {
      const pending = source.read(chunks[i], columns);
      // A read fetched ahead may be abandoned when the load stops; its failure is then nobody's concern.
      pending.catch(() => undefined);
      return pending;
    };
    // While one chunk is inserted, the next ones are fetched and decoded (in the decode worker, the
    // fetch of one overlaps the decoding of the other).
    const inFlight: Promise<Uint8Array>[] = [];
    let asked = 0;
    const askAhead = () => {
      while (asked < chunks.length && inFlight.length < READS_IN_FLIGHT) inFlight.push(read(asked++));
    };
    askAhead();
    let decoded = 0;
    for (let i = 0; i < chunks.length; i++) {
      const ipc = await inFlight.shift()!;
      const stop = shouldStop();
      if (stop) throw stop;
      askAhead();
      decoded += ipcRows(ipc);
      await take(ipc);
      onRows(rowsOf(chunks[i]));
    }
    // A decoder that silently drops or invents rows must not leave a table that looks complete.
    if (decoded + (picked ? 0 : (source.rowsLeftOut ?? 0)) !== expected)
      throw new ParquetReadError(`it decoded to ${decoded} rows but the catalog lists ${expected}`);
  } catch (e) {
    throw named(e);
  } finally {
    source.close();
  }
}

function commonFolder(files: readonly { path: string }[]): string {
  const parts = files.map((f) => f.path.split('/').slice(0, -1));
  const shared: string[] = [];
  for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0][i]); i++) shared.push(parts[0][i]);
  return `${shared.join('/')}/`;
}

export function loadError(table: string, path: string, e: unknown): EngineFailure {
  if (e instanceof EngineFailure) return e;
  const reason = e instanceof ParquetReadError ? e.message : toEngineError(e).message;
  return new EngineFailure({
    code: 'LOAD',
    message: `Could not load table ${table} from ${path}: ${reason}`,
    hint: 'The file may be damaged or missing; ask the lake owner to rebuild it. Other tables still work.',
  });
}
