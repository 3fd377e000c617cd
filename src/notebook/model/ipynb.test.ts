import { describe, expect, it } from 'vitest';
import { makeChartCell, makeMarkdownCell, makeSqlCell } from './cells';
import { toIpynb } from './ipynb';
import { newNotebook } from './notebook';

describe('Jupyter export', () => {
  const nb = {
    ...newNotebook('Review'),
    cells: [
      makeSqlCell('readmits', 'SELECT *\nFROM admissions\n'),
      makeMarkdownCell('# Title\n\ntext'),
      makeChartCell({ type: 'line' }),
    ],
  };
  const out = toIpynb(nb);

  it('writes nbformat 4 with ids on every cell', () => {
    expect(out.nbformat).toBe(4);
    expect(out.nbformat_minor).toBe(5);
    for (const cell of out.cells) expect(cell.id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(new Set(out.cells.map((c) => c.id)).size).toBe(out.cells.length);
  });

  it('turns SQL cells into %%sql code cells saved under the cell name', () => {
    expect(out.cells[0]).toEqual({
      id: nb.cells[0]!.id,
      cell_type: 'code',
      metadata: { lakebook: { name: 'readmits' } },
      source: ['%%sql --save readmits\n', 'SELECT *\n', 'FROM admissions\n'],
      execution_count: null,
      outputs: [],
    });
    expect(out.cells[0]!.source.join('')).toBe('%%sql --save readmits\nSELECT *\nFROM admissions\n');
  });

  it('keeps Markdown, and notes chart cells with their config', () => {
    expect(out.cells[1]).toMatchObject({
      cell_type: 'markdown',
      metadata: { lakebook: { published: false } },
      source: ['# Title\n', '\n', 'text'],
    });
    expect(out.cells[2]).toMatchObject({
      cell_type: 'markdown',
      metadata: { lakebook: { chart: { type: 'line' } } },
    });
  });
});
