/**
 * One run of a chart, without React (the hook `useChartRun` gives it the engine and the state): the
 * source's columns, then the chart's SQL for the plot size, unless a kept result can draw it. A line over
 * many rows is drawn twice: first coarse, at once, marked as refining, then exact. The coarse drawing is a
 * kept result of the same lines on a coarser grid (a wider plot), or else the M4 over a sample of the rows
 * (`coarse-sql.ts`) when the source has many rows. Every query goes through `exec`, the same path as the
 * exact chart's (store, engine, guard), so a coarse drawing never shows what the role may not see.
 */
import { tableFromIPC } from 'apache-arrow';
import { buildChartQuery, type ChartQuery, type PlotSize } from '../../charts/aggregate-sql';
import { toChartData, type ChartData } from '../../charts/chart-data';
import { coarseChartQuery, drawsCoarseFirst, rowCountSql } from '../../charts/coarse-sql';
import { columnsOfSchema, type SourceColumn } from '../../charts/columns';
import { missingChoices, type ChartConfig } from '../../charts/config';
import { quoteIdent } from '../../charts/sql-text';
import type { XWindow } from '../../charts/x-window';
import type { ChartQueryOptions } from '../../contract/connector';
import type { QueryResult } from '../../contract/results';
import type { CachedChart, ChartResultCache } from './chart-result-cache';

export interface ChartRunState {
  /** `refining`: `data` is a coarse drawing and the exact one is being computed. */
  status: 'idle' | 'running' | 'refining' | 'done' | 'error';
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
  /** The window of x the data was drawn for (a zoomed line); none for the whole chart. */
  xWindow?: XWindow;
}

/** What the chart knows of its source for one source result: its columns and, once asked, its row count. */
export interface SourceHead {
  key: string;
  refresh: unknown;
  reader?: unknown;
  columns: SourceColumn[];
  rows?: number;
  /** `rows` is the count of an earlier run of the source, to be counted again. */
  estimated?: boolean;
}

/** What the source cell's own current result tells, which spares the chart asking the engine. */
export interface KnownSource {
  columns: SourceColumn[];
  /** The row count, when the result holds every row. */
  rows?: number;
}

export interface ChartRunInput {
  config: ChartConfig;
  /** Stands for the source cells' SQL: the head is reused while it and `refresh` stay the same. */
  sourcesKey: string;
  refresh: unknown;
  size: PlotSize;
  /** A new width of the chart drawn before: the engine is asked only once the size has settled. */
  resized: boolean;
  /** The source cell's current result, when it has one for its SQL as it stands. */
  known?: KnownSource;
  /** Who the chart is drawn for (the session). */
  reader?: unknown;
  /** The window of x a line is zoomed to (see x-window.ts). */
  xWindow?: XWindow;
}

export interface ChartRunMemory {
  head?: SourceHead;
  results: ChartResultCache;
}

export interface ChartRunIo {
  /** Runs a statement through the notebook store; the caller cancels it when the run is superseded. */
  exec(sql: string, options?: ChartQueryOptions): Promise<QueryResult>;
  /** False once the run is superseded (new width, config, source or role): it then changes nothing. */
  live(): boolean;
  set(next: (s: ChartRunState) => ChartRunState): void;
  /** Waits for the plot size to settle. */
  settle(): Promise<void>;
  /** Waits until what `set` gave last is on screen. */
  drawn(): Promise<void>;
}

function messageOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'message' in e)
    return String((e as { message: unknown }).message);
  return String(e);
}

export async function runChart(input: ChartRunInput, memory: ChartRunMemory, io: ChartRunIo): Promise<void> {
  const { config, sourcesKey, refresh, size, xWindow } = input;
  let coarseShown = false;
  const show = (hit: CachedChart, columns: SourceColumn[], status: 'refining' | 'done') => {
    const data = toChartData(hit.query, hit.table, size.width, xWindow);
    const { query, result, ranAt } = hit;
    const width = size.width;
    io.set(() => ({
      status,
      columns,
      query,
      data,
      result,
      ranAt,
      refresh,
      width,
      ...(xWindow ? { xWindow } : {}),
    }));
  };
  const answer = async (query: ChartQuery): Promise<CachedChart> => {
    const result = await io.exec(query.sql);
    return { query, table: tableFromIPC(result.ipc), result, ranAt: Date.now() };
  };
  try {
    let head = memory.head;
    if (!head || head.key !== sourcesKey || head.refresh !== refresh) {
      io.set((s) => ({ ...s, status: 'running' }));
      const columns =
        input.known?.columns ??
        columnsOfSchema(
          tableFromIPC(
            (await io.exec(`SELECT * FROM ${quoteIdent(config.source)} LIMIT 0`, { columnsOnly: true })).ipc,
          ).schema,
        );
      // The count of the same statement for the same reader, from the run before, stands in until the exact
      // chart is drawn, then it is counted again: it only decides whether to draw coarse first and the size of
      // the sample, and the exact chart follows anyway.
      const before = head?.key === sourcesKey && head.reader === input.reader ? head.rows : undefined;
      const rows = input.known?.rows ?? before;
      head = {
        key: sourcesKey,
        refresh,
        reader: input.reader,
        columns,
        rows,
        estimated: input.known?.rows === undefined && before !== undefined,
      };
      memory.head = head;
    }
    const columns = head.columns;
    if (!io.live()) return;
    if (missingChoices(config).length > 0) {
      io.set(() => ({ status: 'idle', columns }));
      return;
    }
    const query = buildChartQuery(config, columns, size, xWindow);
    const hit = memory.results.find(query, size.width);
    if (hit) return show(hit, columns, 'done');
    const kept = memory.results.coarser(query);
    if (kept) {
      show(kept, columns, 'refining');
      coarseShown = true;
    }
    if (input.resized) {
      await io.settle();
      if (!io.live()) return;
    }
    if (!coarseShown) {
      io.set((s) => ({ ...s, status: 'running', columns }));
      coarseShown = await drawSample(config, head, query, size.width, answer, io, (c) =>
        show(c, columns, 'refining'),
      );
      // The exact query runs on every core there is: asked at once, it would hold back the frame that
      // shows the coarse drawing.
      if (coarseShown) await io.drawn();
      if (!io.live()) return;
    }
    const exact = await answer(query);
    if (!io.live()) return;
    memory.results.add(exact);
    show(exact, columns, 'done');
    if (head.estimated) await countRows(config, head, io).catch(() => undefined);
  } catch (e) {
    if (!io.live()) return;
    // A coarse drawing left on screen would pass for the chart: it goes, and the message says why.
    const error = coarseShown ? `The exact chart failed: ${messageOf(e)}` : messageOf(e);
    io.set((s) => ({ status: 'error', columns: s.columns, error }));
  }
}

/**
 * Draws the M4 over a sample of the rows when the chart is a line over a large source; says whether it
 * drew. Its failure is not the chart's: the exact query runs next and answers for the chart.
 */
async function drawSample(
  config: ChartConfig,
  head: SourceHead,
  exact: ChartQuery,
  width: number,
  answer: (q: ChartQuery) => Promise<CachedChart>,
  io: ChartRunIo,
  show: (c: CachedChart) => void,
): Promise<boolean> {
  if (!drawsCoarseFirst(config, head.columns, Infinity)) return false;
  try {
    const rows = head.rows ?? (await countRows(config, head, io));
    const coarse = coarseChartQuery(config, head.columns, exact, width, rows);
    if (!coarse || !io.live()) return false;
    const drawn = await answer(coarse);
    if (!io.live()) return false;
    show(drawn);
    return true;
  } catch {
    return false;
  }
}

/** Counts the source's rows into `head` (see `drawsCoarseFirst`). */
async function countRows(config: ChartConfig, head: SourceHead, io: ChartRunIo): Promise<number> {
  const counted = tableFromIPC((await io.exec(rowCountSql(config, head.columns))).ipc);
  head.rows = Number(counted.getChild('n')?.get(0) ?? 0);
  head.estimated = false;
  return head.rows;
}
