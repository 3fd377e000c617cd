/**
 * The zoom of one chart: the window of x that a line over a continuous axis is drawn for, inside the full
 * extent learnt from its unzoomed drawing (see x-window.ts). It is the reader's view, not part of the
 * notebook: a new config, source SQL, source run or role shows the whole chart again.
 */
import { useCallback, useMemo, useState } from 'react';
import type { ChartQuery } from '../../charts/aggregate-sql';
import type { ChartData } from '../../charts/chart-data';
import {
  extentOf,
  panWindow,
  pickedWindow,
  zoomWindow,
  ZOOM_STEP,
  type XWindow,
} from '../../charts/x-window';

export interface ChartZoom {
  /** The window to draw, or undefined for the whole chart. */
  xWindow?: XWindow;
  /** What the axis spans now: the window, or the whole extent; undefined when the chart cannot zoom. */
  domain?: XWindow;
  /** The whole line's extent. */
  full?: XWindow;
  zoomIn(): void;
  zoomOut(): void;
  pan(steps: number): void;
  pick(a: number, b: number): void;
  reset(): void;
}

interface ZoomState {
  keys: unknown[];
  full?: XWindow;
  xWindow?: XWindow;
}

/** What is on screen: a chart's data, its query, and the window it was drawn for. */
export interface ZoomDrawing {
  data: ChartData;
  query?: ChartQuery;
  xWindow?: XWindow;
}

const same = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((k, i) => k === b[i]);

/** `keys` name the chart as drawn (config, source SQL, source run, reader): the zoom holds while they do. */
export function useChartZoom(keys: unknown[], drawing: ZoomDrawing | undefined): ChartZoom {
  const [state, setState] = useState<ZoomState>({ keys });
  const current = same(state.keys, keys) ? state : { keys };
  // The full extent is that of a drawing of the whole line: a zoomed one only shows part of it.
  const whole =
    drawing && !drawing.xWindow && drawing.query?.shape === 'm4' && drawing.data.kind === 'series'
      ? extentOf(drawing.data)
      : undefined;
  const learnt =
    whole && (whole.lo !== current.full?.lo || whole.hi !== current.full?.hi) ? whole : undefined;
  const full = learnt ?? current.full;
  if (current !== state || learnt) setState({ ...current, full });
  const time = drawing?.query?.xAxis === 'time';

  const change = useCallback(
    (next: (w: XWindow | undefined, full: XWindow) => XWindow | undefined) =>
      setState((s) => (s.full ? { ...s, xWindow: next(s.xWindow, s.full) } : s)),
    [],
  );
  const xWindow = current.xWindow;
  return useMemo(
    () => ({
      xWindow,
      domain: full ? (xWindow ?? full) : undefined,
      full,
      zoomIn: () => change((w, f) => zoomWindow(w, f, ZOOM_STEP, time)),
      zoomOut: () => change((w, f) => w && zoomWindow(w, f, 1 / ZOOM_STEP, time)),
      pan: (steps: number) => change((w, f) => w && panWindow(w, f, steps, time)),
      pick: (a: number, b: number) => change((_, f) => pickedWindow(a, b, f, time)),
      reset: () => change(() => undefined),
    }),
    [xWindow, full, time, change],
  );
}
