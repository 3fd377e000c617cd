import type { Table } from 'apache-arrow';
import type { ChartQuery } from '../../charts/aggregate-sql';
import { M4_BUCKETS_PER_PIXEL } from '../../charts/m4-sql';
import type { QueryResult } from '../../contract/results';

export interface CachedChart {
  query: ChartQuery;
  table: Table;
  result: QueryResult;
  ranAt: number;
}

/** Results kept per chart: a few widths and grids are enough to go back and forth between layouts. */
const MAX_ENTRIES = 6;

/**
 * A chart's recent results, so a new width does not query the engine again when an earlier result can draw
 * it: the same SQL (bars and scatter plots depend on the width), or an M4 grid of the same lines with at
 * least M4_BUCKETS_PER_PIXEL buckets per pixel column of the new width. Everything is dropped when the
 * source may hold other rows (`scope`): a result is never shown for data it was not computed from.
 */
export class ChartResultCache {
  private entries: CachedChart[] = [];
  private scopeKey: unknown[] = [];

  /** Keeps the entries only while every part of `key` is the same (identity) as last time. */
  scope(key: unknown[]): void {
    if (key.length !== this.scopeKey.length || key.some((k, i) => k !== this.scopeKey[i])) {
      this.entries = [];
      this.scopeKey = key;
    }
  }

  /** An earlier result that draws `query` at `width`, most recent first. */
  find(query: ChartQuery, width: number): CachedChart | undefined {
    const i = this.entries.findIndex((e) => e.query.sql === query.sql || covers(e.query, query, width));
    if (i < 0) return undefined;
    const [hit] = this.entries.splice(i, 1);
    this.entries.unshift(hit);
    return hit;
  }

  /**
   * A result of the same M4 lines on a grid too coarse for `query`'s width: drawn at once as a coarse
   * picture of every row while the finer grid is queried. The finest such grid is chosen.
   */
  coarser(query: ChartQuery): CachedChart | undefined {
    const key = query.grid?.key;
    if (key === undefined) return undefined;
    let best: CachedChart | undefined;
    for (const e of this.entries)
      if (e.query.grid?.key === key && (!best || e.query.grid.buckets > best.query.grid!.buckets)) best = e;
    return best;
  }

  /** Keeps an exact result; a coarse one is never kept (it would be drawn as if exact). */
  add(entry: CachedChart): void {
    if (entry.query.coarse) return;
    this.entries = [entry, ...this.entries.filter((e) => e.query.sql !== entry.query.sql)].slice(
      0,
      MAX_ENTRIES,
    );
  }
}

function covers(cached: ChartQuery, wanted: ChartQuery, width: number): boolean {
  const a = cached.grid;
  const b = wanted.grid;
  return a !== undefined && b !== undefined && a.key === b.key && a.buckets >= width * M4_BUCKETS_PER_PIXEL;
}
