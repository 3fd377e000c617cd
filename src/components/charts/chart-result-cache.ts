import type { Table } from 'apache-arrow';
import type { ChartQuery } from '../../charts/aggregate-sql';
import { m4Span } from '../../charts/m4-reduce';
import { M4_BUCKETS_PER_PIXEL } from '../../charts/m4-sql';
import { within } from '../../charts/x-window';
import type { QueryResult } from '../../contract/results';

export interface CachedChart {
  query: ChartQuery;
  table: Table;
  result: QueryResult;
  ranAt: number;
}

/** Results kept per chart: a few widths and grids are enough to go back and forth between layouts. */
const MAX_ENTRIES = 8;

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
   * A result of the same M4 lines that draws `query` coarsely, at once, while its own grid is queried: a
   * grid too coarse for its width, or a wider window of x than the query's (a zoom or a pan, drawn from
   * the buckets of the drawing before). The finest such result is chosen; one that covers all of a window
   * before one that covers part of it.
   */
  coarser(query: ChartQuery): CachedChart | undefined {
    const lines = query.grid?.lines;
    if (lines === undefined) return undefined;
    const want = query.xWindow;
    let best: { entry: CachedChart; covers: boolean; fineness: number } | undefined;
    for (const entry of this.entries) {
      const grid = entry.query.grid;
      if (grid?.lines !== lines) continue;
      let covers = true;
      let fineness = grid.buckets;
      if (want) {
        const span = m4Span(entry.query.xWindow, entry.table);
        if (!span || span.hi < want.lo || span.lo > want.hi) continue;
        covers = within(want, span);
        fineness = grid.buckets / (span.hi - span.lo);
      } else if (entry.query.xWindow) continue;
      if (!best || (covers && !best.covers) || (covers === best.covers && fineness > best.fineness))
        best = { entry, covers, fineness };
    }
    return best?.entry;
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
