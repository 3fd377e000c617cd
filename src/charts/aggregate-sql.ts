import { Columns } from './chart-columns';
import { missingChoices, type ChartConfig, type TimeUnit } from './config';
import type { ColumnKind, SourceColumn } from './columns';
import { m4Buckets, m4Select } from './m4-sql';
import { ChartSqlError, quoteString, sqlInt, sqlNumber } from './sql-text';
import type { XWindow } from './x-window';

/**
 * Builds a chart's own SQL. It runs in DuckDB over the source cell's view and returns at most a few rows
 * per pixel, whatever the size of the source:
 *  - lines and areas over a continuous x: M4 (first, last, min and max of y per pixel column, with their x),
 *    which draws the same picture as every point would; the SQL keeps them per bucket of a finer grid so
 *    that a resize is redrawn from the same result;
 *  - histograms: counts per bin (with "nice" edges for numbers); dense scatter: counts per 2-D cell;
 *  - bars: a group-by, the top N categories plus one "Other" bar aggregated over the remaining rows;
 *  - KPI: the latest period's value and the period before it.
 * All names are quoted; the only literals are numbers computed here and fixed labels.
 *
 * Result columns by shape (x on a time axis is epoch milliseconds, UTC wall-clock):
 *  - series: s, x, y              (ordered by s, x)
 *  - m4:     s, k, and the first, last, low and high point of grid bucket k (see m4-sql.ts)
 *  - bars:   ord, x, s, y, members (ord is the bar's position; members > 1 for "Other"), and lo, hi
 *            (the bar's interval) when the chart draws error bars
 *  - bins:   s, bin, x0, x1, n     (bin covers [x0, x1))
 *  - points: s, x, y, n, dx, dy    (n = 1, dx = dy = 0 for raw points; else the cell's centre and size)
 *  - kpi:    period, value, previous
 */

export type ChartShape = 'series' | 'm4' | 'bars' | 'bins' | 'points' | 'kpi';
export type XAxisKind = 'time' | 'number' | 'category';

export interface ChartQuery {
  sql: string;
  shape: ChartShape;
  xAxis: XAxisKind;
  /**
   * M4 lines: the grid the result holds. Another width can be drawn from any result of the same `key` whose
   * grid has at least M4_BUCKETS_PER_PIXEL buckets per pixel column of it. `lines` names the lines
   * whatever the window: a result of the same lines over a wider window can draw a narrower one, coarser.
   */
  grid?: { key: string; buckets: number; lines?: string };
  /** M4 lines zoomed to a window of the x axis: the grid spans it, and only its rows are drawn. */
  xWindow?: XWindow;
  /** A first, quick drawing from a sample of the rows (coarse-sql.ts), replaced by the exact one. */
  coarse?: boolean;
}

/** Size of the plot area in CSS pixels; the width sets the M4 buckets and the number of bars. */
export interface PlotSize {
  width: number;
  height: number;
}

export const OTHER_LABEL = 'Other';
export { MAX_SERIES, MISSING_LABEL } from './chart-columns';
/** Scatter plots draw rows as they are up to this many, then switch to counts per cell. */
export const MAX_RAW_POINTS = 2000;
/** Side of a dense scatter plot's cell, in pixels. */
export const SCATTER_CELL_PX = 6;
/** Bars over time need at least this many pixels each. */
const BAR_MIN_PX = 3;
const MAX_PIXELS = 8192;

/** `xWindow` zooms a line over a continuous x (see x-window.ts); other charts have none. */
export function buildChartQuery(
  config: ChartConfig,
  columns: SourceColumn[],
  size: PlotSize,
  xWindow?: XWindow,
): ChartQuery {
  const missing = missingChoices(config);
  if (missing.length > 0) throw new ChartSqlError(missing.join(' '));
  const c = new Columns(config, columns);
  const px = clampPixels(size.width);
  switch (config.type) {
    case 'line':
    case 'area':
      return c.xKind === 'text' || c.xKind === 'boolean' ? categoryLine(c, px) : m4Line(c, px, xWindow);
    case 'bar':
      return c.xKind === 'time' ? timeBars(c, px) : categoryBars(c);
    case 'histogram':
      return histogram(c);
    case 'scatter':
      return scatter(c, px, clampPixels(size.height));
    case 'kpi':
      return kpi(c);
  }
}

function clampPixels(n: number): number {
  if (!Number.isFinite(n)) return 1;
  return Math.min(MAX_PIXELS, Math.max(1, Math.floor(n)));
}

function withCtes(ctes: string[], select: string): string {
  return `WITH ${ctes.join(',\n')}\n${select}`;
}

function axisOf(kind: ColumnKind | undefined): XAxisKind {
  return kind === 'time' ? 'time' : kind === 'number' ? 'number' : 'category';
}

/**
 * Lines over a time or number axis. Rows are aggregated per x first when an aggregate is chosen, then
 * reduced by M4 (`m4-sql.ts`) to a grid of several buckets per pixel column: the extremes and the ends of
 * each bucket, which is all a line drawn at that width can show.
 */
function m4Line(c: Columns, px: number, xWindow?: XWindow): ChartQuery {
  const unit = c.agg === 'none' ? undefined : c.config.timeUnit;
  const interval = c.intervalColumns();
  const rows = { dropNullY: c.agg === 'none', extra: interval };
  const ctes = c.sourceCtes(c.xGrid(unit), rows);
  const series = c.config.series !== undefined;
  const s = series ? 's, ' : '';
  // Named apart from the grid's own lo (its first x), which the M4 joins them with.
  const band = interval ? ', lo AS band_lo, hi AS band_hi' : '';
  const time = c.xKind === 'time';
  const input = { from: 'pts', time, series, ...(interval ? { band: true } : {}) };
  const pts = (inWindow: string) =>
    c.agg === 'none'
      ? `pts AS (SELECT ${s}x, y${band} FROM src${inWindow && ` WHERE ${inWindow}`})`
      : `pts AS (SELECT ${s}x, y${band} FROM (SELECT ${s}x, ${c.aggCall()} AS y${interval ? ', avg(lo) AS lo, avg(hi) AS hi' : ''} FROM src GROUP BY ${s}x) WHERE y IS NOT NULL${inWindow && ` AND ${inWindow}`})`;
  // The lines whatever the window, the aggregate included: a result is only ever drawn for its own lines.
  const lines = `${JSON.stringify(input)}\n${withCtes([...ctes, pts('')], '')}`;
  // The window is filtered after the series are chosen: zooming in never changes which lines are drawn.
  const bounds = xWindow && gridBounds(xWindow, time);
  const inWindow = bounds ? `x BETWEEN ${bounds.lo} AND ${bounds.hi}` : '';
  if (bounds && c.agg === 'none' && !series) {
    // Rows as they are, and no series to choose: the window is also asked of the stored column, which
    // DuckDB compares with each row group's min and max, so a narrow window of ordered rows skips most.
    const stored = time
      ? `CAST(${c.xRef} AS TIMESTAMP) BETWEEN make_timestamp(${bounds.lo}) AND make_timestamp(${bounds.hi})`
      : `CAST(${c.xRef} AS DOUBLE) BETWEEN ${bounds.lo} AND ${bounds.hi}`;
    ctes.splice(0, ctes.length, ...c.sourceCtes(c.xGrid(unit), { ...rows, where: stored }));
  }
  ctes.push(pts(inWindow));
  const buckets = m4Buckets(px);
  const m4 = m4Select(
    bounds ? { ...input, bounds: `SELECT ${bounds.lo} AS lo, ${bounds.hi} AS hi` } : input,
    buckets,
  );
  return {
    sql: withCtes([...ctes, ...m4.ctes], m4.select),
    shape: 'm4',
    xAxis: axisOf(c.xKind),
    grid: { key: `${lines}\n${JSON.stringify(xWindow ?? null)}`, buckets, lines },
    ...(xWindow ? { xWindow } : {}),
  };
}

/** A window's ends as the M4 grid's x: whole microseconds (typed so) for time, doubles for numbers. */
function gridBounds(w: XWindow, time: boolean): { lo: string; hi: string } {
  if (!time) return { lo: `CAST(${sqlNumber(w.lo)} AS DOUBLE)`, hi: `CAST(${sqlNumber(w.hi)} AS DOUBLE)` };
  const us = (v: number) => `CAST(${sqlInt(v)} AS BIGINT)`;
  return { lo: us(Math.floor(w.lo * 1000)), hi: us(Math.ceil(w.hi * 1000)) };
}

/** A line over categories: one point per category, in label order, at most one per pixel. */
function categoryLine(c: Columns, px: number): ChartQuery {
  const interval = c.intervalColumns();
  const ctes = c.sourceCtes(c.xLabel(), { dropNullY: false, extra: interval });
  ctes.push(`cats AS (SELECT DISTINCT x FROM src ORDER BY x LIMIT ${sqlInt(px)})`);
  const sql = withCtes(
    ctes,
    `SELECT s, x, ${c.aggCall()} AS y${interval ? ', avg(lo) AS lo, avg(hi) AS hi' : ''} FROM src WHERE x IN (SELECT x FROM cats) GROUP BY s, x ORDER BY s, x`,
  );
  return { sql, shape: 'series', xAxis: 'category' };
}

/**
 * Bars over categories (numbers count as categories): categories are ranked by their aggregate over all
 * series; the first `topN` keep their bar and every other row is aggregated into one "Other" bar, so an
 * average stays an average of rows, not of averages.
 */
function categoryBars(c: Columns): ChartQuery {
  const n = sqlInt(c.config.topN);
  const sortKey = c.xKind === 'number' ? `CAST(${c.xRef} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)';
  // The sort key rides along with the label so numeric categories can be shown in numeric order.
  const interval = c.intervalColumns();
  const extra = `${sortKey} AS xsort${interval ? `, ${interval}` : ''}`;
  const ctes = [
    ...c.sourceCtes(c.xLabel(), { dropNullY: false, extra }),
    `ranked AS (SELECT x, row_number() OVER (ORDER BY ${c.aggCall()} DESC NULLS LAST, x) AS r FROM src GROUP BY x)`,
    `grouped AS (SELECT LEAST(r, ${n} + 1) AS k, s, min(src.x) AS first_x, min(xsort) AS xsort, ${c.aggCall()} AS y${interval ? ', avg(lo) AS lo, avg(hi) AS hi' : ''}
      FROM src JOIN ranked USING (x) GROUP BY k, s)`,
  ];
  const order = c.xKind === 'number' ? 'k > ' + n + ', xsort' : 'k';
  // An "Other" bar gathers several categories: no one interval belongs to it.
  const ends = interval
    ? `, CASE WHEN k > ${n} THEN NULL ELSE lo END AS lo, CASE WHEN k > ${n} THEN NULL ELSE hi END AS hi`
    : '';
  const sql = withCtes(
    ctes,
    `SELECT CAST(dense_rank() OVER (ORDER BY ${order}) AS INTEGER) AS ord,
      CASE WHEN k > ${n} THEN ${quoteString(OTHER_LABEL)} ELSE first_x END AS x, s, y${ends},
      CAST(CASE WHEN k > ${n} THEN (SELECT count(*) FROM ranked) - ${n} ELSE 1 END AS INTEGER) AS members
    FROM grouped ORDER BY ord, s`,
  );
  return { sql, shape: 'bars', xAxis: 'category' };
}

/** Bars per period of a time column (a month unless chosen); the latest periods that fit the width. */
function timeBars(c: Columns, px: number): ChartQuery {
  const unit = c.config.timeUnit ?? 'month';
  const periods = Math.max(1, Math.floor(px / BAR_MIN_PX));
  const interval = c.intervalColumns();
  const ctes = [
    ...c.sourceCtes(c.xValue(unit), { dropNullY: false, extra: interval }),
    `periods AS (SELECT DISTINCT x FROM src ORDER BY x DESC LIMIT ${sqlInt(periods)})`,
  ];
  const sql = withCtes(
    ctes,
    `SELECT CAST(dense_rank() OVER (ORDER BY x) AS INTEGER) AS ord, x, s, ${c.aggCall()} AS y${interval ? ', avg(lo) AS lo, avg(hi) AS hi' : ''}, 1 AS members
    FROM src WHERE x IN (SELECT x FROM periods) GROUP BY x, s ORDER BY ord, s`,
  );
  return { sql, shape: 'bars', xAxis: 'time' };
}

/**
 * Counts per bin of x. Numbers get "nice" bins (a width of 1, 2 or 5 times a power of ten, starting at a
 * multiple of it) so edges read well; time gets `bins` equal bins between the first and last value.
 */
function histogram(c: Columns): ChartQuery {
  const bins = sqlInt(c.config.bins);
  const ctes = [
    ...c.sourceCtes(c.xValue(), { dropNullY: false }),
    `bounds AS (SELECT min(x) AS lo, max(x) AS hi FROM src)`,
  ];
  let k: string;
  if (c.xKind === 'number') {
    ctes.push(
      `raw_step AS (SELECT lo, COALESCE(NULLIF((hi - lo) / ${bins}, 0), 1) AS w FROM bounds)`,
      `mag AS (SELECT lo, w, pow(10, floor(log10(w))) AS m FROM raw_step)`,
      `grid AS (SELECT m * CASE WHEN w / m <= 1 THEN 1 WHEN w / m <= 2 THEN 2 WHEN w / m <= 5 THEN 5 ELSE 10 END AS step,
        floor(lo / (m * CASE WHEN w / m <= 1 THEN 1 WHEN w / m <= 2 THEN 2 WHEN w / m <= 5 THEN 5 ELSE 10 END))
        * (m * CASE WHEN w / m <= 1 THEN 1 WHEN w / m <= 2 THEN 2 WHEN w / m <= 5 THEN 5 ELSE 10 END) AS start FROM mag)`,
    );
    // A value a hair below an edge (0.3 / 0.1 = 2.9999999999999996) belongs to the bin the edge opens.
    k = `CAST(floor((x - start) / step + 1e-9) AS INTEGER)`;
  } else {
    ctes.push(
      `grid AS (SELECT lo AS start, COALESCE(NULLIF((hi - lo) / ${bins}, 0), 1) AS step FROM bounds)`,
    );
    k = `LEAST(CAST(floor((x - start) / step) AS INTEGER), ${bins} - 1)`;
  }
  ctes.push(`binned AS (SELECT s, ${k} AS k FROM src CROSS JOIN grid)`);
  const sql = withCtes(
    ctes,
    `SELECT s, k AS bin, start + k * step AS x0, start + (k + 1) * step AS x1, CAST(count(*) AS DOUBLE) AS n
    FROM binned CROSS JOIN grid GROUP BY s, k, start, step ORDER BY s, k`,
  );
  return { sql, shape: 'bins', xAxis: axisOf(c.xKind) };
}

/** Every row while they are few; beyond MAX_RAW_POINTS, counts per cell of SCATTER_CELL_PX pixels. */
function scatter(c: Columns, width: number, height: number): ChartQuery {
  const bx = sqlInt(Math.max(1, Math.floor(width / SCATTER_CELL_PX)));
  const by = sqlInt(Math.max(1, Math.floor(height / SCATTER_CELL_PX)));
  const ctes = [
    ...c.sourceCtes(c.xValue(), { dropNullY: true }),
    `stats AS (SELECT count(*) AS rows, min(x) AS xlo, max(x) AS xhi, min(y) AS ylo, max(y) AS yhi FROM src)`,
    `cells AS (SELECT rows, xlo, ylo, COALESCE(NULLIF(xhi - xlo, 0), 1) / ${bx} AS dx,
      COALESCE(NULLIF(yhi - ylo, 0), 1) / ${by} AS dy FROM stats)`,
  ];
  const raw = `SELECT s, x, y, 1.0 AS n, 0.0 AS dx, 0.0 AS dy FROM src
    WHERE (SELECT rows FROM stats) <= ${sqlInt(MAX_RAW_POINTS)}`;
  const binned = `SELECT s, xlo + (kx + 0.5) * dx AS x, ylo + (ky + 0.5) * dy AS y, CAST(count(*) AS DOUBLE) AS n, dx, dy
    FROM (SELECT s, xlo, ylo, dx, dy,
        LEAST(CAST(floor((x - xlo) / dx) AS INTEGER), ${bx} - 1) AS kx,
        LEAST(CAST(floor((y - ylo) / dy) AS INTEGER), ${by} - 1) AS ky
      FROM src CROSS JOIN cells WHERE rows > ${sqlInt(MAX_RAW_POINTS)})
    GROUP BY s, kx, ky, xlo, ylo, dx, dy`;
  const sql = withCtes(ctes, `SELECT * FROM (${raw} UNION ALL ${binned}) ORDER BY s, x, y`);
  return { sql, shape: 'points', xAxis: axisOf(c.xKind) };
}

const PREVIOUS: Record<TimeUnit, string> = {
  hour: 'INTERVAL 1 HOUR',
  day: 'INTERVAL 1 DAY',
  week: 'INTERVAL 7 DAY',
  month: 'INTERVAL 1 MONTH',
  quarter: 'INTERVAL 3 MONTH',
  year: 'INTERVAL 1 YEAR',
};

/**
 * One number: the aggregate over the latest period of x and over the period just before it (NULL when
 * that period has no rows). Without x, the aggregate over every row.
 */
function kpi(c: Columns): ChartQuery {
  const y = c.yValue();
  if (c.config.x === undefined) {
    const sql = `SELECT CAST(NULL AS DOUBLE) AS period, ${c.aggCall()} AS value, CAST(NULL AS DOUBLE) AS previous
      FROM (SELECT ${y} AS y ${c.from})`;
    return { sql, shape: 'kpi', xAxis: 'time' };
  }
  if (c.xKind !== 'time')
    throw new ChartSqlError('A KPI compares periods of a date or time column; choose one for x.');
  const unit = c.config.timeUnit ?? 'month';
  const p = `CAST(date_trunc(${quoteString(unit)}, CAST(${c.xRef} AS TIMESTAMP)) AS TIMESTAMP)`;
  const sql = withCtes(
    [
      `per AS (SELECT p, ${c.aggCall()} AS v FROM (SELECT ${p} AS p, ${y} AS y ${c.from} WHERE ${c.xRef} IS NOT NULL) GROUP BY p)`,
      `latest AS (SELECT max(p) AS p FROM per)`,
    ],
    // Joins, not correlated subqueries: the guard reads plans, and plain joins keep them simple.
    `SELECT epoch_us(latest.p) / 1000.0 AS period, cur.v AS value, prev.v AS previous
    FROM latest
    LEFT JOIN per AS cur ON cur.p = latest.p
    LEFT JOIN per AS prev ON prev.p = CAST(date_trunc(${quoteString(unit)}, latest.p - ${PREVIOUS[unit]}) AS TIMESTAMP)`,
  );
  return { sql, shape: 'kpi', xAxis: 'time' };
}
