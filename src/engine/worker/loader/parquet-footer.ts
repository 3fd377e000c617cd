/**
 * Row-group statistics from a Parquet file's footer (read by hyparquet), for the column types whose order is
 * plain: signed integers, dates and local timestamps. parquet-wasm reads the footer too but does not expose
 * the statistics. Anything not understood is left out, and a left-out statistic only means the row group is
 * read.
 */
import { parquetMetadata, parquetSchema, type SchemaElement, type Statistics } from 'hyparquet';

/** Values in the engine's terms: days since 1970 for DATE, microseconds since 1970 for TIMESTAMP. */
export type StatKind = 'integer' | 'bigint' | 'date' | 'timestamp';

export interface ColumnStats {
  kind: StatKind;
  /** Absent when the writer did not record them; a bigint for `bigint` and `timestamp`, else a number. */
  min?: number | bigint;
  max?: number | bigint;
  /** NULLs in the row group, when recorded. */
  nulls?: number;
}

export interface RowGroupStats {
  rows: number;
  /** By top-level column name; only columns with usable statistics. */
  columns: Record<string, ColumnStats>;
}

/** Thrown for bytes that are not a Parquet footer; the caller then reads every row group. */
export class FooterError extends Error {
  override name = 'FooterError';
}

/** Exact values: timestamps in microseconds, dates in days (hyparquet's defaults round them into `Date`s). */
const EXACT_PARSERS = {
  timestampFromMilliseconds: (millis: bigint) => millis * 1000n,
  timestampFromMicroseconds: (micros: bigint) => micros,
  dateFromDays: (days: number) => days,
};

const PAR1 = [0x50, 0x41, 0x52, 0x31];

/** Statistics of each row group, from the footer bytes (the Thrift struct before the length and `PAR1`). */
export function footerStats(footer: Uint8Array): RowGroupStats[] {
  const tail = new Uint8Array(footer.byteLength + 8);
  tail.set(footer);
  new DataView(tail.buffer).setUint32(footer.byteLength, footer.byteLength, true);
  tail.set(PAR1, footer.byteLength + 4);
  let meta: ReturnType<typeof parquetMetadata>;
  try {
    meta = parquetMetadata(tail, { parsers: EXACT_PARSERS, geoparquet: false });
  } catch (e) {
    throw new FooterError(`the footer cannot be read: ${(e as Error).message}`);
  }
  const kinds = new Map<string, StatKind>();
  for (const child of parquetSchema(meta).children) {
    const kind = child.children.length === 0 ? kindOf(child.element) : undefined;
    if (kind) kinds.set(child.element.name, kind);
  }
  return meta.row_groups.map((group) => {
    const columns: Record<string, ColumnStats> = {};
    for (const chunk of group.columns) {
      const path = chunk.meta_data?.path_in_schema ?? [];
      const kind = path.length === 1 ? kinds.get(path[0]!) : undefined;
      if (kind) columns[path[0]!] = columnStats(kind, chunk.meta_data?.statistics);
    }
    return { rows: Number(group.num_rows), columns };
  });
}

/** The footer of a whole file in memory. */
export function footerOf(file: Uint8Array): Uint8Array {
  const length = new DataView(file.buffer, file.byteOffset + file.byteLength - 8, 4).getUint32(0, true);
  if (length + 8 > file.byteLength) throw new FooterError('the footer is longer than the file');
  return file.subarray(file.byteLength - 8 - length, file.byteLength - 8);
}

const SIGNED_INT32 = new Set([undefined, 'INT_8', 'INT_16', 'INT_32']);

function kindOf({
  type,
  converted_type: converted,
  logical_type: logical,
}: SchemaElement): StatKind | undefined {
  if (logical && !['DATE', 'TIMESTAMP', 'INTEGER'].includes(logical.type)) return undefined;
  if (logical?.type === 'INTEGER' && !logical.isSigned) return undefined;
  if (type === 'INT32') {
    if (logical?.type === 'DATE' || converted === 'DATE') return 'date';
    return SIGNED_INT32.has(converted) ? 'integer' : undefined;
  }
  if (type !== 'INT64') return undefined;
  if (logical?.type === 'TIMESTAMP') {
    // Instants (adjusted to UTC) are TIMESTAMPTZ in the engine; only local timestamps are compared here.
    if (logical.isAdjustedToUTC) return undefined;
    return logical.unit === 'MILLIS' || logical.unit === 'MICROS' ? 'timestamp' : undefined;
  }
  if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') return 'timestamp';
  return converted === undefined || converted === 'INT_64' ? 'bigint' : undefined;
}

/** `min_value`/`max_value`, else the older `min`/`max`: both are in signed order for every kind here. */
function columnStats(kind: StatKind, stats: Statistics | undefined): ColumnStats {
  const out: ColumnStats = { kind };
  if (stats?.null_count !== undefined) out.nulls = Number(stats.null_count);
  const min = stats?.min_value ?? stats?.min;
  const max = stats?.max_value ?? stats?.max;
  const wide = kind === 'bigint' || kind === 'timestamp';
  const fits = (v: unknown) => (wide ? typeof v === 'bigint' : typeof v === 'number');
  if (fits(min) && fits(max)) Object.assign(out, { min, max });
  return out;
}
