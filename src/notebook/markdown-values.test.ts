import { describe, expect, it } from 'vitest';
import { fillPlaceholders, placeholderCells, type ValueState } from './markdown-values';

const values: Record<string, Record<string, unknown>> = {
  summary: { change_pp: -1.2634, rate: 0.12345, n: 23843n, ward: 'Respiratory', label: 'a*b' },
};

const lookup = (cell: string, column: string): ValueState => {
  if (cell === 'secret') return { kind: 'withheld' };
  if (cell === 'later') return { kind: 'not-run' };
  const row = values[cell];
  if (!row) return { kind: 'no-cell' };
  return column in row ? { kind: 'value', value: row[column] } : { kind: 'no-column' };
};

describe('values from results in Markdown', () => {
  it('fills values with their formats', () => {
    const text =
      'Change {{ summary.change_pp | decimal:1 }} pp, rate {{summary.rate|percent:1}}, ' +
      '{{ summary.n | integer }} stays on {{ summary.ward }}.';
    expect(fillPlaceholders(text, lookup)).toBe(
      'Change \\-1\\.3 pp, rate 12\\.3%, 23,843 stays on Respiratory.',
    );
  });

  it('says why a value is not shown, never an old number', () => {
    expect(fillPlaceholders('{{ secret.x }} {{ later.y }} {{ nope.z }} {{ summary.zz }}', lookup)).toBe(
      '[withheld: secret was denied for your role] [later not run yet] [no cell named nope] [summary has no column zz]',
    );
  });

  it('keeps text values from being read as Markdown, and leaves malformed placeholders alone', () => {
    expect(fillPlaceholders('{{ summary.label }}', lookup)).toBe('a\\*b');
    expect(fillPlaceholders('{{ summary }} {{ summary.rate | bold }}', lookup)).toBe(
      '{{ summary }} {{ summary.rate | bold }}',
    );
  });

  it('lists the cells a text reads', () => {
    expect(placeholderCells('{{ a.x }} {{ b.y | percent }} {{ a.z }} {{ c }}')).toEqual(['a', 'b']);
  });
});
