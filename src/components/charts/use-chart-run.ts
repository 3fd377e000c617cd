/**
 * Runs a chart in a component: `runChart` (chart-run.ts) with the notebook store's engine, once per plot
 * size, config, source and role; a run that is superseded is cancelled. Every query goes through the engine
 * like any cell, so the guard checks it and the role's view bounds what it can see.
 */
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import type { PlotSize } from '../../charts/aggregate-sql';
import type { ChartConfig } from '../../charts/config';
import type { XWindow } from '../../charts/x-window';
import { ChartResultCache } from './chart-result-cache';
import { runChart, type ChartRunMemory, type ChartRunState, type KnownSource } from './chart-run';
import type { ChartQueryOptions, RunningQuery } from '../../contract/connector';
import type { CellSource } from '../../contract/results';

export type { ChartRunState } from './chart-run';

export type ChartRunner = (sql: string, cells: CellSource[], options?: ChartQueryOptions) => RunningQuery;

/** How charts reach the engine: the notebook store's `queryForChart`, as the page provides it. */
export const ChartRunnerContext = createContext<ChartRunner | null>(null);

export function useChartRunner(): ChartRunner {
  const runner = useContext(ChartRunnerContext);
  if (!runner) throw new Error('useChartRunner outside <ChartRunnerContext>');
  return runner;
}

/** How long the exact chart waits, at most, for the coarse drawing to be painted before it is asked for. */
const DRAWN_AT_THE_LATEST_MS = 250;

/** A resize that the kept results cannot draw waits this long for the size to settle before querying. */
const RESIZE_SETTLE_MS = 150;

/**
 * `refresh` changes whenever the source may have new data (it ran again, the role changed); `size` is the
 * plot area, undefined until measured. A new size is drawn at once from a kept result when one can draw it
 * (see ChartResultCache); otherwise the chart queries again once the size has settled, showing meanwhile a
 * coarse drawing when it has one (see chart-run.ts).
 */
export function useChartRun(
  config: ChartConfig,
  sources: CellSource[] | string,
  size: PlotSize | undefined,
  refresh: unknown,
  source: { known?: KnownSource; reader?: unknown; xWindow?: XWindow } = {},
): ChartRunState {
  const run = useChartRunner();
  const [state, setState] = useState<ChartRunState>({ status: 'idle' });
  const memory = useRef<ChartRunMemory>({ results: new ChartResultCache() });
  const lastRun = useRef<unknown[] | undefined>(undefined);
  const sourcesKey = typeof sources === 'string' ? sources : JSON.stringify(sources);
  const configKey = JSON.stringify(config);
  const width = size?.width;
  const height = size?.height;
  const lo = source.xWindow?.lo;
  const hi = source.xWindow?.hi;

  useEffect(() => {
    if (typeof sources === 'string') {
      setState({ status: config.source ? 'error' : 'idle', error: config.source ? sources : undefined });
      return;
    }
    // While the chart cannot run (e.g. the engine loads another role's data) it shows nothing old.
    if (width === undefined || height === undefined) {
      setState((s) => (s.data ? { status: 'idle', columns: s.columns } : s));
      return;
    }
    memory.current.results.scope([sourcesKey, refresh]);
    // Only a new width of the same chart waits to settle; a new chart, source or window queries at once.
    const sameChart = [configKey, sourcesKey, refresh, height, lo, hi];
    const before = lastRun.current;
    const resized = before !== undefined && before.every((k, i) => k === sameChart[i]);
    lastRun.current = sameChart;
    let live = true;
    let current: RunningQuery | undefined;
    let settle: ReturnType<typeof setTimeout> | undefined;
    const xWindow = lo !== undefined && hi !== undefined ? { lo, hi } : undefined;
    const input = { config, sourcesKey, refresh, size: { width, height }, resized, ...source, xWindow };
    void runChart(input, memory.current, {
      exec: (sql, options) => {
        current = run(sql, sources, options);
        return current.result;
      },
      live: () => live,
      set: setState,
      settle: () => new Promise((resolve) => (settle = setTimeout(resolve, RESIZE_SETTLE_MS))),
      // A task queued in a frame's animation callbacks runs once that frame has been painted. A hidden
      // tab paints no frame: the timer makes sure the exact chart is asked for all the same.
      drawn: () =>
        new Promise((resolve) => {
          requestAnimationFrame(() => setTimeout(resolve, 0));
          setTimeout(resolve, DRAWN_AT_THE_LATEST_MS);
        }),
    });
    return () => {
      live = false;
      clearTimeout(settle);
      current?.cancel();
    };
    // configKey and sourcesKey stand for config and sources, whose identities change on every render.
    // `source` follows them: its result is the one `refresh` names, for the SQL `sourcesKey` names (an
    // edit marks it stale in the same update, which drops `known`), and its reader is `refresh`'s session.
    // `lo` and `hi` stand for the window.
  }, [configKey, sourcesKey, width, height, refresh, run, lo, hi]);

  // Data drawn for an earlier source result or role is never shown as current, not even for one render.
  return state.data !== undefined && state.refresh !== refresh
    ? { status: 'running', columns: state.columns }
    : state;
}
