import { sqlInt } from './sql-text';

/**
 * M4 in SQL: the first, last, lowest and highest point of a line per bucket of x, over a grid of `buckets`
 * equal buckets between the smallest and largest x. The grid is finer than the plot (see `m4Buckets`), so
 * the chart's pixel columns are unions of whole buckets: the same result redraws any narrower width
 * without asking the engine again (`m4-reduce.ts`).
 *
 * Shaped for DuckDB-WASM's single thread, where each aggregate over every row costs about as much as the
 * GROUP BY itself: one pass keeps four plain extremes per bucket, and a join back keeps only the rows that
 * hold one of them, so the points' other coordinates are read from a handful of rows instead of through
 * four arg_min/arg_max over all of them. Bucket numbers come from integer microseconds for time (exact,
 * no rounding at edges) and from a scale that can never reach `buckets` for numbers, so no clamp (LEAST,
 * which costs a third of the query) is needed. A chart without series carries no series column: DuckDB
 * materialises the rows for the passes over them, and a constant column kept with each row cost about a
 * tenth of the query.
 *
 * Result, one row per series and bucket, ordered by s, k:
 *   s, k, x_first, y_first, x_last, y_last, x_low, y_low, x_high, y_high
 * (x in epoch milliseconds for time). Ties: the first point is the lowest y at the smallest x, the last the
 * highest y at the largest x, the low point the smallest x among the lowest y, the high point the largest x
 * among the highest y.
 */

/** Fewest grid buckets per pixel column: a point's column is then off by at most 1/8 of a pixel. */
export const M4_BUCKETS_PER_PIXEL = 8;
/** The grid never has more buckets than this (8 per pixel of the widest plot). */
export const M4_MAX_BUCKETS = 65_536;

/** The grid for a plot `px` columns wide: the next power of two of at least 8 buckets per column. */
export function m4Buckets(px: number): number {
  const want = Math.max(1, Math.floor(px)) * M4_BUCKETS_PER_PIXEL;
  return Math.min(M4_MAX_BUCKETS, 2 ** Math.ceil(Math.log2(want)));
}

export interface M4Input {
  /** Name of a CTE with columns x, y (and s with series) and no NULL x or y; x is BIGINT microseconds for time. */
  from: string;
  time: boolean;
  /** Without series, the CTE has no s: the result's s is '' on every row. */
  series: boolean;
  /**
   * The CTE also has band_lo and band_hi, each row's interval: the result then has band_lo and band_hi, the
   * lowest and highest end of the bucket's rows, so a band drawn through them covers every row's interval.
   */
  band?: boolean;
  /**
   * A SELECT answering `lo` and `hi`, the smallest and largest x the grid spans; by default those of
   * `from`. A coarse chart draws a sample of the rows on the grid of all of them (coarse-sql.ts).
   */
  bounds?: string;
  /**
   * The plot's pixel columns: each row's bucket is merged at once into the column the chart draws it in
   * (`m4-reduce.ts`), so the result has one row per column, not per bucket. For a sample of the rows, whose
   * buckets would hold a few rows each: most of the answer would be points the drawing reduces away.
   */
  columns?: number;
}

/** CTEs `m4_grid`, `m4_cells`, `m4_ext` and the final SELECT, over `input.from`. */
export function m4Select(input: M4Input, buckets: number): { ctes: string[]; select: string } {
  const n = sqlInt(buckets);
  const bounds = input.bounds ?? `SELECT min(x) AS lo, max(x) AS hi FROM ${input.from}`;
  const grid = input.time
    ? `SELECT lo, (hi - lo) // ${n} + 1 AS step FROM (${bounds})`
    : // The factor below 1 keeps (x - lo) * scale under n for x = hi, whatever the rounding.
      `SELECT lo, CASE WHEN hi > lo THEN ${n} / (hi - lo) * 0.999999999 ELSE 0 END AS scale FROM (${bounds})`;
  const bucket = input.time ? '(x - lo) // step' : 'floor((x - lo) * scale)';
  const k =
    input.columns === undefined
      ? `CAST(${bucket} AS INTEGER)`
      : `CAST(CAST(${bucket} AS BIGINT) * ${sqlInt(input.columns)} // ${n} AS INTEGER)`;
  const s = input.series ? 's, ' : '';
  const keys = `${s}k`;
  const on = input.series ? 'c.s = e.s AND c.k = e.k' : 'c.k = e.k';
  const ms = (v: string) => (input.time ? `${v} / 1000.0` : v);
  const band = input.band ? ', band_lo, band_hi' : '';
  const bandExt = input.band ? ', min(band_lo) AS band_lo, max(band_hi) AS band_hi' : '';
  const bandSelect = input.band ? ', e.band_lo AS band_lo, e.band_hi AS band_hi' : '';
  const ctes = [
    `m4_grid AS (${grid})`,
    `m4_cells AS (SELECT ${s}x, y${band}, ${k} AS k FROM ${input.from} CROSS JOIN m4_grid)`,
    `m4_ext AS (SELECT ${keys}, min(x) AS x_first, max(x) AS x_last, min(y) AS y_low, max(y) AS y_high${bandExt}
      FROM m4_cells GROUP BY ${keys})`,
  ];
  const select = `SELECT ${input.series ? 'c.s' : "''"} AS s, c.k AS k,
      ${ms('e.x_first')} AS x_first, min(c.y) FILTER (WHERE c.x = e.x_first) AS y_first,
      ${ms('e.x_last')} AS x_last, max(c.y) FILTER (WHERE c.x = e.x_last) AS y_last,
      ${ms('min(c.x) FILTER (WHERE c.y = e.y_low)')} AS x_low, e.y_low AS y_low,
      ${ms('max(c.x) FILTER (WHERE c.y = e.y_high)')} AS x_high, e.y_high AS y_high${bandSelect}
    FROM m4_cells AS c JOIN m4_ext AS e ON ${on}
    WHERE c.x = e.x_first OR c.x = e.x_last OR c.y = e.y_low OR c.y = e.y_high
    GROUP BY ${input.series ? 'c.s, ' : ''}c.k, e.x_first, e.x_last, e.y_low, e.y_high${input.band ? ', e.band_lo, e.band_hi' : ''}
    ORDER BY s, k`;
  return { ctes, select };
}
