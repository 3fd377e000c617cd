/**
 * Runs a chart: first the source's columns (`SELECT * FROM source LIMIT 0`, once per source), then the
 * chart's own aggregating SQL for the current plot size, unless a kept result can draw that size. Both go
 * through the engine like any cell, so the guard checks them and the role's view bounds what they can see.
 */
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { tableFromIPC } from 'apache-arrow';
import { buildChartQuery, type ChartQuery, type PlotSize } from '../../charts/aggregate-sql';
import { toChartData, type ChartData } from '../../charts/chart-data';
import { columnsOfSchema, type SourceColumn } from '../../charts/columns';
import { missingChoices, type ChartConfig } from '../../charts/config';
import { quoteIdent } from '../../charts/sql-text';
import { ChartResultCache, type CachedChart } from './chart-result-cache';
import type { RunningQuery } from '../../contract/connector';
import type { CellSource, QueryResult } from '../../contract/results';

export type ChartRunner = (sql: string, cells: CellSource[]) => RunningQuery;

/** How charts reach the engine: the notebook store's `queryForChart`, as the page provides it. */
export const ChartRunnerContext = createContext<ChartRunner | null>(null);

export function useChartRunner(): ChartRunner {
  const runner = useContext(ChartRunnerContext);
  if (!runner) throw new Error('useChartRunner outside <ChartRunnerContext>');
  return runner;
}

export interface ChartRunState {
  status: 'idle' | 'running' | 'done' | 'error';
  columns?: SourceColumn[];
  query?: ChartQuery;
  data?: ChartData;
  result?: QueryResult;
  error?: string;
  /** When the data was drawn (ms since epoch). */
  ranAt?: number;
  /** The `refresh` value the data was drawn for. */
  refresh?: unknown;
  /** The plot width the data was drawn for. */
  width?: number;
}

function messageOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'message' in e)
    return String((e as { message: unknown }).message);
  return String(e);
}

/** A resize that the kept results cannot draw waits this long for the size to settle before querying. */
const RESIZE_SETTLE_MS = 150;

/**
 * `refresh` changes whenever the source may have new data (it ran again, the role changed); `size` is the
 * plot area, undefined until measured. A new size is drawn at once from a kept result when one can draw it
 * (see ChartResultCache); otherwise the chart queries again once the size has settled.
 */
export function useChartRun(
  config: ChartConfig,
  sources: CellSource[] | string,
  size: PlotSize | undefined,
  refresh: unknown,
): ChartRunState {
  const run = useChartRunner();
  const [state, setState] = useState<ChartRunState>({ status: 'idle' });
  const columnsCache = useRef<{ key: string; refresh: unknown; columns: SourceColumn[] } | undefined>(
    undefined,
  );
  const results = useRef(new ChartResultCache());
  const lastRun = useRef<unknown[] | undefined>(undefined);
  const sourcesKey = typeof sources === 'string' ? sources : JSON.stringify(sources);
  const configKey = JSON.stringify(config);
  const width = size?.width;
  const height = size?.height;

  useEffect(() => {
    if (typeof sources === 'string') {
      setState({ status: config.source ? 'error' : 'idle', error: config.source ? sources : undefined });
      return;
    }
    // While the chart cannot run (e.g. the engine loads another role's data) it shows nothing old.
    if (width === undefined || height === undefined) {
      setState((s) => (s.status === 'done' ? { status: 'idle', columns: s.columns } : s));
      return;
    }
    results.current.scope([sourcesKey, refresh]);
    // Only a new width of the same chart waits to settle; a new chart or source queries at once.
    const sameChart = [configKey, sourcesKey, refresh, height];
    const before = lastRun.current;
    const resized = before !== undefined && before.every((k, i) => k === sameChart[i]);
    lastRun.current = sameChart;
    let live = true;
    let current: RunningQuery | undefined;
    let settle: ReturnType<typeof setTimeout> | undefined;
    const exec = async (sql: string): Promise<QueryResult> => {
      current = run(sql, sources);
      return current.result;
    };
    const show = (hit: CachedChart, columns: SourceColumn[]) => {
      const data = toChartData(hit.query, hit.table, width);
      const { query, result, ranAt } = hit;
      setState({ status: 'done', columns, query, data, result, ranAt, refresh, width });
    };
    void (async () => {
      try {
        let columns: SourceColumn[];
        const cached = columnsCache.current;
        if (cached && cached.key === sourcesKey && cached.refresh === refresh) columns = cached.columns;
        else {
          setState((s) => ({ ...s, status: 'running' }));
          const head = await exec(`SELECT * FROM ${quoteIdent(config.source)} LIMIT 0`);
          columns = columnsOfSchema(tableFromIPC(head.ipc).schema);
          columnsCache.current = { key: sourcesKey, refresh, columns };
        }
        if (!live) return;
        if (missingChoices(config).length > 0) {
          setState({ status: 'idle', columns });
          return;
        }
        const query = buildChartQuery(config, columns, { width, height });
        const hit = results.current.find(query, width);
        if (hit) return show(hit, columns);
        if (resized) {
          await new Promise((resolve) => (settle = setTimeout(resolve, RESIZE_SETTLE_MS)));
          if (!live) return;
        }
        setState((s) => ({ ...s, status: 'running', columns }));
        const result = await exec(query.sql);
        if (!live) return;
        const entry = { query, table: tableFromIPC(result.ipc), result, ranAt: Date.now() };
        results.current.add(entry);
        show(entry, columns);
      } catch (e) {
        if (live) setState((s) => ({ status: 'error', columns: s.columns, error: messageOf(e) }));
      }
    })();
    return () => {
      live = false;
      clearTimeout(settle);
      current?.cancel();
    };
    // configKey and sourcesKey stand for config and sources, whose identities change on every render.
  }, [configKey, sourcesKey, width, height, refresh, run]);

  // Data drawn for an earlier source result or role is never shown as current, not even for one render.
  return state.status === 'done' && state.refresh !== refresh
    ? { status: 'running', columns: state.columns }
    : state;
}
