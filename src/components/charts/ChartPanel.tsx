/**
 * A chart with everything around it: it measures its width (the chart's SQL needs the pixel count), runs
 * the chart, draws it, and offers the text alternative (title, summary, data table on demand) and the
 * PNG, SVG and CSV downloads. Used by chart cells and by the read-only view.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { dataTable, toCsv, type ChartData, type DataTable } from '../../charts/chart-data';
import { withSourceFormat } from '../../charts/column-formats';
import type { ChartQuery, XAxisKind } from '../../charts/aggregate-sql';
import type { ChartConfig } from '../../charts/config';
import type { XWindow } from '../../charts/x-window';
import { chartFormatters, formatChange, type ChartFormatters } from '../../charts/format';
import type { CellSource } from '../../contract/results';
import { chartSvg, downloadBlob, fileBaseName, kpiSvg, svgToPng } from './chart-export';
import { useChartTheme } from './chart-theme';
import { ChartView, PLOT_LEFT, plotArea } from './ChartView';
import { ZoomButtons, usePlotZoom } from './ChartZoomControls';
import type { KnownSource } from './chart-run';
import { useChartRun, type ChartRunState } from './use-chart-run';
import { useChartZoom } from './use-chart-zoom';
import './charts.css';

const TYPE_NAMES: Record<ChartConfig['type'], string> = {
  line: 'Line chart',
  area: 'Area chart',
  bar: 'Bar chart',
  scatter: 'Scatter plot',
  histogram: 'Histogram',
  kpi: 'Key figure',
};

export function chartTitle(config: ChartConfig): string {
  if (config.title) return config.title;
  if (config.type === 'histogram') return `Distribution of ${config.x ?? '…'}`;
  const y = config.aggregate === 'count' ? 'Rows' : (config.y ?? '…');
  return config.x ? `${y} by ${config.x}` : y;
}

function pointCount(data: ChartData | undefined): number {
  if (!data) return 0;
  if (data.kind === 'kpi') return 1;
  if (data.kind === 'categories') return data.rows.length * data.series.length;
  return data.series.reduce((n, s) => n + s.points.length, 0);
}

/** What the caption adds while a coarse drawing stands in for the exact one. */
export const REFINING_NOTE = 'Coarse drawing: the exact chart is being computed.';

function summary(config: ChartConfig, data: ChartData | undefined): string {
  const kind = TYPE_NAMES[config.type];
  if (!data) return kind;
  if (data.kind === 'kpi') return kind;
  if (data.kind === 'categories') {
    const what = config.type === 'histogram' ? 'bins' : 'bars';
    return `${kind}: ${data.rows.length} ${what}${data.series.length > 1 ? `, ${data.series.length} series` : ''}.`;
  }
  return `${kind}: ${data.series.length} series, ${pointCount(data)} points drawn.`;
}

/** The box's width; the chart decides whether a new width needs a new query (see useChartRun). */
function chartTable(data: ChartData, config: ChartConfig, format: ChartFormatters): DataTable {
  const y = config.aggregate === 'count' || config.type === 'histogram' ? 'rows' : (config.y ?? 'value');
  return dataTable(data, { x: config.x ?? 'period', y, series: config.series }, format.x);
}

function useWidth(ref: React.RefObject<HTMLElement | null>): number | undefined {
  const [width, setWidth] = useState<number | undefined>(undefined);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/**
 * Whether the box has come near the screen once. Charts further down a notebook query only when they are
 * about to be seen: a notebook of a dozen charts would otherwise send all their queries at once whenever
 * the engine starts or the role changes, ahead of the cell the reader is looking at.
 */
function useSeen(ref: React.RefObject<HTMLElement | null>): boolean {
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || seen) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setSeen(true);
      },
      { rootMargin: SEEN_MARGIN },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, seen]);
  return seen;
}

/** How near the screen a chart must come to be drawn. */
const SEEN_MARGIN = '400px 0px';

/** What is on screen, kept while the same reader's chart is drawn again. */
interface Drawing {
  data: ChartData;
  query: ChartQuery;
  xAxis: XAxisKind;
  reader: unknown;
  xWindow?: XWindow;
}

export interface ChartPanelProps {
  config: ChartConfig;
  sources: CellSource[] | string;
  /** Changes when the source may hold new data. */
  refresh?: unknown;
  height?: number;
  /** Extra lines under the chart (e.g. the as-of date in the read-only view). */
  footer?: (state: ChartRunState) => ReactNode;
  /** Reports each run's state, e.g. so an editor can offer the source's columns. */
  onState?: (state: ChartRunState) => void;
  /** Set while the chart cannot run yet (the engine is starting); shown instead of the chart. */
  waiting?: string;
  /** Who the chart is drawn for (the session): a drawing kept while redrawing is only ever this reader's. */
  reader?: unknown;
  /** What the source cell's current result tells of the source (its columns, its rows when whole). */
  known?: KnownSource;
}

export function ChartPanel({
  config,
  sources,
  refresh,
  height = 320,
  footer,
  onState,
  waiting,
  reader,
  known,
}: ChartPanelProps) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const seen = useSeen(box);
  const theme = useChartTheme(box);
  const chartHeight = config.type === 'kpi' ? 160 : height;
  const plot = useMemo(() => (width ? plotArea(width, chartHeight) : undefined), [width, chartHeight]);
  // Keyed by the source's SQL, not the cells' list, which is new on every render of the notebook: new
  // formatters would draw the whole chart again.
  const sourceSql =
    typeof sources === 'string' ? undefined : sources.find((c) => c.name === config.source)?.sql;
  const [kept, setKept] = useState<Drawing | undefined>(undefined);
  const zoom = useChartZoom([JSON.stringify(config), sourceSql, refresh, reader], kept);
  const state = useChartRun(config, sources, waiting || !seen ? undefined : plot, refresh, {
    known,
    reader,
    xWindow: zoom.xWindow,
  });
  const [showTable, setShowTable] = useState(false);
  const title = chartTitle(config);
  const drag = usePlotZoom(zoom, { left: PLOT_LEFT, width: plot?.width ?? 1 });

  useEffect(() => onState?.(state), [state, onState]);

  const ready = state.status === 'done' && state.data !== undefined;
  const refining = state.status === 'refining' && state.data !== undefined;
  const drawn: Drawing | undefined = useMemo(
    () =>
      state.data && state.query && (ready || refining)
        ? { data: state.data, query: state.query, xAxis: state.query.xAxis, reader, xWindow: state.xWindow }
        : undefined,
    [ready, refining, state.data, state.query, reader, state.xWindow],
  );
  // While the same reader's chart is drawn again, its last drawing stays mounted, hidden: the new drawing
  // then updates it. Mounting recharts afresh with thousands of points took 130–460 ms before the first
  // frame, an update 15–20 ms. Another reader's drawing never stays, not even hidden.
  const shown = drawn ?? (state.status === 'running' && kept?.reader === reader ? kept : undefined);
  if (shown !== kept) setKept(shown);

  const shownData = shown?.data;
  const format: ChartFormatters = useMemo(() => {
    const data = shownData;
    let span: number | undefined;
    if (data && (data.kind === 'series' || data.kind === 'points')) {
      const xs = data.series.flatMap((s) => s.points.map((p) => p.x)).filter((x) => typeof x === 'number');
      if (xs.length > 0) span = Math.max(...xs) - Math.min(...xs);
    }
    return chartFormatters(withSourceFormat(config, sourceSql), shown?.xAxis === 'time', span);
  }, [config, sourceSql, shownData, shown?.xAxis]);

  // Built only when asked for (shown, or downloaded): formatting every point costs more than drawing it.
  const tableData = showTable ? state.data : undefined;
  const table = useMemo(
    () => (tableData ? chartTable(tableData, config, format) : undefined),
    [tableData, config, format],
  );

  const exportSvg = (): string | undefined => {
    if (!box.current || !state.data) return undefined;
    if (state.data.kind === 'kpi') {
      const d = state.data;
      return kpiSvg(
        title,
        format.y(d.value),
        formatChange(d.value, d.previous, config.timeUnit ?? 'month'),
        theme,
      );
    }
    return chartSvg(box.current, title, theme);
  };
  const name = fileBaseName(title);
  const downloadSvg = () => {
    const svg = exportSvg();
    if (svg) downloadBlob(`${name}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
  };
  const downloadPng = async () => {
    const svg = exportSvg();
    if (svg) downloadBlob(`${name}.png`, await svgToPng(svg));
  };
  const downloadCsv = () => {
    const table = state.data && chartTable(state.data, config, format);
    if (table) downloadBlob(`${name}.csv`, new Blob([toCsv(table)], { type: 'text/csv' }));
  };

  return (
    <figure
      className="chart-panel"
      aria-label={title}
      data-chart-type={config.type}
      data-points={ready || refining ? pointCount(state.data) : undefined}
      data-plot-width={ready || refining ? state.width : undefined}
      data-status={state.status}
    >
      <div className="chart-head">
        <h3 className="chart-title">{title}</h3>
        <div className="chart-actions">
          <ZoomButtons zoom={zoom} />
          <button
            type="button"
            onClick={() => void downloadPng()}
            disabled={!ready}
            aria-label="Download PNG"
          >
            PNG
          </button>
          <button type="button" onClick={downloadSvg} disabled={!ready} aria-label="Download SVG">
            SVG
          </button>
          <button type="button" onClick={downloadCsv} disabled={!ready} aria-label="Download CSV">
            CSV
          </button>
          <button
            type="button"
            aria-pressed={showTable}
            onClick={() => setShowTable(!showTable)}
            disabled={!ready}
          >
            {showTable ? 'Hide data table' : 'Show data table'}
          </button>
        </div>
      </div>
      <div className="chart-box" ref={box} style={{ minHeight: chartHeight }}>
        {shown && width !== undefined && (
          <div
            className={drag.picking ? 'chart-plot picking' : 'chart-plot'}
            style={drawn ? undefined : { visibility: 'hidden' }}
            aria-hidden={drawn ? undefined : true}
            {...drag.handlers}
          >
            <ChartView
              config={config}
              data={shown.data}
              xAxis={shown.xAxis}
              width={width}
              height={chartHeight}
              theme={theme}
              format={format}
              xWindow={shown.xWindow}
            />
            {drag.band}
          </div>
        )}
        {state.status === 'running' && <p className="chart-status">Drawing…</p>}
        {refining && (
          <p className="chart-status chart-refining" role="status">
            Refining…
          </p>
        )}
        {state.status === 'error' && (
          <p className="chart-error" role="alert">
            {state.error}
          </p>
        )}
        {ready && pointCount(state.data) === 0 && (
          <p className="chart-status">No rows to draw: the source has none that this role may see.</p>
        )}
        {waiting && <p className="chart-status">{waiting}</p>}
        {!waiting && !seen && <p className="chart-status">Drawn when scrolled into view.</p>}
        {!waiting && seen && state.status === 'idle' && !ready && (
          <p className="chart-status">Choose what to draw.</p>
        )}
      </div>
      <figcaption className="chart-caption">
        {summary(config, state.data)}
        {state.xWindow && ` Zoomed to ${format.x(state.xWindow.lo)} – ${format.x(state.xWindow.hi)}.`}
        {refining && ` ${REFINING_NOTE}`}
        {footer?.(state)}
      </figcaption>
      {showTable && table && (
        <div className="chart-table-wrap">
          <table className="chart-table">
            <caption>Data of “{title}”</caption>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((v, j) => (
                    <td key={j} className={typeof v === 'number' ? 'num' : undefined}>
                      {typeof v === 'number' ? format.y(v) : (v ?? '–')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  );
}
