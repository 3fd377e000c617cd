import type { Table } from 'apache-arrow';
import type { Point, SeriesData } from './series';
import { clipToWindow, type XWindow } from './x-window';

/**
 * Draws an M4 grid result (`m4-sql.ts`) at a plot width: pixel column j is the union of the grid buckets k
 * with floor(k * px / buckets) = j, and its first, last, lowest and highest point are those of its buckets,
 * with the same tie rules as the SQL. So the line keeps at most four points per pixel column and series,
 * each a real row of the source at its own x and y. Buckets are whole, so a column's edges sit up to
 * px / buckets of a pixel (1/8 at most) from the exact ones; points are drawn where they are all the same.
 */

interface Corner {
  x: number;
  y: number;
}

interface Column {
  first: Corner;
  last: Corner;
  low: Corner;
  high: Corner;
  /** With a band: the lowest low end and highest high end of the column's buckets (NaN where none). */
  band?: [number, number];
}

function numbers(table: Table, name: string): ArrayLike<number> {
  const v = table.getChild(name);
  if (!v) throw new Error(`The chart query returned no column "${name}".`);
  return v.toArray() as ArrayLike<number>;
}

/** A column that may hold NULL, read as NaN there. */
function nullable(table: Table, name: string): (i: number) => number {
  const v = table.getChild(name);
  if (!v) throw new Error(`The chart query returned no column "${name}".`);
  return (i) => {
    const value = v.get(i) as number | null;
    return value === null ? Number.NaN : Number(value);
  };
}

/** The smaller and larger of two ends, where NaN (no interval) counts as absent. */
const lowest = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.min(a, b));
const highest = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b));

/** The pixel columns a grid of `buckets` is drawn in at `width`: never more than its buckets. */
export function pixelColumns(buckets: number, width: number): number {
  return Math.max(1, Math.min(buckets, Math.floor(width)));
}

export function reduceM4(table: Table, buckets: number, width: number): SeriesData {
  const px = pixelColumns(buckets, width);
  const s = table.getChild('s');
  if (!s) throw new Error('The chart query returned no column "s".');
  const k = numbers(table, 'k');
  const [xf, yf, xl, yl] = ['x_first', 'y_first', 'x_last', 'y_last'].map((n) => numbers(table, n));
  const [xlo, ylo, xhi, yhi] = ['x_low', 'y_low', 'x_high', 'y_high'].map((n) => numbers(table, n));
  const banded = table.getChild('band_lo') !== null;
  const bandEnds = banded ? { lo: nullable(table, 'band_lo'), hi: nullable(table, 'band_hi') } : undefined;

  const series: { name: string; points: Point[] }[] = [];
  let name: string | undefined;
  let columns = new Map<number, Column>();
  const flush = () => {
    if (name !== undefined) series.push({ name, points: columnPoints(columns) });
    columns = new Map();
  };
  // Rows come ordered by series, then bucket: a column's first bucket is the first row seen for it.
  for (let i = 0; i < table.numRows; i++) {
    const sn = String(s.get(i));
    if (sn !== name) {
      flush();
      name = sn;
    }
    const j = Math.floor((Number(k[i]) * px) / buckets);
    const col = columns.get(j);
    const low = { x: xlo[i], y: ylo[i] };
    const high = { x: xhi[i], y: yhi[i] };
    const band: [number, number] | undefined = bandEnds ? [bandEnds.lo(i), bandEnds.hi(i)] : undefined;
    if (!col) {
      const first = { x: xf[i], y: yf[i] };
      columns.set(j, { first, last: { x: xl[i], y: yl[i] }, low, high, ...(band ? { band } : {}) });
      continue;
    }
    col.last = { x: xl[i], y: yl[i] };
    if (col.band && band) col.band = [lowest(col.band[0], band[0]), highest(col.band[1], band[1])];
    if (low.y < col.low.y || (low.y === col.low.y && low.x < col.low.x)) col.low = low;
    if (high.y > col.high.y || (high.y === col.high.y && high.x > col.high.x)) col.high = high;
  }
  flush();
  return { kind: 'series', series, cell: { dx: 0, dy: 0 } };
}

/** A column's corners in drawing order (by x, then y), each point once. */
function columnPoints(columns: Map<number, Column>): Point[] {
  const points: Point[] = [];
  for (const j of [...columns.keys()].sort((a, b) => a - b)) {
    const c = columns.get(j)!;
    const corners = [c.first, c.low, c.high, c.last].sort((a, b) => a.x - b.x || a.y - b.y);
    const band = c.band && !c.band.some(Number.isNaN) ? { band: c.band } : {};
    corners.forEach((p, i) => {
      const prev = corners[i - 1];
      if (!prev || prev.x !== p.x || prev.y !== p.y) points.push({ x: p.x, y: p.y, n: 1, ...band });
    });
  }
  return points;
}

/**
 * Draws an M4 grid result over a narrower window of x than its grid spans (a zoom, drawn at once while
 * the window's own grid is queried): the grid is reduced at the width it would have if the whole span were
 * drawn at this window's scale, so a pixel column of the window still gets the extremes of its buckets,
 * as long as there are buckets enough (a zoom of up to M4_BUCKETS_PER_PIXEL times); then what lies outside
 * the window is left out, and the points are reduced once more to the window's own pixel columns, whose
 * edges the grid's do not match, so none gets more than four. `span` is what the grid covers: its query's
 * window, or else every row.
 */
export function reduceM4Within(
  table: Table,
  buckets: number,
  xWindow: XWindow,
  width: number,
  span: XWindow | undefined = extentOfM4(table),
): SeriesData {
  const scale = span ? (span.hi - span.lo) / (xWindow.hi - xWindow.lo) : 1;
  const clipped = clipToWindow(reduceM4(table, buckets, Math.max(1, width * scale)), xWindow);
  return {
    ...clipped,
    series: clipped.series.map((s) => ({ name: s.name, points: perPixel(s.points, xWindow, width) })),
  };
}

/** M4 of points in x order over the pixel columns of a window, with the SQL's tie rules. */
function perPixel(points: Point[], w: XWindow, width: number): Point[] {
  const px = Math.max(1, Math.floor(width));
  const column = (p: Point) => Math.min(px - 1, Math.floor(((p.x as number) - w.lo) * (px / (w.hi - w.lo))));
  const out: Point[] = [];
  for (let i = 0; i < points.length;) {
    const j = column(points[i]);
    let end = i + 1;
    while (end < points.length && column(points[end]) === j) end++;
    let low = points[i];
    let high = points[i];
    for (let k = i + 1; k < end; k++) {
      const p = points[k];
      if (p.y < low.y) low = p;
      if (p.y >= high.y) high = p;
    }
    const kept = new Set([points[i], low, high, points[end - 1]]);
    for (let k = i; k < end; k++) if (kept.has(points[k])) out.push(points[k]);
    i = end;
  }
  return out;
}

/** What an M4 result's grid spans: its window, or else the smallest and largest x of its rows. */
export function m4Span(xWindow: XWindow | undefined, table: Table): XWindow | undefined {
  return xWindow ?? extentOfM4(table);
}

function extentOfM4(table: Table): XWindow | undefined {
  if (table.numRows === 0) return undefined;
  const first = numbers(table, 'x_first');
  const last = numbers(table, 'x_last');
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < table.numRows; i++) {
    lo = Math.min(lo, first[i]);
    hi = Math.max(hi, last[i]);
  }
  return lo < hi ? { lo, hi } : undefined;
}
