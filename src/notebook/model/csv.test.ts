import { describe, expect, it } from 'vitest';
import {
  DateDay,
  Decimal,
  Field,
  Int32,
  Table,
  TimestampMillisecond,
  Utf8,
  makeTable,
  tableFromArrays,
  vectorFromArray,
} from 'apache-arrow';
import { formatValue } from './arrow-format';
import { toCsvChunks } from './csv';

describe('CSV export', () => {
  it('quotes what needs quoting and keeps NULL apart from empty text', () => {
    const table = new Table({
      name: vectorFromArray(['plain', 'with, comma', 'say "hi"', '', null], new Utf8()),
      n: vectorFromArray([1, 2, null, 4, 5], new Int32()),
    });
    expect(toCsvChunks(table, 2).join('')).toBe(
      'name,n\r\nplain,1\r\n"with, comma",2\r\n"say ""hi""",\r\n"",4\r\n,5\r\n',
    );
  });

  it('writes every row once across chunks', () => {
    const table = tableFromArrays({ x: Float64Array.from({ length: 25 }, (_, i) => i / 2) });
    const chunks = toCsvChunks(table, 10);
    expect(chunks).toHaveLength(4);
    expect(chunks.join('').trim().split('\r\n')).toHaveLength(26);
  });
});

describe('value formatting', () => {
  it('formats numbers, dates, timestamps and decimals, and flags nulls', () => {
    const t = makeTable({ a: Int32Array.from([7]) });
    expect(formatValue(t.getChild('a')!.get(0), t.schema.fields[0]!)).toEqual({ kind: 'value', text: '7' });
    const day = vectorFromArray([new Date(Date.UTC(2020, 0, 2))], new DateDay());
    expect(formatValue(day.get(0), new Field('d', new DateDay()))).toEqual({
      kind: 'value',
      text: '2020-01-02',
    });
    const ts = Date.UTC(2020, 0, 2, 3, 4, 5);
    expect(formatValue(ts, new Field('t', new TimestampMillisecond()))).toEqual({
      kind: 'value',
      text: '2020-01-02 03:04:05',
    });
    expect(formatValue('-5', new Field('m', new Decimal(2, 10, 128)))).toEqual({
      kind: 'value',
      text: '-0.05',
    });
    expect(formatValue('12345', new Field('m', new Decimal(2, 10, 128)))).toEqual({
      kind: 'value',
      text: '123.45',
    });
    expect(formatValue(null, new Field('x', new Utf8()))).toEqual({ kind: 'null' });
    expect(formatValue('', new Field('x', new Utf8()))).toEqual({ kind: 'value', text: '' });
  });
});
