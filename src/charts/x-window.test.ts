import { describe, expect, it } from 'vitest';
import { clipToWindow, extentOf, panWindow, pickedWindow, zoomWindow } from './x-window';

const full = { lo: 0, hi: 1000 };

describe('a window of a chart’s x axis', () => {
  it('zooms in around the middle, and out until it is the whole line again', () => {
    const half = zoomWindow(undefined, full, 0.5, false);
    expect(half).toEqual({ lo: 250, hi: 750 });
    expect(zoomWindow(half, full, 0.5, false)).toEqual({ lo: 375, hi: 625 });
    expect(zoomWindow(half, full, 2, false)).toBeUndefined();
    // Zooming out near an edge keeps the window inside the extent.
    expect(zoomWindow({ lo: 0, hi: 100 }, full, 2, false)).toEqual({ lo: 0, hi: 200 });
  });

  it('pans by a quarter of the window, and stops at the ends', () => {
    expect(panWindow({ lo: 400, hi: 600 }, full, 1, false)).toEqual({ lo: 450, hi: 650 });
    expect(panWindow({ lo: 400, hi: 600 }, full, -1, false)).toEqual({ lo: 350, hi: 550 });
    expect(panWindow({ lo: 880, hi: 980 }, full, 1, false)).toEqual({ lo: 900, hi: 1000 });
    expect(panWindow({ lo: 20, hi: 120 }, full, -1, false)).toEqual({ lo: 0, hi: 100 });
  });

  it('takes a picked span in either order, never narrower than a millisecond of time', () => {
    expect(pickedWindow(700, 300, full, false)).toEqual({ lo: 300, hi: 700 });
    expect(pickedWindow(-50, 2000, full, false)).toBeUndefined();
    expect(pickedWindow(500, 500.2, full, true)).toEqual({ lo: 500, hi: 501 });
  });

  it('knows the extent of a drawing and clips one to a window', () => {
    const data = {
      kind: 'series' as const,
      cell: { dx: 0, dy: 0 },
      series: [
        { name: 'a', points: [10, 20, 30].map((x) => ({ x, y: x, n: 1 })) },
        { name: 'b', points: [5, 40].map((x) => ({ x, y: x, n: 1 })) },
      ],
    };
    expect(extentOf(data)).toEqual({ lo: 5, hi: 40 });
    const clipped = clipToWindow(data, { lo: 10, hi: 30 });
    expect(clipped.series.map((s) => s.points.map((p) => p.x))).toEqual([[10, 20, 30], []]);
  });
});
