import { beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC, type Table } from 'apache-arrow';
import { createNodeBindings } from '../engine/worker/core/node-bindings';
import { DuckSession } from '../engine/worker/core/duck-session';
import { buildChartQuery, type ChartQuery } from './aggregate-sql';
import { toChartData, type SeriesData } from './chart-data';
import { COARSE_MIN_ROWS, coarseChartQuery } from './coarse-sql';
import { columnsOfSchema, type SourceColumn } from './columns';
import { parseChartConfig, type ChartConfigInput } from './config';
import { bruteM4, drawnPoints } from './testing/brute-m4';

/**
 * Over a source of more than COARSE_MIN_ROWS rows: the exact chart is the M4 of every row, computed here
 * in plain TypeScript; the coarse one is M4 over real rows of a sample, at most four points per pixel column,
 * spanning the whole x range, within the exact chart's extremes, and cheaper (fewer buckets filled).
 */

const ROWS = 1_100_000;
const PX = 300;
let session: DuckSession;
let columns: SourceColumn[];
/** Every drawable row of the source (x in epoch ms, whole milliseconds), per series. */
let rows: { s: string; x: number; y: number }[];

beforeAll(async () => {
  session = new DuckSession(await createNodeBindings());
  // Rows out of x order (a permutation of i), a wave with noise and rare spikes, some y missing.
  await session.run(`CREATE TABLE big AS SELECT
      make_timestamp(CAST(1577836800000000 + ((i * 7919) % ${ROWS}) * 60000000 + CAST(hash(i) % 1000 AS BIGINT) * 1000 AS BIGINT)) AS seen_at,
      CASE WHEN i % 777 = 0 THEN NULL
        ELSE sin(((i * 7919) % ${ROWS}) / 5000.0) * 100 + (hash(i * 3) % 1000) / 10.0
          + CASE WHEN hash(i * 5) % 50021 = 0 THEN 5000 ELSE 0 END END AS v,
      'w' || (hash(i * 11) % 3) AS ward
    FROM range(${ROWS}) AS r(i)`);
  await session.run(`CREATE VIEW "stays" AS SELECT seen_at, v, ward FROM big`);
  columns = columnsOfSchema(tableFromIPC(await session.run(`SELECT * FROM "stays" LIMIT 0`)).schema);
  const all = tableFromIPC(
    await session.run(`SELECT ward AS s, epoch_ms(seen_at) AS x, v AS y FROM big WHERE v IS NOT NULL`),
  );
  const s = all.getChild('s')!;
  const x = all.getChild('x')!.toArray() as BigInt64Array;
  const y = all.getChild('y')!.toArray() as Float64Array;
  rows = Array.from({ length: all.numRows }, (_, i) => ({ s: String(s.get(i)), x: Number(x[i]), y: y[i] }));
}, 120_000);

async function answer(q: ChartQuery): Promise<Table> {
  return tableFromIPC(await session.run(q.sql));
}

function queries(input: Omit<ChartConfigInput, 'source'>, source = 'stays') {
  const config = parseChartConfig({ ...input, source });
  const exact = buildChartQuery(config, columns, { width: PX, height: 200 });
  const coarse = coarseChartQuery(config, columns, exact, PX, ROWS);
  if (!coarse) throw new Error('expected a coarse query over a large source');
  return { config, exact, coarse };
}

function seriesOf(q: ChartQuery, table: Table): SeriesData {
  const data = toChartData(q, table, PX);
  if (data.kind !== 'series') throw new Error(`expected a series, got ${data.kind}`);
  return data;
}

/** Checks a coarse drawing against every row and the exact drawing's points per column. */
function checkCoarse(
  coarse: SeriesData,
  drawn: { s: string; x: number; y: number }[],
  exact: Map<string, Set<string>>,
  column: (x: number) => number,
) {
  const got = drawnPoints(coarse, column);
  for (const [key, points] of got) {
    expect(points.size, key).toBeLessThanOrEqual(4);
    const ys = [...(exact.get(key) ?? [])].map((p) => Number(p.split(':')[1]));
    for (const p of points) {
      // Within the exact chart's extremes of that column.
      const y = Number(p.split(':')[1]);
      expect(y).toBeGreaterThanOrEqual(Math.min(...ys));
      expect(y).toBeLessThanOrEqual(Math.max(...ys));
    }
  }
  // Every point is a row of the source, and each line spans the x range of every row of its series.
  const unseen = new Set(coarse.series.flatMap((l) => l.points.map((p) => `${l.name}|${p.x}|${p.y}`)));
  const range = new Map<string, { lo: number; hi: number }>();
  for (const r of drawn) {
    unseen.delete(`${r.s}|${r.x}|${r.y}`);
    const e = range.get(r.s);
    if (!e) range.set(r.s, { lo: r.x, hi: r.x });
    else {
      e.lo = Math.min(e.lo, r.x);
      e.hi = Math.max(e.hi, r.x);
    }
  }
  expect([...unseen]).toEqual([]);
  for (const line of coarse.series) {
    expect(line.points[0].x).toBe(range.get(line.name)?.lo);
    expect(line.points.at(-1)!.x).toBe(range.get(line.name)?.hi);
  }
  return got;
}

describe('coarse, then exact, lines over a large source', () => {
  it('draws the exact M4 of every row, and first a coarse M4 of a sample on the same grid', async () => {
    const { exact, coarse } = queries({ type: 'line', x: 'seen_at', y: 'v' });
    const drawn = rows.map((r) => ({ ...r, s: '' }));
    const { expected, column } = bruteM4(drawn, { time: true, buckets: exact.grid!.buckets, px: PX });
    const exactTable = await answer(exact);
    const exactPoints = drawnPoints(seriesOf(exact, exactTable), column);
    expect(exactPoints).toEqual(expected);

    const coarseTable = await answer(coarse);
    expect(coarse.sql).toContain('TABLESAMPLE');
    // Merged into the plot's columns in DuckDB: a row per pixel column, not one per bucket of the grid.
    expect(coarseTable.numRows).toBeLessThanOrEqual(PX);
    const got = checkCoarse(seriesOf(coarse, coarseTable), drawn, expected, column);
    // A sample: some columns lack the extremes that only the exact chart finds.
    expect(got).not.toEqual(expected);
  });

  it('keeps the exact chart’s series, each spanning its own x range', async () => {
    const { exact, coarse } = queries({ type: 'line', x: 'seen_at', y: 'v', series: 'ward' });
    const { expected, column } = bruteM4(rows, { time: true, buckets: exact.grid!.buckets, px: PX });
    expect(drawnPoints(seriesOf(exact, await answer(exact)), column)).toEqual(expected);
    const data = seriesOf(coarse, await answer(coarse));
    expect(data.series.map((s) => s.name).sort()).toEqual(['w0', 'w1', 'w2']);
    checkCoarse(data, rows, expected, column);
  });

  it('samples a cell whose SQL has its own CTEs and filter', async () => {
    await session.run(`CREATE VIEW "recent" AS WITH t AS (SELECT seen_at, v, ward FROM big WHERE ward <> 'w1')
      SELECT * FROM t WHERE seen_at >= TIMESTAMP '2020-06-01'`);
    const { exact, coarse } = queries({ type: 'area', x: 'seen_at', y: 'v' }, 'recent');
    const since = Date.UTC(2020, 5, 1);
    const drawn = rows.filter((r) => r.s !== 'w1' && r.x >= since).map((r) => ({ ...r, s: '' }));
    const { expected, column } = bruteM4(drawn, { time: true, buckets: exact.grid!.buckets, px: PX });
    expect(drawnPoints(seriesOf(exact, await answer(exact)), column)).toEqual(expected);
    checkCoarse(seriesOf(coarse, await answer(coarse)), drawn, expected, column);
  });

  it('draws a line over a number x the same way, each point in its exact column', async () => {
    await session.run(`CREATE VIEW "hours" AS SELECT epoch_ms(seen_at) / 3600000.0 AS h, v FROM big`);
    const hourColumns = columnsOfSchema(
      tableFromIPC(await session.run(`SELECT * FROM "hours" LIMIT 0`)).schema,
    );
    const config = parseChartConfig({ source: 'hours', type: 'line', x: 'h', y: 'v' });
    const exact = buildChartQuery(config, hourColumns, { width: PX, height: 200 });
    const coarse = coarseChartQuery(config, hourColumns, exact, PX, ROWS)!;
    const drawn = rows.map((r) => ({ s: '', x: r.x / 3_600_000, y: r.y }));
    const { expected, column } = bruteM4(drawn, { time: false, buckets: exact.grid!.buckets, px: PX });
    expect(drawnPoints(seriesOf(exact, await answer(exact)), column)).toEqual(expected);
    const coarseTable = await answer(coarse);
    expect(coarseTable.numRows).toBeLessThanOrEqual(PX);
    checkCoarse(seriesOf(coarse, coarseTable), drawn, expected, column);
  });

  it('draws small sources and aggregated lines exactly at once', () => {
    const config = parseChartConfig({ source: 'stays', type: 'line', x: 'seen_at', y: 'v' });
    const exact = buildChartQuery(config, columns, { width: PX, height: 200 });
    expect(coarseChartQuery(config, columns, exact, PX, COARSE_MIN_ROWS - 1)).toBeUndefined();
    const summed = parseChartConfig({
      source: 'stays',
      type: 'line',
      x: 'seen_at',
      y: 'v',
      aggregate: 'sum',
    });
    const perX = buildChartQuery(summed, columns, { width: PX, height: 200 });
    expect(coarseChartQuery(summed, columns, perX, PX, ROWS)).toBeUndefined();
    const bars = parseChartConfig({ source: 'stays', type: 'bar', x: 'ward', y: 'v' });
    expect(
      coarseChartQuery(bars, columns, buildChartQuery(bars, columns, { width: PX, height: 200 }), PX, ROWS),
    ).toBeUndefined();
  });

  it('draws a zoomed window as the M4 of its rows on a grid over the window, and at first from the whole line', async () => {
    const config = parseChartConfig({ source: 'stays', type: 'line', x: 'seen_at', y: 'v', series: 'ward' });
    const size = { width: PX, height: 200 };
    const xWindow = { lo: Date.UTC(2020, 3, 1), hi: Date.UTC(2020, 3, 11) };
    const zoomed = buildChartQuery(config, columns, size, xWindow);
    expect(coarseChartQuery(config, columns, zoomed, PX, ROWS)).toBeUndefined();
    const inside = rows.filter((r) => r.x >= xWindow.lo && r.x <= xWindow.hi);
    const { expected, column } = bruteM4(inside, {
      time: true,
      buckets: zoomed.grid!.buckets,
      px: PX,
      bounds: xWindow,
    });
    expect(drawnPoints(seriesOf(zoomed, await answer(zoomed)), column)).toEqual(expected);
    expect(zoomed.grid!.lines).toBe(buildChartQuery(config, columns, size).grid!.lines);

    // Without series, the window is also asked of the stored column: the same points.
    const single = parseChartConfig({ source: 'stays', type: 'line', x: 'seen_at', y: 'v' });
    const alone = buildChartQuery(single, columns, size, xWindow);
    expect(alone.sql).toContain('make_timestamp');
    const one = bruteM4(
      inside.map((r) => ({ ...r, s: '' })),
      { time: true, buckets: alone.grid!.buckets, px: PX, bounds: xWindow },
    );
    expect(drawnPoints(seriesOf(alone, await answer(alone)), one.column)).toEqual(one.expected);
    expect(alone.grid!.lines).toBe(buildChartQuery(single, columns, size).grid!.lines);

    // Drawn at once from the whole line's grid: real rows of the window, a few per pixel column.
    const whole = buildChartQuery(config, columns, size);
    const preview = toChartData(whole, await answer(whole), PX, xWindow);
    if (preview.kind !== 'series') throw new Error('expected a series');
    const got = drawnPoints(preview, column);
    expect(got.size).toBeGreaterThan(PX / 4);
    for (const [key, points] of got) expect(points.size, key).toBeLessThanOrEqual(4);
    const real = new Set(inside.map((r) => `${r.s}|${r.x}|${r.y}`));
    for (const line of preview.series)
      for (const p of line.points) expect(real.has(`${line.name}|${p.x}|${p.y}`)).toBe(true);
  });
});
