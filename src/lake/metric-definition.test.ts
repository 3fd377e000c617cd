import { describe, expect, it } from 'vitest';
import { parseMetricDefinition } from './metric-definition.ts';

const header = [
  '-- metric: ward_rates',
  '-- description: Readmissions by ward.',
  '-- owner: Quality',
  '-- tags: PUBLIC, metric',
  '-- upstream: stays',
  '--',
  '-- Definition. A readmission is a next stay within 30 days.',
  '--',
  '-- column: ward | ward name | The ward of the index stay.',
  '-- column: n_stays | index stays | Index stays.',
  '-- column: rate | proportion (0–1) | n_readmitted / n_stays | Share of the index stays readmitted.',
  '-- caveat: Not risk-adjusted.',
  '-- caveat: Window from {window_start}.',
];
const parse = (lines: string[]) =>
  parseMetricDefinition([...lines, 'SELECT 1 AS x'].join('\n'), 'ward_rates.sql');

describe('parseMetricDefinition', () => {
  it('reads column lines (unit, description, a rate’s numerator and denominator) and caveats in file order', () => {
    const d = parse(header);
    expect(d.columns).toEqual([
      { name: 'ward', unit: 'ward name', description: 'The ward of the index stay.' },
      { name: 'n_stays', unit: 'index stays', description: 'Index stays.' },
      {
        name: 'rate',
        unit: 'proportion (0–1)',
        numerator: 'n_readmitted',
        denominator: 'n_stays',
        description: 'Share of the index stays readmitted.',
      },
    ]);
    expect(d.caveats).toEqual(['Not risk-adjusted.', 'Window from {window_start}.']);
    // Neither kind of line is part of the definition in words.
    expect(d.notes).toBe('Definition. A readmission is a next stay within 30 days.');
    expect(d.metric).toBe('ward_rates');
  });

  it('a file without column or caveat lines has none', () => {
    const d = parse(header.slice(0, 7));
    expect(d.columns).toEqual([]);
    expect(d.caveats).toEqual([]);
  });

  it('refuses a column line it cannot read, and a column documented twice, naming the file', () => {
    expect(() => parse([...header, '-- column: n_stays | stays only'])).toThrow(
      /ward_rates\.sql: "-- column: n_stays \| stays only" does not have 3 or 4 parts/,
    );
    expect(() => parse([...header, '-- column: rate2 | proportion | n_readmitted | Share.'])).toThrow(
      /gives no "numerator \/ denominator"/,
    );
    expect(() => parse([...header, '-- column: Rate | proportion | Share.'])).toThrow(/names no column/);
    expect(() => parse([...header, '-- column: ward | ward | Again.'])).toThrow(
      /ward_rates\.sql: column ward is documented more than once/,
    );
  });
});
