import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import type { ChartQuery } from '../../charts/aggregate-sql';
import type { QueryResult } from '../../contract/results';
import { ChartResultCache, type CachedChart } from './chart-result-cache';

const m4 = (key: string, buckets: number): ChartQuery => ({
  sql: `${key} grid ${buckets}`,
  shape: 'm4',
  xAxis: 'time',
  grid: { key, buckets, lines: key },
});
/** The same lines zoomed to a window: its own grid, the same `lines`. */
const zoomed = (lines: string, buckets: number, lo: number, hi: number): ChartQuery => ({
  sql: `${lines} grid ${buckets} from ${lo} to ${hi}`,
  shape: 'm4',
  xAxis: 'number',
  grid: { key: `${lines} ${lo} ${hi}`, buckets, lines },
  xWindow: { lo, hi },
});
/** A kept M4 answer whose rows span x from lo to hi. */
const spanning = (query: ChartQuery, lo: number, hi: number): CachedChart => ({
  ...entry(query),
  table: tableFromArrays({ x_first: Float64Array.from([lo]), x_last: Float64Array.from([hi]) }),
});
const bars = (width: number): ChartQuery => ({ sql: `bars ${width}`, shape: 'bars', xAxis: 'time' });
const entry = (query: ChartQuery): CachedChart => ({
  query,
  table: tableFromArrays({ k: Int32Array.from([0]) }),
  result: {} as QueryResult,
  ranAt: 0,
});

describe('chart results kept across widths', () => {
  it('draws a narrower width from an M4 grid with at least 8 buckets per pixel column, of the same lines only', () => {
    const cache = new ChartResultCache();
    cache.scope(['cells', 1]);
    cache.add(entry(m4('lines', 8192)));
    expect(cache.find(m4('lines', 4096), 512)?.query.grid?.buckets).toBe(8192);
    expect(cache.find(m4('lines', 8192), 1024)?.query.grid?.buckets).toBe(8192);
    expect(cache.find(m4('lines', 16384), 1025)).toBeUndefined();
    expect(cache.find(m4('other lines', 4096), 512)).toBeUndefined();
  });

  it('reuses other charts only for the very same SQL', () => {
    const cache = new ChartResultCache();
    cache.scope(['cells', 1]);
    cache.add(entry(bars(600)));
    expect(cache.find(bars(600), 600)).toBeDefined();
    expect(cache.find(bars(599), 599)).toBeUndefined();
  });

  it('forgets everything when the source may hold other rows', () => {
    const cache = new ChartResultCache();
    const refresh = {};
    cache.scope(['cells', refresh]);
    cache.add(entry(bars(600)));
    cache.scope(['cells', refresh]);
    expect(cache.find(bars(600), 600)).toBeDefined();
    cache.scope(['cells', {}]);
    expect(cache.find(bars(600), 600)).toBeUndefined();
    cache.add(entry(bars(600)));
    cache.scope(['other cells', refresh]);
    expect(cache.find(bars(600), 600)).toBeUndefined();
  });

  it('offers the finest kept grid of the same lines as a coarse drawing, and never keeps a coarse result', () => {
    const cache = new ChartResultCache();
    cache.scope(['cells', 1]);
    cache.add(entry(m4('lines', 1024)));
    cache.add(entry(m4('lines', 4096)));
    cache.add(entry(m4('other lines', 65536)));
    expect(cache.find(m4('lines', 16384), 2000)).toBeUndefined();
    expect(cache.coarser(m4('lines', 16384))?.query.grid?.buckets).toBe(4096);
    expect(cache.coarser(m4('more lines', 16384))).toBeUndefined();
    expect(cache.coarser(bars(600))).toBeUndefined();
    cache.add(entry({ ...m4('sampled', 16384), coarse: true }));
    expect(cache.find(m4('sampled', 16384), 2000)).toBeUndefined();
    expect(cache.coarser(m4('sampled', 16384))).toBeUndefined();
  });

  it('keeps the most recently used few', () => {
    const cache = new ChartResultCache();
    cache.scope(['cells', 1]);
    for (let w = 100; w < 109; w++) cache.add(entry(bars(w)));
    expect(cache.find(bars(100), 100)).toBeUndefined();
    expect(cache.find(bars(101), 101)).toBeDefined();
    cache.add(entry(bars(200)));
    // 101 was used last, so 102 is the one that goes.
    expect(cache.find(bars(101), 101)).toBeDefined();
    expect(cache.find(bars(102), 102)).toBeUndefined();
  });

  it('draws a zoom or a pan from the finest kept drawing of a wider window of the same lines', () => {
    const cache = new ChartResultCache();
    cache.scope(['cells', 1]);
    const whole = spanning(m4('lines', 4096), 0, 1000);
    cache.add(whole);
    cache.add(spanning(m4('other lines', 65536), 0, 1000));
    // Zoomed in: the whole line draws the window at once.
    expect(cache.coarser(zoomed('lines', 4096, 100, 200))).toBe(whole);
    // A zoom further in prefers the zoomed drawing, whose buckets are finer over the window.
    const tenth = spanning(zoomed('lines', 4096, 100, 200), 100, 200);
    cache.add(tenth);
    expect(cache.coarser(zoomed('lines', 4096, 120, 140))).toBe(tenth);
    // A pan beyond the zoomed drawing: the whole line covers all of it, the zoomed one only part.
    expect(cache.coarser(zoomed('lines', 4096, 150, 250))).toBe(whole);
    // A zoomed drawing never stands for the whole line, whatever its grid.
    cache.add(spanning(zoomed('lines', 65536, 0, 999), 0, 999));
    expect(cache.coarser(m4('lines', 16384))).toBe(whole);
    // Only what overlaps the window is drawn from.
    const right = new ChartResultCache();
    right.scope(['cells', 1]);
    right.add(spanning(zoomed('lines', 4096, 800, 900), 800, 900));
    expect(right.coarser(zoomed('lines', 4096, 100, 200))).toBeUndefined();
    expect(right.coarser(zoomed('lines', 4096, 850, 950))?.query.xWindow).toEqual({ lo: 800, hi: 900 });
  });
});
