import { describe, expect, it } from 'vitest';
import type { RowGroupStats } from './parquet-footer';
import { conditionsOf, groupsNeeded, statKind, type ColumnKinds } from './scan-filters';

const kinds: ColumnKinds = new Map([
  ['id', 'integer'],
  ['big', 'bigint'],
  ['day', 'date'],
  ['at', 'timestamp'],
]);

const micros = (iso: string) => BigInt(Date.parse(`${iso}Z`)) * 1000n;

/** Four row groups of ids 0–99, 100–199, …, times a day apart, the last with no ids at all. */
const groups: RowGroupStats[] = [0, 1, 2, 3].map((g) => ({
  rows: 100,
  columns: {
    id:
      g === 3
        ? { kind: 'integer', nulls: 100 }
        : { kind: 'integer', min: g * 100, max: g * 100 + 99, nulls: 0 },
    at: {
      kind: 'timestamp',
      min: micros(`2024-01-0${g + 1}T00:00:00`),
      max: micros(`2024-01-0${g + 1}T23:59:00`),
    },
  },
}));

const needed = (...filters: string[]) => groupsNeeded([[conditionsOf(filters, kinds)]], groups);

describe('row groups a scan needs', () => {
  it('keeps the row groups whose range can meet each comparison', () => {
    expect(needed('id>=150 AND id<=160')).toEqual([1]);
    expect(needed('id=99')).toEqual([0]);
    expect(needed('id<100')).toEqual([0]);
    expect(needed('id<=100')).toEqual([0, 1]);
    expect(needed('id>199')).toEqual([2]);
    expect(needed('optional: id IN (5, 250)')).toEqual([0, 2]);
    expect(needed("at>='2024-01-02 12:00:00'::TIMESTAMP AND at<'2024-01-03 00:00:00'::TIMESTAMP")).toEqual([
      1,
    ]);
    expect(needed("at='2024-01-03 23:59:00.000001'::TIMESTAMP")).toEqual([]);
  });

  it('never skips a row group for a filter it does not fully understand', () => {
    expect(needed('optional: id=3 OR id=250')).toEqual([0, 1, 2, 3]);
    expect(needed('id>150 OR id<5 AND id>2')).toEqual([0, 1, 2, 3]);
    expect(needed('(CAST(id AS BIGINT) > 150)')).toEqual([0, 1, 2, 3]);
    expect(needed('id<>3', 'id IS NOT NULL', "label='x'")).toEqual([0, 1, 2, 3]);
    expect(needed("at>='2024-01-02'::DATE", 'id>2.5', "at>'2024-02-30 00:00:00'::TIMESTAMP")).toEqual([
      0, 1, 2, 3,
    ]);
    // Understood parts still narrow: the rest of a conjunction can only keep more rows.
    expect(needed("id>=250 AND label LIKE 'x%'")).toEqual([2]);
  });

  it('unions the scans of a table and reads everything for a scan without conditions', () => {
    const low = conditionsOf(['id<50'], kinds);
    const high = conditionsOf(['id>250'], kinds);
    expect(groupsNeeded([[low, high]], groups)).toEqual([0, 2]);
    expect(groupsNeeded([[low, []]], groups)).toEqual([0, 1, 2, 3]);
    expect(groupsNeeded(['all'], groups)).toEqual([0, 1, 2, 3]);
    // Plans of one statement on different loaded data each hold every row it reads: all must agree.
    expect(groupsNeeded([[low, high], [high]], groups)).toEqual([2]);
    expect(groupsNeeded([[low, high], 'all'], groups)).toEqual([0, 2]);
  });

  it('reads only the column types whose order it knows', () => {
    expect(
      ['INTEGER', 'BIGINT', 'DATE', 'TIMESTAMP', 'VARCHAR', 'DOUBLE', 'TIMESTAMPTZ'].map(statKind),
    ).toEqual(['integer', 'bigint', 'date', 'timestamp', undefined, undefined, undefined]);
  });
});
