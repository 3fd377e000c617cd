/**
 * Which rows of a fixed-height grid are on screen, for any number of rows. Browsers stop laying out an element
 * somewhere around 16 million pixels tall, and a million 24-pixel rows need 24 million. Past `maxHeight`, the scrollable height is capped and the scroll
 * position is scaled to a row position, so the first and the last row, and every row between, stay reachable.
 * Below the cap the mapping is the identity and the grid scrolls exactly like a plain list.
 */

export interface RowWindowInput {
  rows: number;
  rowHeight: number;
  /** Height of the area rows are visible in (the scroll box less its sticky header). */
  viewport: number;
  /** Tallest body the grid lets the browser lay out. */
  maxHeight: number;
}

export interface RowLayout {
  /** Height of the scrollable body in the page. */
  bodyHeight: number;
  /** Height the rows would need unscaled. */
  virtualHeight: number;
  /** Virtual pixels per scrolled pixel (1 when nothing is capped). */
  scale: number;
}

export interface VisibleRows {
  /** First and last row (inclusive) to render; last < first when there are no rows. */
  first: number;
  last: number;
  /** Body offset at which row `first` is drawn; each next row follows `rowHeight` below. */
  top: number;
}

export const MAX_BODY_HEIGHT = 8_000_000;

export function rowLayout({ rows, rowHeight, viewport, maxHeight }: RowWindowInput): RowLayout {
  const virtualHeight = rows * rowHeight;
  if (virtualHeight <= maxHeight) return { bodyHeight: virtualHeight, virtualHeight, scale: 1 };
  const bodyHeight = maxHeight;
  const room = Math.max(1, bodyHeight - viewport);
  return { bodyHeight, virtualHeight, scale: Math.max(1, virtualHeight - viewport) / room };
}

function maxScroll(layout: RowLayout, viewport: number): number {
  return Math.max(0, layout.bodyHeight - viewport);
}

/** The rows to render for a scroll position, with `overscan` extra rows on each side. */
export function visibleRows(input: RowWindowInput, scrollTop: number, overscan = 8): VisibleRows {
  const { rows, rowHeight, viewport } = input;
  const layout = rowLayout(input);
  const scroll = Math.min(Math.max(0, scrollTop), maxScroll(layout, viewport));
  const virtualTop = scroll * layout.scale;
  const firstVisible = Math.floor(virtualTop / rowHeight);
  const lastVisible = Math.ceil((virtualTop + viewport) / rowHeight) - 1;
  const first = Math.max(0, firstVisible - overscan);
  const last = Math.min(rows - 1, lastVisible + overscan);
  return { first, last, top: scroll + first * rowHeight - virtualTop };
}

/**
 * The scroll position that brings `row` into view: unchanged when it is already fully visible, else the
 * least movement that shows it (at the top when going up, at the bottom when going down). Positions past
 * either end are brought back within the body.
 */
export function scrollTopForRow(input: RowWindowInput, scrollTop: number, row: number): number {
  const { rowHeight, viewport } = input;
  const layout = rowLayout(input);
  const limit = maxScroll(layout, viewport);
  const scroll = Math.min(Math.max(0, scrollTop), limit);
  const virtualTop = scroll * layout.scale;
  const rowTop = row * rowHeight;
  let target: number;
  if (rowTop < virtualTop) target = rowTop;
  else if (rowTop + rowHeight > virtualTop + viewport) target = rowTop + rowHeight - viewport;
  else return scroll;
  return Math.min(limit, Math.max(0, target / layout.scale));
}

/** Rows share one anchor for this many rows; offsets from it stay small numbers the browser places exactly. */
const ANCHOR_ROWS = 1024;

/**
 * Where the window of rows sits in the body, and each row's offset inside it. A row's offset depends on its
 * own number and an anchor that moves every `ANCHOR_ROWS` rows, not on the scroll position, so a row that
 * stays on screen keeps its place and only the window moves (in the scaled body, by a little more than the
 * scroll); together they put `shown.first` at `shown.top`.
 */
export function rowPlacement(shown: VisibleRows, rowHeight: number) {
  const base = shown.first - (shown.first % ANCHOR_ROWS);
  return {
    windowTop: shown.top - (shown.first - base) * rowHeight,
    rowTop: (row: number) => (row - base) * rowHeight,
  };
}
