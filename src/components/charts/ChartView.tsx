/**
 * Draws a chart from its aggregated data with recharts. The data is already reduced to a few points per
 * pixel column by DuckDB, so every mark here is cheap; animation is off so a redraw is immediate.
 */
import { memo, type ReactNode } from 'react';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { PlotSize, XAxisKind } from '../../charts/aggregate-sql';
import {
  intervalKeys,
  seriesLabel,
  type CategoryData,
  type ChartData,
  type KpiData,
  type SeriesData,
} from '../../charts/chart-data';
import type { ChartConfig } from '../../charts/config';
import { formatChange, type ChartFormatters } from '../../charts/format';
import { categoryTicks, markPosition } from '../../charts/marks';
import type { XWindow } from '../../charts/x-window';
import type { ChartTheme } from './chart-theme';

const Y_AXIS_WIDTH = 72;
const MARGIN = { top: 12, right: 20, bottom: 8, left: 8 };
const LEGEND_HEIGHT = 28;

/** Where the plot area starts from the chart's left edge. */
export const PLOT_LEFT = MARGIN.left + Y_AXIS_WIDTH;

/** The plot area inside a chart of this size: what the chart's SQL buckets by. */
export function plotArea(width: number, height: number): PlotSize {
  return {
    width: Math.max(1, Math.floor(width - Y_AXIS_WIDTH - MARGIN.left - MARGIN.right)),
    height: Math.max(1, Math.floor(height - MARGIN.top - MARGIN.bottom - 40 - LEGEND_HEIGHT)),
  };
}

export interface ChartViewProps {
  config: ChartConfig;
  data: ChartData;
  xAxis: XAxisKind;
  width: number;
  height: number;
  theme: ChartTheme;
  format: ChartFormatters;
  /** A zoomed line's window: the x axis spans it exactly. */
  xWindow?: XWindow;
}

/**
 * Drawn again only when one of its props changes: recharts lays out every point on each render, which
 * for a line of thousands of points takes a tenth of a second, and the notebook around a chart renders
 * on every status change of any cell.
 */
export const ChartView = memo(function ChartView(props: ChartViewProps) {
  const { data } = props;
  if (data.kind === 'kpi') return <Kpi {...props} data={data} />;
  if (data.kind === 'categories')
    return <Bars {...props} rows={data.rows} series={data.series} intervals={data.intervals === true} />;
  return <Marks {...props} data={data} />;
});

/** The config's reference lines, each with its label; a mark that cannot sit on its axis is left out. */
function marks(props: ChartViewProps) {
  const { config, theme, xAxis } = props;
  return config.marks.flatMap((mark, i) => {
    const at = markPosition(mark, xAxis);
    if (at === undefined) return [];
    const label = mark.label
      ? { value: mark.label, position: 'insideTopLeft' as const, fill: theme.text, fontSize: 11 }
      : undefined;
    return [
      <ReferenceLine
        key={`mark-${i}`}
        {...(mark.axis === 'x' ? { x: at } : { y: at })}
        stroke={theme.text}
        strokeDasharray="4 3"
        ifOverflow="extendDomain"
        label={label}
      />,
    ];
  });
}

function axes(
  props: ChartViewProps,
  xType: 'number' | 'category',
  xDomain?: [string, string] | [number, number],
  yKey?: string,
  categories: readonly string[] = [],
) {
  const { config, theme, format } = props;
  const tick = { fill: theme.text, fontSize: 12 };
  const turned =
    xType === 'category'
      ? categoryTicks(
          categories.map((c) => format.x(c)),
          props.width - Y_AXIS_WIDTH,
        )
      : { angle: 0, height: 30 };
  return [
    <CartesianGrid key="grid" stroke={theme.grid} strokeDasharray="3 3" />,
    <XAxis
      key="x"
      dataKey="x"
      type={xType}
      domain={xDomain}
      allowDataOverflow={props.xWindow !== undefined}
      allowDuplicatedCategory={false}
      tickFormatter={(v) => format.x(v)}
      stroke={theme.muted}
      tick={turned.angle ? { ...tick, angle: turned.angle, textAnchor: 'end' } : tick}
      interval={xType === 'category' ? 0 : 'preserveStartEnd'}
      height={turned.height + (config.xTitle ? 18 : 0)}
      label={
        config.xTitle
          ? { value: config.xTitle, position: 'insideBottom', offset: 0, fill: theme.text, fontSize: 12 }
          : undefined
      }
    />,
    <YAxis
      key="y"
      dataKey={yKey}
      type="number"
      width={Y_AXIS_WIDTH}
      tickFormatter={(v) => format.y(Number(v))}
      stroke={theme.muted}
      tick={tick}
      label={
        config.yTitle
          ? {
              value: config.yTitle,
              angle: -90,
              position: 'insideLeft',
              fill: theme.text,
              fontSize: 12,
              dy: 40,
            }
          : undefined
      }
    />,
    <Tooltip
      key="tooltip"
      isAnimationActive={false}
      formatter={(value) =>
        Array.isArray(value) ? value.map((v) => format.y(Number(v))).join(' – ') : format.y(Number(value))
      }
      labelFormatter={(label: ReactNode) => format.x(label)}
      contentStyle={{ background: theme.background, color: theme.text, borderColor: theme.grid }}
    />,
    ...marks(props),
  ];
}

function legend(props: ChartViewProps, count: number) {
  if (count < 2 && !props.config.series) return null;
  return (
    <Legend key="legend" height={LEGEND_HEIGHT} wrapperStyle={{ color: props.theme.text, fontSize: 12 }} />
  );
}

const color = (theme: ChartTheme, i: number) => theme.series[i % theme.series.length];

function Marks(props: ChartViewProps & { data: SeriesData }) {
  const { config, data, width, height, theme, xAxis, xWindow } = props;
  const xType = xAxis === 'category' ? 'category' : 'number';
  const domain: [string, string] | [number, number] | undefined =
    xType !== 'number' ? undefined : xWindow ? [xWindow.lo, xWindow.hi] : ['dataMin', 'dataMax'];
  const name = (s: string) => seriesLabel(s, config.yTitle || config.y || 'Value');
  if (data.kind === 'points') {
    const dense = data.cell.dx > 0;
    const maxN = Math.max(1, ...data.series.flatMap((s) => s.points.map((p) => p.n)));
    return (
      <ScatterChart width={width} height={height} margin={MARGIN}>
        {axes(props, 'number', ['dataMin', 'dataMax'], 'y')}
        {legend(props, data.series.length)}
        {data.series.map((s, i) => (
          <Scatter
            key={s.name}
            name={name(s.name)}
            data={s.points}
            fill={color(theme, i)}
            isAnimationActive={false}
            shape={
              dense
                ? (p: { cx?: number; cy?: number; payload?: { n: number } }) => (
                    <rect
                      x={(p.cx ?? 0) - 3}
                      y={(p.cy ?? 0) - 3}
                      width={6}
                      height={6}
                      fill={color(theme, i)}
                      fillOpacity={0.25 + (0.75 * Math.log1p(p.payload?.n ?? 1)) / Math.log1p(maxN)}
                    />
                  )
                : 'circle'
            }
          />
        ))}
      </ScatterChart>
    );
  }
  const banded = data.series.some((s) => s.points.some((p) => p.band));
  // Recharts draws a band (an area between two values) beside lines only in a composed chart.
  const Chart = banded ? ComposedChart : config.type === 'area' ? AreaChart : LineChart;
  return (
    <Chart width={width} height={height} margin={MARGIN}>
      {axes(
        props,
        xType,
        domain,
        undefined,
        xType === 'category'
          ? [...new Set(data.series.flatMap((s) => s.points.map((p) => String(p.x))))]
          : [],
      )}
      {legend(props, data.series.length)}
      {banded &&
        data.series.map((s, i) => (
          <Area
            key={`band-${s.name}`}
            name={`${name(s.name)}: interval`}
            data={s.points}
            dataKey="band"
            type="linear"
            stroke="none"
            fill={color(theme, i)}
            fillOpacity={0.15}
            legendType="none"
            isAnimationActive={false}
          />
        ))}
      {data.series.map((s, i) =>
        config.type === 'area' ? (
          <Area
            key={s.name}
            name={name(s.name)}
            data={s.points}
            dataKey="y"
            type="linear"
            stroke={color(theme, i)}
            fill={color(theme, i)}
            fillOpacity={0.2}
            isAnimationActive={false}
          />
        ) : (
          <Line
            key={s.name}
            name={name(s.name)}
            data={s.points}
            dataKey="y"
            type="linear"
            stroke={color(theme, i)}
            strokeWidth={1.5}
            dot={s.points.length <= 2}
            isAnimationActive={false}
          />
        ),
      )}
    </Chart>
  );
}

function Bars(props: ChartViewProps & { rows: CategoryData['rows']; series: string[]; intervals: boolean }) {
  const { config, rows, series, width, height, theme, intervals } = props;
  const histogram = config.type === 'histogram';
  const stacked = config.barMode === 'stacked' || (histogram && series.length > 1);
  return (
    <BarChart
      width={width}
      height={height}
      margin={MARGIN}
      data={rows}
      barCategoryGap={histogram ? 1 : '15%'}
    >
      {axes(
        props,
        'category',
        undefined,
        undefined,
        rows.map((r) => String(r.x)),
      )}
      {legend(props, series.length)}
      {series.map((s, i) => (
        <Bar
          key={s}
          dataKey={s}
          name={seriesLabel(s, histogram ? 'Rows' : config.yTitle || config.y || 'Value')}
          fill={color(theme, i)}
          stackId={stacked ? 'stack' : undefined}
          isAnimationActive={false}
        >
          {intervals && (
            <ErrorBar
              dataKey={intervalKeys(s).error}
              width={6}
              strokeWidth={1.5}
              stroke={theme.text}
              direction="y"
            />
          )}
        </Bar>
      ))}
    </BarChart>
  );
}

function Kpi({ config, data, format, theme }: ChartViewProps & { data: KpiData }) {
  const change = formatChange(data.value, data.previous, config.timeUnit ?? 'month');
  const up = data.value !== null && data.previous !== null && data.value > data.previous;
  const down = data.value !== null && data.previous !== null && data.value < data.previous;
  return (
    <div className="chart-kpi" style={{ color: theme.text }}>
      <p className="chart-kpi-value">{format.y(data.value)}</p>
      {config.x && (
        <p className={`chart-kpi-change ${up ? 'up' : down ? 'down' : ''}`}>
          {up ? '▲ ' : down ? '▼ ' : ''}
          {change}
        </p>
      )}
      {data.period !== null && <p className="chart-kpi-period">Latest period: {format.x(data.period)}</p>}
    </div>
  );
}
