import type { ChartQuery } from './aggregate-sql';
import { Columns, MAX_SERIES } from './chart-columns';
import type { ChartConfig } from './config';
import type { SourceColumn } from './columns';
import { m4Select } from './m4-sql';
import { pixelColumns } from './m4-reduce';

/**
 * A coarse first drawing of a line over many rows: the same M4 (m4-sql.ts) as the exact chart, on the same
 * grid merged into the plot's pixel columns, over DuckDB's SYSTEM sample of the source. SYSTEM sampling
 * keeps or skips whole vectors of 2048 rows, so the skipped rows cost a scan and no aggregation; the M4 over
 * every row costs its GROUP BY and join per row, which is what makes a chart over millions of rows slow.
 * Besides the sample, the coarse query makes two cheap passes over every row, on the x column as stored:
 * its min and max, then the rows at those values. Over ten million rows that is a fifth to a tenth of the
 * exact query in DuckDB-WASM on Node.
 *
 * The passes give the sample what it cannot know: the smallest and largest x (so the grid, and thus the
 * pixel columns, are those of the exact chart) and the rows at those ends (so the coarse line spans the
 * whole x axis), plus, with series, the same largest series as the exact chart. The coarse line is M4 over
 * real rows, so it keeps at most four points per pixel column; what it lacks is the extremes of the rows
 * the sample skipped, which the exact chart then adds.
 *
 * Only lines of raw rows are drawn coarse first: an aggregate per x (a sum, a count) over a sample would be
 * a different number, not a rougher picture of the same one. Below COARSE_MIN_ROWS rows the exact M4 takes
 * a tenth of a second or less in DuckDB-WASM, and a sample of a few vectors would draw a misleading line.
 */

/** Sources with fewer rows are drawn exactly at once. */
export const COARSE_MIN_ROWS = 1_000_000;
/** About this many rows (128 vectors) make the coarse drawing, whatever the size of the source. */
export const COARSE_SAMPLE_ROWS = 262_144;

/** Whether a chart is drawn coarse first over a source of `rows` rows. */
export function drawsCoarseFirst(config: ChartConfig, columns: SourceColumn[], rows: number): boolean {
  if (rows < COARSE_MIN_ROWS || (config.type !== 'line' && config.type !== 'area')) return false;
  const c = new Columns(config, columns);
  // A band from a sample would be narrower than the rows' intervals: lines with one are drawn exactly.
  return c.agg === 'none' && c.interval === undefined && (c.xKind === 'time' || c.xKind === 'number');
}

/** `SELECT count(*)` of the source, which decides whether the chart is drawn coarse first. */
export function rowCountSql(config: ChartConfig, columns: SourceColumn[]): string {
  return `SELECT count(*) AS n ${new Columns(config, columns).from}`;
}

/**
 * The coarse query for `exact` (the chart's M4 query at the plot's `width`) over a source of `rows` rows,
 * or undefined when the chart is drawn exactly at once. Its answer draws that width only.
 */
export function coarseChartQuery(
  config: ChartConfig,
  columns: SourceColumn[],
  exact: ChartQuery,
  width: number,
  rows: number,
): ChartQuery | undefined {
  // A zoomed window is drawn first from the wider drawing before it (chart-result-cache.ts), not a sample.
  if (exact.shape !== 'm4' || !exact.grid || exact.xWindow || !drawsCoarseFirst(config, columns, rows))
    return undefined;
  const c = new Columns(config, columns);
  const series = config.series !== undefined;
  const x = c.xGrid();
  const percent = Math.min(100, Math.ceil((1e4 * COARSE_SAMPLE_ROWS) / rows) / 100);
  // The ends are found on the x column as stored: x on the grid is a monotonic function of it, and
  // computing that for every row cost more than the rest of the coarse query. Only the rows at the ends
  // are then read as the grid's x. The rows are read inline each time: a CTE read twice would be
  // materialised, every row of it.
  const stored = c.rowsSelect(c.xRef, { dropNullY: true });
  const atEnds = `${c.xRef} IN (SELECT lo FROM m4_ends UNION SELECT hi FROM m4_ends)`;
  const sample = c.rowsSelect(x, { dropNullY: true, samplePercent: percent });
  const ctes = series
    ? [
        // The exact chart's series are the largest ones; their ends set the grid as the exact chart's rows do.
        `m4_ends AS (SELECT s, count(*) AS n, min(x) AS lo, max(x) AS hi FROM (${stored}) GROUP BY s ORDER BY n DESC, s LIMIT ${MAX_SERIES})`,
        `pts AS (SELECT s, x, y FROM (${sample}) WHERE s IN (SELECT s FROM m4_ends)
          UNION ALL SELECT r.s, r.x, r.y FROM (${c.rowsSelect(x, { dropNullY: true, extra: `${c.xRef} AS stored_x`, where: atEnds })}) AS r
            JOIN (SELECT s, lo AS stored_x FROM m4_ends UNION SELECT s, hi FROM m4_ends) AS e
            ON r.s = e.s AND r.stored_x = e.stored_x)`,
      ]
    : [
        `m4_ends AS (SELECT min(x) AS lo, max(x) AS hi FROM (${stored}))`,
        `pts AS (SELECT x, y FROM (${sample})
          UNION ALL SELECT x, y FROM (${c.rowsSelect(x, { dropNullY: true, where: atEnds })}))`,
      ];
  const input = { from: 'pts', time: c.xKind === 'time', series };
  // The exact grid's buckets merged into the plot's pixel columns as `reduceM4` merges them: the sample's
  // points fall in the same columns as the exact chart's, and the answer has a row per column, not eight.
  const px = pixelColumns(exact.grid.buckets, width);
  const bounds = 'SELECT min(x) AS lo, max(x) AS hi FROM pts';
  const m4 = m4Select({ ...input, bounds, columns: px }, exact.grid.buckets);
  return {
    sql: `WITH ${[...ctes, ...m4.ctes].join(',\n')}\n${m4.select}`,
    shape: 'm4',
    xAxis: exact.xAxis,
    grid: { key: `coarse\n${exact.grid.key}`, buckets: px },
    coarse: true,
  };
}
