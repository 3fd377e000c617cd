/**
 * Row-group statistics read from a Parquet file's footer (Thrift compact protocol), for the column types
 * whose order is plain: signed integers, dates and timestamps. parquet-wasm reads the footer too but does
 * not expose the statistics. Anything not understood is left out, and a left-out statistic only means the
 * row group is read.
 */

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

type Value = boolean | number | bigint | Uint8Array | Value[] | Struct;
type Struct = Map<number, Value>;

/** Thrown for bytes that are not a Thrift compact struct; the caller then reads every row group. */
export class FooterError extends Error {
  override name = 'FooterError';
}

/** Statistics of each row group, from the footer bytes (the Thrift struct before the length and `PAR1`). */
export function footerStats(footer: Uint8Array): RowGroupStats[] {
  const meta = new CompactReader(footer).struct();
  const schema = list(meta.get(2)).map(struct);
  const kinds = topLevelKinds(schema);
  const typeOrdered = list(meta.get(7)).map((o) => struct(o).has(1));
  return list(meta.get(4)).map((g) => {
    const group = struct(g);
    const columns: Record<string, ColumnStats> = {};
    list(group.get(1)).forEach((c, i) => {
      const meta = struct(struct(c).get(3));
      const path = list(meta.get(3)).map(text);
      const kind = path.length === 1 ? kinds.get(path[0]) : undefined;
      if (!kind) return;
      columns[path[0]] = columnStats(kind, struct(meta.get(12) ?? new Map()), typeOrdered[i] === true);
    });
    return { rows: Number(group.get(3) ?? 0), columns };
  });
}

/** The footer of a whole file in memory. */
export function footerOf(file: Uint8Array): Uint8Array {
  const length = new DataView(file.buffer, file.byteOffset + file.byteLength - 8, 4).getUint32(0, true);
  if (length + 8 > file.byteLength) throw new FooterError('the footer is longer than the file');
  return file.subarray(file.byteLength - 8 - length, file.byteLength - 8);
}

interface Kind {
  kind: StatKind;
  /** Multiplier to microseconds for timestamps stored in milliseconds. */
  scale?: bigint;
}

/** Top-level primitive columns whose statistics are understood, by name. */
function topLevelKinds(schema: Struct[]): Map<string, Kind> {
  const kinds = new Map<string, Kind>();
  const root = schema[0];
  const count = Number(root?.get(5) ?? 0);
  let i = 1;
  for (let n = 0; n < count && i < schema.length; n++) {
    const element = schema[i];
    const name = text(element.get(4));
    i = skipSubtree(schema, i);
    if (element.has(5)) continue;
    const kind = kindOf(element);
    if (kind) kinds.set(name, kind);
  }
  return kinds;
}

function skipSubtree(schema: Struct[], i: number): number {
  const children = Number(schema[i].get(5) ?? 0);
  let next = i + 1;
  for (let c = 0; c < children; c++) next = skipSubtree(schema, next);
  return next;
}

const INT32 = 1;
const INT64 = 2;
const CONVERTED = {
  DATE: 6,
  TIMESTAMP_MILLIS: 9,
  TIMESTAMP_MICROS: 10,
  INT_8: 15,
  INT_16: 16,
  INT_32: 17,
  INT_64: 18,
};

function kindOf(element: Struct): Kind | undefined {
  const physical = element.get(1);
  const converted = element.get(6);
  const logical = element.has(10) ? struct(element.get(10)) : undefined;
  if (logical && ![...logical.keys()].every((k) => k === 6 || k === 8 || k === 10)) return undefined;
  if (physical === INT32) {
    if (logical?.has(6) || converted === CONVERTED.DATE) return { kind: 'date' };
    const int = logical?.has(10) ? struct(logical.get(10)) : undefined;
    if (int && int.get(2) !== true) return undefined;
    if (
      converted === undefined ||
      [CONVERTED.INT_8, CONVERTED.INT_16, CONVERTED.INT_32].includes(Number(converted))
    )
      return { kind: 'integer' };
    return undefined;
  }
  if (physical !== INT64) return undefined;
  if (logical?.has(8)) {
    // Instants (adjusted to UTC) are TIMESTAMPTZ in the engine; only local timestamps are compared here.
    const ts = struct(logical.get(8));
    if (ts.get(1) !== false) return undefined;
    const unit = struct(ts.get(2));
    if (unit.has(1)) return { kind: 'timestamp', scale: 1000n };
    if (unit.has(2)) return { kind: 'timestamp', scale: 1n };
    return undefined;
  }
  if (converted === CONVERTED.TIMESTAMP_MILLIS) return { kind: 'timestamp', scale: 1000n };
  if (converted === CONVERTED.TIMESTAMP_MICROS) return { kind: 'timestamp', scale: 1n };
  const int = logical?.has(10) ? struct(logical.get(10)) : undefined;
  if (int && int.get(2) !== true) return undefined;
  if (converted === undefined || converted === CONVERTED.INT_64) return { kind: 'bigint' };
  return undefined;
}

/**
 * `min_value`/`max_value` when the file says they follow the type's order; otherwise the older `min`/`max`,
 * which use signed order, right for every kind here.
 */
function columnStats({ kind, scale }: Kind, stats: Struct, typeOrdered: boolean): ColumnStats {
  const out: ColumnStats = { kind };
  const nulls = stats.get(3);
  if (typeof nulls === 'bigint') out.nulls = Number(nulls);
  const [minBytes, maxBytes] =
    typeOrdered && stats.has(6) && stats.has(5) ? [stats.get(6), stats.get(5)] : [stats.get(2), stats.get(1)];
  if (minBytes instanceof Uint8Array && maxBytes instanceof Uint8Array) {
    const min = decodeValue(kind, minBytes, scale);
    const max = decodeValue(kind, maxBytes, scale);
    if (min !== undefined && max !== undefined) Object.assign(out, { min, max });
  }
  return out;
}

function decodeValue(kind: StatKind, bytes: Uint8Array, scale = 1n): number | bigint | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (kind === 'integer' || kind === 'date')
    return bytes.byteLength === 4 ? view.getInt32(0, true) : undefined;
  if (bytes.byteLength !== 8) return undefined;
  const value = view.getBigInt64(0, true);
  return kind === 'timestamp' ? value * scale : value;
}

function struct(v: Value | undefined): Struct {
  if (v instanceof Map) return v;
  throw new FooterError('a struct was expected in the footer');
}

function list(v: Value | undefined): Value[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  throw new FooterError('a list was expected in the footer');
}

function text(v: Value | undefined): string {
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  throw new FooterError('a name was expected in the footer');
}

/** The subset of the Thrift compact protocol a Parquet footer uses. */
class CompactReader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  struct(): Struct {
    const fields: Struct = new Map();
    let id = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === 0) return fields;
      const delta = header >> 4;
      id = delta === 0 ? this.zigzag32() : id + delta;
      fields.set(id, type === 1 ? true : type === 2 ? false : this.value(type));
    }
  }

  private value(type: number): Value {
    switch (type) {
      case 1:
      case 2:
        return this.byte() === 1;
      case 3:
        return (this.byte() << 24) >> 24;
      case 4:
      case 5:
        return this.zigzag32();
      case 6:
        return this.zigzag64();
      case 7: {
        const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.at, 8).getFloat64(0, true);
        this.at += 8;
        return v;
      }
      case 8: {
        const n = Number(this.varint());
        const v = this.bytes.subarray(this.at, this.at + n);
        if (v.byteLength !== n) throw new FooterError('the footer ends inside a value');
        this.at += n;
        return v;
      }
      case 9:
      case 10: {
        const header = this.byte();
        const size = header >> 4 === 15 ? Number(this.varint()) : header >> 4;
        const items: Value[] = [];
        for (let i = 0; i < size; i++) items.push(this.value(header & 0x0f));
        return items;
      }
      case 11: {
        const size = Number(this.varint());
        const types = size > 0 ? this.byte() : 0;
        for (let i = 0; i < size; i++) {
          this.value(types >> 4);
          this.value(types & 0x0f);
        }
        return [];
      }
      case 12:
        return this.struct();
      default:
        throw new FooterError(`the footer has an unknown Thrift type ${type}`);
    }
  }

  private byte(): number {
    if (this.at >= this.bytes.byteLength) throw new FooterError('the footer ends early');
    return this.bytes[this.at++];
  }

  private varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new FooterError('the footer has a malformed number');
  }

  private zigzag32(): number {
    return Number(this.zigzag64());
  }

  private zigzag64(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }
}
