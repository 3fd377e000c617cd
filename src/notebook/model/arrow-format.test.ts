import { describe, expect, it } from 'vitest';
import { tableFromIPC, tableToIPC, Table, vectorFromArray, Float64, Utf8, Int64 } from 'apache-arrow';
import { formatWith } from './arrow-format';

const table = tableFromIPC(
  tableToIPC(
    new Table({
      rate: vectorFromArray([0.11902265578702649, null], new Float64()),
      stays: vectorFromArray([21937n, 5n], new Int64()),
      ward: vectorFromArray(['Respiratory', 'Cardiology'], new Utf8()),
    }),
  ),
);
const field = (name: string) => table.schema.fields.find((f) => f.name === name)!;
const value = (name: string, row: number) => table.getChild(name)!.get(row);

describe('values in their column’s format', () => {
  it('formats numbers as the cell says, and leaves the rest as they are', () => {
    expect(formatWith(value('rate', 0), field('rate'), { format: 'percent', decimals: 2 })).toEqual({
      kind: 'value',
      text: '11.90%',
    });
    expect(formatWith(value('stays', 0), field('stays'), { format: 'integer' })).toEqual({
      kind: 'value',
      text: '21,937',
    });
    expect(formatWith(value('rate', 1), field('rate'), { format: 'percent' })).toEqual({ kind: 'null' });
    expect(formatWith(value('ward', 0), field('ward'), { format: 'percent' })).toEqual({
      kind: 'value',
      text: 'Respiratory',
    });
    expect(formatWith(value('rate', 0), field('rate'), undefined)).toEqual({
      kind: 'value',
      text: '0.11902265578702649',
    });
  });
});
