import { describe, expect, it } from 'vitest';
import { makeChartCell, makeMarkdownCell, makeSqlCell } from '../../notebook/model/cells';
import { editorsFirst } from './editors-first';

describe('when the SQL editors load before the first answers', () => {
  it('loads them at once when no SQL cell holds a statement to run', () => {
    expect(editorsFirst([makeSqlCell('cell_1', '')])).toBe(true);
    expect(editorsFirst([makeMarkdownCell('# Notes'), makeSqlCell('cell_1', '  \n')])).toBe(true);
    expect(editorsFirst([])).toBe(true);
  });

  it('waits for the first answers when a SQL cell has a statement, whatever else the notebook holds', () => {
    expect(editorsFirst([makeSqlCell('cell_1', ''), makeSqlCell('stays', 'SELECT 1')])).toBe(false);
    expect(
      editorsFirst([makeSqlCell('stays', 'SELECT 1'), makeChartCell({ source: 'stays', type: 'bar' })]),
    ).toBe(false);
  });
});
