import { describe, expect, it } from 'vitest';
import { columnFormats, withSourceFormat } from './column-formats';
import { parseChartConfig, type ChartConfigInput } from './config';

describe('column formats set in the cell', () => {
  it('reads every format line, with digits where given', () => {
    const sql = `-- The headline.
-- format: mean_before percent:2, difference percent:2
SELECT 1 AS stays -- format: stays integer
  --FORMAT: big compact`;
    expect(Object.fromEntries(columnFormats(sql))).toEqual({
      mean_before: { format: 'percent', decimals: 2 },
      difference: { format: 'percent', decimals: 2 },
      big: { format: 'compact' },
    });
  });

  it('ignores what it does not know rather than failing the cell', () => {
    expect(columnFormats('-- format: a money:2, b, percent, c decimal:1').size).toBe(1);
    expect(columnFormats('SELECT 1')).toEqual(new Map());
  });
});

describe('a chart over a formatted column', () => {
  const sql = '-- format: rate percent:1\nSELECT ward, rate, n FROM t';
  const chart = (input: ChartConfigInput) =>
    withSourceFormat(parseChartConfig({ source: 't', type: 'bar', x: 'ward', ...input }), sql);

  it('draws it in the cell’s format unless it has a format of its own', () => {
    expect(chart({ y: 'rate', aggregate: 'avg' })).toMatchObject({ yFormat: 'percent', decimals: 1 });
    expect(chart({ y: 'rate', aggregate: 'avg', yFormat: 'decimal' })).toMatchObject({ yFormat: 'decimal' });
    expect(chart({ y: 'rate', aggregate: 'avg', decimals: 3 })).toMatchObject({
      yFormat: 'percent',
      decimals: 3,
    });
  });

  it('leaves sums, counts and unformatted columns on the automatic format', () => {
    expect(chart({ y: 'rate', aggregate: 'sum' }).yFormat).toBe('auto');
    expect(chart({ y: 'n', aggregate: 'avg' }).yFormat).toBe('auto');
    expect(chart({ aggregate: 'count' }).yFormat).toBe('auto');
  });
});
