import { describe, expect, it } from 'vitest';
import { Float64, Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { dataTable, toChartData, toCsv } from './chart-data';
import { parseChartConfig, ChartConfigError, missingChoices } from './config';
import { chartFormatters, formatChange, formatNumber, formatTime } from './format';

describe('chart config', () => {
  it('fills defaults, keeps choices and names what is missing', () => {
    const c = parseChartConfig({ source: 'stays', type: 'bar', aggregate: 'count' });
    expect(c).toMatchObject({ version: 1, barMode: 'grouped', topN: 12, yFormat: 'auto' });
    expect(missingChoices(c)).toEqual(['Choose the column for the x axis.']);
    expect(() => parseChartConfig({ type: 'pie' })).toThrow(ChartConfigError);
    expect(() => parseChartConfig({ version: 2 })).toThrow(/version/);
  });
});

describe('formats', () => {
  it('shows fractions as percents, units after values and dates in UTC', () => {
    expect(formatNumber(0.1234, 'percent', 1)).toBe('12.3%');
    expect(formatNumber(4.25, 'decimal', 1, 'days')).toBe('4.3 days');
    expect(formatNumber(1_234_567, 'compact')).toBe('1.2M');
    expect(formatNumber(null, 'auto')).toBe('–');
    expect(formatTime(Date.UTC(2024, 2, 1), 'month')).toBe('Mar 2024');
    expect(formatTime(Date.UTC(2024, 4, 31, 23, 30), 'quarter')).toBe('Q2 2024');
    expect(formatTime(Date.UTC(2024, 0, 1, 0, 0), 'date')).toBe('1 Jan 2024');
  });

  it('says how a KPI changed against the previous period', () => {
    expect(formatChange(110, 100, 'month')).toBe('+10% vs previous month');
    expect(formatChange(90, 100, 'week')).toBe('−10% vs previous week');
    expect(formatChange(5, null, 'month')).toBe('No previous period to compare');
  });
});

describe('chart data', () => {
  it('pivots bars by series, labels the gathered bar and writes CSV', () => {
    const table = new Table({
      ord: vectorFromArray([1, 1, 2, 3], new Int32()),
      x: vectorFromArray(['ICU', 'ICU', 'MED, east', 'Other'], new Utf8()),
      s: vectorFromArray(['before', 'after', 'before', 'before'], new Utf8()),
      y: vectorFromArray([0.2, 0.1, 0.3, 0.4], new Float64()),
      members: vectorFromArray([1, 1, 1, 5], new Int32()),
    });
    const data = toChartData({ sql: '', shape: 'bars', xAxis: 'category' }, table, 300);
    expect(data).toEqual({
      kind: 'categories',
      series: ['before', 'after'],
      rows: [
        { x: 'ICU', before: 0.2, after: 0.1 },
        { x: 'MED, east', before: 0.3 },
        { x: 'Other (5)', before: 0.4 },
      ],
    });
    const f = chartFormatters(parseChartConfig({ type: 'bar' }), false);
    const csv = toCsv(dataTable(data, { x: 'ward', y: 'rate', series: 'period' }, f.x));
    expect(csv.split('\r\n')).toEqual([
      'period,ward,rate',
      'before,ICU,0.2',
      'before,"MED, east",0.3',
      'before,Other (5),0.4',
      'after,ICU,0.1',
      '',
    ]);
  });
});
