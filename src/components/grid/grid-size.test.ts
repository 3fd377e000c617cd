import { describe, expect, it } from 'vitest';
import { columnWidth, gridHeight, MAX_GRID_HEIGHT } from './grid-size';

describe('grid size', () => {
  it('is as tall as its rows, up to a limit', () => {
    expect(gridHeight(1)).toBeLessThan(100);
    expect(gridHeight(0)).toBe(gridHeight(1));
    expect(gridHeight(3)).toBeGreaterThan(gridHeight(1));
    expect(gridHeight(1_000_000)).toBe(MAX_GRID_HEIGHT);
  });

  it('makes a column wide enough for its values, within bounds', () => {
    const narrow = columnWidth('n', 'BIGINT', ['1']);
    const wide = columnWidth('n', 'BIGINT', ['2026-03-01 12:34:56.789']);
    expect(wide).toBeGreaterThan(narrow);
    expect(wide).toBeGreaterThanOrEqual(23 * 7);
    expect(columnWidth('x', 'VARCHAR', ['y'.repeat(5000)])).toBeLessThanOrEqual(420);
  });
});
