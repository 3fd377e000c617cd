import { describe, expect, it } from 'vitest';
import { columnFormats, withColumnFormat, withoutFormatLines } from './column-formats';

const SQL = `-- The change per ward.
-- format: mean_before percent:2, stays integer
SELECT ward, mean_before, stays FROM t`;

describe('setting a column format in the cell', () => {
  it('adds, replaces and removes one column’s item, leaving the rest of the SQL as it was', () => {
    const added = withColumnFormat(SQL, 'ward_share', { format: 'percent', decimals: 1 });
    expect(added).toBe(`-- The change per ward.
-- format: mean_before percent:2, stays integer, ward_share percent:1
SELECT ward, mean_before, stays FROM t`);
    const replaced = withColumnFormat(added, 'stays', { format: 'compact' });
    expect(columnFormats(replaced).get('stays')).toEqual({ format: 'compact' });
    expect(columnFormats(replaced).get('mean_before')).toEqual({ format: 'percent', decimals: 2 });
    expect(replaced.split('\n').filter((l) => l.includes('format:'))).toHaveLength(1);

    let cleared = withColumnFormat(replaced, 'stays', undefined);
    cleared = withColumnFormat(cleared, 'mean_before', { format: 'auto' });
    cleared = withColumnFormat(cleared, 'ward_share', undefined);
    expect(cleared).toBe(`-- The change per ward.
SELECT ward, mean_before, stays FROM t`);
  });

  it('starts a format line in a cell that has none, and the engine’s SQL ignores format lines', () => {
    const sql = 'SELECT 0.123 AS rate';
    const set = withColumnFormat(sql, 'rate', { format: 'percent', decimals: 1 });
    expect(set).toBe('-- format: rate percent:1\nSELECT 0.123 AS rate');
    expect(withoutFormatLines(set)).toBe(sql);
    expect(withColumnFormat(sql, 'rate', undefined)).toBe(sql);
  });
});
