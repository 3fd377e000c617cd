import type { SeriesData } from './series';

/**
 * Zooming and panning a line over a continuous x: the chart shows a window of its x axis (epoch
 * milliseconds on a time axis), always inside the full extent of its rows. A window that covers the
 * whole extent is no window: the chart is then drawn as it is without one.
 */

/** A span of the x axis, lo < hi, in the axis' units. */
export interface XWindow {
  lo: number;
  hi: number;
}

/** Each zoom step shows this share of the window before it (or the inverse, zooming out). */
export const ZOOM_STEP = 0.5;
/** Each pan step moves the window by this share of its span. */
export const PAN_STEP = 0.25;
/** A window is never narrower than this share of the full extent (nor than 1 ms on a time axis). */
const MIN_SHARE = 1e-7;

const span = (w: XWindow) => w.hi - w.lo;

/** The window inside `full`, or undefined when it covers all of it. */
function fitted(lo: number, hi: number, full: XWindow, time: boolean): XWindow | undefined {
  const width = Math.min(span(full), Math.max(hi - lo, span(full) * MIN_SHARE, time ? 1 : 0));
  if (width >= span(full)) return undefined;
  const start = Math.min(Math.max(lo, full.lo), full.hi - width);
  return { lo: start, hi: start + width };
}

/** Zooms by `factor` (< 1 in, > 1 out) around the window's middle. */
export function zoomWindow(
  view: XWindow | undefined,
  full: XWindow,
  factor: number,
  time: boolean,
): XWindow | undefined {
  const w = view ?? full;
  const middle = (w.lo + w.hi) / 2;
  const width = span(w) * factor;
  return fitted(middle - width / 2, middle + width / 2, full, time);
}

/** Moves the window by `steps` of PAN_STEP of its span (negative: towards smaller x). */
export function panWindow(view: XWindow, full: XWindow, steps: number, time: boolean): XWindow | undefined {
  const by = span(view) * PAN_STEP * steps;
  return fitted(view.lo + by, view.hi + by, full, time);
}

/** The window between two x values picked on the plot (in either order). */
export function pickedWindow(a: number, b: number, full: XWindow, time: boolean): XWindow | undefined {
  return fitted(Math.min(a, b), Math.max(a, b), full, time);
}

/** The smallest and largest x of the drawn points, or undefined without two distinct ones. */
export function extentOf(data: SeriesData): XWindow | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of data.series)
    for (const p of s.points) {
      if (typeof p.x !== 'number') return undefined;
      lo = Math.min(lo, p.x);
      hi = Math.max(hi, p.x);
    }
  return lo < hi ? { lo, hi } : undefined;
}

/** The points inside the window; the line's part outside it is not drawn. */
export function clipToWindow(data: SeriesData, w: XWindow): SeriesData {
  return {
    ...data,
    series: data.series.map((s) => ({
      name: s.name,
      points: s.points.filter((p) => typeof p.x === 'number' && p.x >= w.lo && p.x <= w.hi),
    })),
  };
}

/** Whether `inner` lies within `outer`. */
export function within(inner: XWindow, outer: XWindow): boolean {
  return inner.lo >= outer.lo && inner.hi <= outer.hi;
}
