import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import type { ChartQuery } from '../../charts/aggregate-sql';
import type { QueryResult } from '../../contract/results';
import { ChartResultCache, type CachedChart } from './chart-result-cache';

const m4 = (key: string, buckets: number): ChartQuery => ({
  sql: `${key} grid ${buckets}`,
  shape: 'm4',
  xAxis: 'time',
  grid: { key, buckets },
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
    for (let w = 100; w < 107; w++) cache.add(entry(bars(w)));
    expect(cache.find(bars(100), 100)).toBeUndefined();
    expect(cache.find(bars(101), 101)).toBeDefined();
    cache.add(entry(bars(200)));
    // 101 was used last, so 102 is the one that goes.
    expect(cache.find(bars(101), 101)).toBeDefined();
    expect(cache.find(bars(102), 102)).toBeUndefined();
  });
});
