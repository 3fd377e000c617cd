import { describe, expect, it } from 'vitest';
import {
  Float16,
  Int32,
  Table,
  makeData,
  makeVector,
  tableFromArrays,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { halfToFloatBits, widenHalfFloats } from './arrow-compat';

describe('arrow-compat', () => {
  it('converts every half-precision bit pattern exactly', () => {
    const view = new DataView(new ArrayBuffer(4));
    const asFloat = (bits: number) => {
      view.setUint32(0, bits);
      return view.getFloat32(0);
    };
    /** The half value computed from its definition: sign, 5-bit exponent with bias 15, 10-bit fraction. */
    const reference = (h: number) => {
      const sign = h & 0x8000 ? -1 : 1;
      const e = (h >> 10) & 0x1f;
      const f = h & 0x3ff;
      if (e === 0) return sign * f * 2 ** -24;
      if (e === 0x1f) return f === 0 ? sign * Infinity : NaN;
      return sign * (1 + f / 1024) * 2 ** (e - 15);
    };
    const wrong: number[] = [];
    for (let h = 0; h < 0x10000; h++)
      if (!Object.is(asFloat(halfToFloatBits(h)), reference(h))) wrong.push(h);
    expect(wrong).toEqual([]);
    // NaN keeps its sign and payload.
    expect(halfToFloatBits(0xfe01)).toBe(0xffc02000);
  });

  it('widens half floats to FLOAT with the same values and nulls, and leaves other streams alone', () => {
    // 1.5, null, -2, NaN, 65504 (the largest half float) as IEEE 754 half-precision bits.
    const bits = Uint16Array.from([0x3e00, 0, 0xc000, 0x7e00, 0x7bff]);
    const half = makeVector(
      makeData({
        type: new Float16(),
        length: 5,
        nullCount: 1,
        nullBitmap: Uint8Array.from([0b11101]),
        data: bits,
      }),
    );
    const ipc = tableToIPC(
      new Table({ h: half, n: vectorFromArray([1, 2, 3, 4, 5], new Int32()) }),
      'stream',
    );
    const widened = tableFromIPC(widenHalfFloats(ipc));
    expect(String(widened.schema.fields[0]!.type)).toBe('Float32');
    const values = Array.from({ length: 5 }, (_, i) => widened.getChild('h')!.get(i));
    expect(values).toEqual([1.5, null, -2, NaN, 65504]);
    expect(Array.from(widened.getChild('n')!)).toEqual([1, 2, 3, 4, 5]);

    const plain = tableToIPC(tableFromArrays({ a: Int32Array.from([1]) }), 'stream');
    expect(widenHalfFloats(plain)).toBe(plain);
  });
});
