/**
 * A grid sized to its result: a one-row answer takes one row's height, not a fixed box, and each column is
 * wide enough for its name, its type and the values at the top of the result (the rows first seen), within
 * bounds so one long text cannot push the others off screen.
 */
export const ROW_HEIGHT = 24;
export const HEAD_HEIGHT = 36;
/** Room for a horizontal scroll bar, so the last row is never hidden under it. */
const SCROLLBAR = 16;
export const MAX_GRID_HEIGHT = 420;
const CHAR_WIDTH = 7.3;
const CELL_PADDING = 26;
const MIN_COLUMN = 72;
const MAX_COLUMN = 420;
/** Rows read to size the columns; the grid decodes only these up front. */
export const SIZING_ROWS = 100;

export function gridHeight(rows: number): number {
  return Math.min(MAX_GRID_HEIGHT, HEAD_HEIGHT + Math.max(rows, 1) * ROW_HEIGHT + SCROLLBAR);
}

export function columnWidth(name: string, type: string, values: readonly string[]): number {
  const longest = Math.max(name.length, type.length, ...values.map((v) => v.length));
  return Math.round(Math.min(MAX_COLUMN, Math.max(MIN_COLUMN, longest * CHAR_WIDTH + CELL_PADDING)));
}
