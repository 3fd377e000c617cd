/**
 * Arrow that parquet-wasm produces but DuckDB-WASM cannot take in, made acceptable without changing a value.
 */
import {
  Float32,
  MessageReader,
  Precision,
  Table,
  Type,
  tableFromIPC,
  tableToIPC,
  makeData,
  makeVector,
  type Data,
  type DataType,
  type Float,
  type Vector,
} from 'apache-arrow';

const isHalfFloat = (type: DataType) =>
  type.typeId === Type.Float && (type as Float).precision === Precision.HALF;

/**
 * DuckDB's Arrow import has no half-precision floats (Parquet FLOAT16): such top-level columns are widened to
 * FLOAT bit by bit, which keeps every value exactly, NaN payloads and signs included. Other streams pass
 * through untouched.
 */
export function widenHalfFloats(ipc: Uint8Array): Uint8Array {
  const schema = new MessageReader(ipc).readSchema();
  if (!schema?.fields.some((f) => isHalfFloat(f.type))) return ipc;
  const table = tableFromIPC(ipc);
  const columns: Record<string, Vector> = {};
  table.schema.fields.forEach((field, i) => {
    const column = table.getChildAt(i)!;
    columns[field.name] = isHalfFloat(field.type) ? makeVector(column.data.map(widenData)) : column;
  });
  return tableToIPC(new Table(columns), 'stream');
}

function widenData(data: Data): Data<Float32> {
  const half = data.values as Uint16Array;
  const bits = new Uint32Array(data.length);
  for (let i = 0; i < data.length; i++) bits[i] = halfToFloatBits(half[i]!);
  return makeData({
    type: new Float32(),
    length: data.length,
    nullCount: data.nullCount,
    nullBitmap: data.nullBitmap,
    data: new Float32Array(bits.buffer),
  });
}

/** IEEE 754 binary16 bits to binary32 bits. */
export function halfToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >> 10) & 0x1f;
  let mantissa = h & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0;
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
  if (mantissa === 0) return sign >>> 0;
  // Subnormal: shift the mantissa up to its leading one; each shift lowers the exponent by one.
  let shifts = 0;
  while ((mantissa & 0x400) === 0) {
    mantissa <<= 1;
    shifts++;
  }
  return (sign | ((113 - shifts) << 23) | ((mantissa & 0x3ff) << 13)) >>> 0;
}
