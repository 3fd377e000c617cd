import { beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { createNodeBindings } from '../engine/worker/core/node-bindings';
import { DuckSession } from '../engine/worker/core/duck-session';
import { buildChartQuery } from './aggregate-sql';
import { dataTable, toChartData } from './chart-data';
import { columnsOfSchema, type SourceColumn } from './columns';
import { parseChartConfig, type ChartConfigInput } from './config';
import { drawsCoarseFirst } from './coarse-sql';
import { m4Buckets } from './m4-sql';

/** Lines with an interval: a band around the line, over every row's interval, whatever the reduction. */

let session: DuckSession;
let columns: SourceColumn[];
const ROWS = 20_000;
const INTERVAL = { low: 'ci_low', high: 'ci_high' };

beforeAll(async () => {
  session = new DuckSession(await createNodeBindings());
  // A wiggly rate with an interval whose width changes along x, so a band drawn from the wrong rows shows.
  await session.run(
    `CREATE TABLE rates AS SELECT i AS t, 0.1 + 0.05 * sin(i / 37.0) AS rate,
       0.1 + 0.05 * sin(i / 37.0) - 0.01 - (i % 17) / 1000.0 AS ci_low,
       0.1 + 0.05 * sin(i / 37.0) + 0.01 + (i % 13) / 1000.0 AS ci_high,
       DATE '2024-01-01' + CAST(i // 100 AS INTEGER) AS day
     FROM range(${ROWS}) r(i)`,
  );
  columns = columnsOfSchema(tableFromIPC(await session.run('SELECT * FROM rates LIMIT 0')).schema);
});

async function draw(input: ChartConfigInput, width: number) {
  const config = parseChartConfig({ source: 'rates', type: 'line', y: 'rate', interval: INTERVAL, ...input });
  const query = buildChartQuery(config, columns, { width, height: 300 });
  return { config, data: toChartData(query, tableFromIPC(await session.run(query.sql)), width) };
}

describe('interval bands on lines', () => {
  it('cover, in each pixel column of an M4 line, exactly the lowest and highest end of its rows', async () => {
    const width = 200;
    const { data } = await draw({ x: 't' }, width);
    if (data.kind !== 'series') throw new Error(data.kind);
    const points = data.series[0]!.points;
    expect(points.length).toBeLessThanOrEqual(4 * width);
    expect(points.every((p) => p.band !== undefined)).toBe(true);

    // Every row's interval, gathered by the pixel column its x falls in on the same grid as the chart.
    const rows = tableFromIPC(await session.run('SELECT t, ci_low, ci_high FROM rates ORDER BY t'));
    const [t, lo, hi] = ['t', 'ci_low', 'ci_high'].map((c) => rows.getChild(c)!.toArray() as Float64Array);
    const byColumn = new Map<number, [number, number]>();
    // The grid of m4-sql.ts (buckets between the smallest and largest x), merged into pixel columns.
    const buckets = m4Buckets(width);
    const columnOf = (x: number) =>
      Math.floor((Math.floor(x * (buckets / (ROWS - 1)) * 0.999999999) * width) / buckets);
    for (let i = 0; i < rows.numRows; i++) {
      const j = columnOf(Number(t[i]));
      const [a, b] = byColumn.get(j) ?? [Infinity, -Infinity];
      byColumn.set(j, [Math.min(a, lo[i]!), Math.max(b, hi[i]!)]);
    }
    for (const p of points) {
      const [a, b] = byColumn.get(columnOf(Number(p.x)))!;
      expect(p.band![0]).toBeCloseTo(a, 12);
      expect(p.band![1]).toBeCloseTo(b, 12);
    }
    const table = dataTable(data, { x: 't', y: 'rate' }, String);
    expect(table.columns).toEqual(['t', 'rate', 'interval low', 'interval high']);
  });

  it('average the interval with the values per period, and refuse an interval with a sum', async () => {
    const { data } = await draw({ x: 'day', aggregate: 'avg', timeUnit: 'day' }, 800);
    if (data.kind !== 'series') throw new Error(data.kind);
    const expected = tableFromIPC(
      await session.run(
        'SELECT day, avg(ci_low) AS lo, avg(ci_high) AS hi FROM rates GROUP BY day ORDER BY day',
      ),
    );
    const points = data.series[0]!.points;
    expect(points).toHaveLength(expected.numRows);
    points.forEach((p, i) => {
      expect(p.band![0]).toBeCloseTo(Number(expected.getChild('lo')!.get(i)), 12);
      expect(p.band![1]).toBeCloseTo(Number(expected.getChild('hi')!.get(i)), 12);
    });
    await expect(draw({ x: 'day', aggregate: 'sum', timeUnit: 'day' }, 800)).rejects.toThrow(/interval/);
  });

  it('are never drawn from a sample first', async () => {
    const { config } = await draw({ x: 't' }, 200);
    expect(drawsCoarseFirst(config, columns, 10_000_000)).toBe(false);
    expect(drawsCoarseFirst({ ...config, interval: undefined }, columns, 10_000_000)).toBe(true);
  });
});
