/**
 * How a reader zooms a line: buttons (keyboard and pointer alike); with the plot focused, keys (+ and -,
 * Shift with an arrow to pan, 0 for the whole line: plain arrows move the plot's tooltip); and with a
 * pointer, a drag across the plot to pick a window and a double click to show the whole line again.
 */
import { useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { ChartZoom } from './use-chart-zoom';

export function ZoomButtons({ zoom }: { zoom: ChartZoom }) {
  const { domain, full, xWindow } = zoom;
  if (!domain || !full) return null;
  return (
    <div className="chart-zoom" role="group" aria-label="Zoom">
      <button type="button" aria-label="Zoom in" title="Zoom in (+)" onClick={zoom.zoomIn}>
        +
      </button>
      <button
        type="button"
        aria-label="Zoom out"
        title="Zoom out (-)"
        disabled={!xWindow}
        onClick={zoom.zoomOut}
      >
        −
      </button>
      <button
        type="button"
        aria-label="Pan left"
        title="Pan left (Shift+←)"
        disabled={!xWindow || xWindow.lo <= full.lo}
        onClick={() => zoom.pan(-1)}
      >
        ←
      </button>
      <button
        type="button"
        aria-label="Pan right"
        title="Pan right (Shift+→)"
        disabled={!xWindow || xWindow.hi >= full.hi}
        onClick={() => zoom.pan(1)}
      >
        →
      </button>
      <button type="button" title="Show the whole line (0)" disabled={!xWindow} onClick={zoom.reset}>
        Reset zoom
      </button>
    </div>
  );
}

/** What a key pressed on the focused plot does to its zoom, if anything. */
function zoomKey(e: KeyboardEvent<HTMLElement>, zoom: ChartZoom): (() => void) | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  if (e.key === '+' || e.key === '=') return zoom.zoomIn;
  if (e.key === '-') return zoom.zoomOut;
  if (e.key === '0') return zoom.reset;
  if (e.shiftKey && e.key === 'ArrowLeft') return () => zoom.pan(-1);
  if (e.shiftKey && e.key === 'ArrowRight') return () => zoom.pan(1);
  return undefined;
}

/** A drag shorter than this is a click, not a window. */
const MIN_PICK_PX = 4;

/**
 * Pointer and key handlers for the plot's box, and the band they draw while a window is picked. `plot` is
 * where the plot area lies in the box, in pixels from its left edge.
 */
export function usePlotZoom(zoom: ChartZoom, plot: { left: number; width: number }) {
  const [pick, setPick] = useState<{ from: number; to: number } | undefined>(undefined);
  const { domain } = zoom;
  const offset = (e: PointerEvent<HTMLElement>) => {
    const px = e.clientX - e.currentTarget.getBoundingClientRect().left;
    return Math.min(plot.left + plot.width, Math.max(plot.left, px));
  };
  const handlers = domain
    ? {
        onPointerDown: (e: PointerEvent<HTMLElement>) => {
          if (e.button !== 0 || e.pointerType === 'touch') return;
          e.currentTarget.setPointerCapture(e.pointerId);
          const px = offset(e);
          setPick({ from: px, to: px });
        },
        onPointerMove: (e: PointerEvent<HTMLElement>) => {
          if (pick) setPick({ ...pick, to: offset(e) });
        },
        onPointerUp: () => {
          const toX = (px: number) => domain.lo + ((px - plot.left) / plot.width) * (domain.hi - domain.lo);
          if (pick && Math.abs(pick.to - pick.from) >= MIN_PICK_PX) zoom.pick(toX(pick.from), toX(pick.to));
          setPick(undefined);
        },
        onPointerCancel: () => setPick(undefined),
        onDoubleClick: zoom.reset,
        onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
          const act = zoomKey(e, zoom);
          if (!act) return;
          e.preventDefault();
          act();
        },
      }
    : {};
  const band = pick && Math.abs(pick.to - pick.from) >= MIN_PICK_PX && (
    <div
      className="chart-pick"
      aria-hidden
      style={{ left: Math.min(pick.from, pick.to), width: Math.abs(pick.to - pick.from) }}
    />
  );
  return { handlers, band, picking: pick !== undefined };
}
