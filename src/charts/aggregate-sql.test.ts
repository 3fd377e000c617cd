import { beforeAll, describe, expect, it } from 'vitest';
import {
  Float64,
  TimestampMillisecond,
  Utf8,
  Table,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { createNodeBindings } from '../engine/worker/core/node-bindings';
import { DuckSession } from '../engine/worker/core/duck-session';
import { buildChartQuery, MAX_RAW_POINTS, OTHER_LABEL } from './aggregate-sql';
import { toChartData } from './chart-data';
import { m4Buckets, M4_BUCKETS_PER_PIXEL } from './m4-sql';
import { columnsOfSchema, type SourceColumn } from './columns';
import { parseChartConfig, type ChartConfigInput } from './config';
import { bruteM4, drawnPoints } from './testing/brute-m4';

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  ward: string | null;
  at: number | null; // epoch ms
  value: number | null;
  cat: string;
  amount: number;
}

const T0 = Date.UTC(2024, 0, 1);
/** The source cell's name has a space and a quote, and one column is a keyword: quoting must hold. */
const CELL = 'vitals "raw" 2024';

function generate(n: number, seed: number): Row[] {
  const r = rng(seed);
  const wards = ['ICU', 'MED', 'SURG'];
  const level: Record<string, number> = { ICU: 50, MED: 0, SURG: -50 };
  const clock: Record<string, number> = { ICU: T0, MED: T0, SURG: T0 };
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const ward = wards[i % 3];
    clock[ward] += 1000 + Math.floor(r() * 600_000); // irregular gaps, x unique within a ward
    level[ward] += (r() - 0.5) * 10 + (r() < 0.001 ? 400 * (r() - 0.5) : 0); // a walk with rare spikes
    const cat = r() < 0.05 ? OTHER_LABEL : `c${Math.floor(r() ** 2 * 40)}`;
    rows.push({
      ward: i % 997 === 0 ? null : ward,
      at: i % 1499 === 0 ? null : clock[ward],
      value: i % 1201 === 0 ? null : level[ward],
      cat,
      amount: Math.round(r() * 1000) / 10,
    });
  }
  return rows;
}

function toArrow(rows: Row[]): Table {
  return new Table({
    ward: vectorFromArray(
      rows.map((r) => r.ward),
      new Utf8(),
    ),
    at: vectorFromArray(
      rows.map((r) => r.at),
      new TimestampMillisecond(),
    ),
    value: vectorFromArray(
      rows.map((r) => r.value),
      new Float64(),
    ),
    select: vectorFromArray(
      rows.map((r) => r.cat),
      new Utf8(),
    ),
    amount: vectorFromArray(
      rows.map((r) => r.amount),
      new Float64(),
    ),
  });
}

let session: DuckSession;
let rows: Row[];
let columns: SourceColumn[];

async function chart(input: Omit<ChartConfigInput, 'source'>, width = 300, height = 200) {
  const q = buildChartQuery(parseChartConfig({ ...input, source: CELL }), columns, { width, height });
  const table = tableFromIPC(await session.run(q.sql));
  return { q, table, rows: table.toArray().map((r) => r.toJSON() as Record<string, unknown>) };
}

beforeAll(async () => {
  session = new DuckSession(await createNodeBindings());
  session.lockDown();
  rows = generate(30_000, 7);
  session.insertIpc('vitals', tableToIPC(toArrow(rows), 'stream'), true);
  await session.run(`CREATE VIEW "vitals ""raw"" 2024" AS SELECT * FROM vitals`);
  columns = columnsOfSchema(
    tableFromIPC(await session.run(`SELECT * FROM "vitals ""raw"" 2024" LIMIT 0`)).schema,
  );
});

describe('M4 lines', () => {
  it('names its lines by everything that makes them, the aggregate included, and not by a zoom', () => {
    const grid = (c: Omit<ChartConfigInput, 'source'>, xWindow?: { lo: number; hi: number }) =>
      buildChartQuery(
        parseChartConfig({ source: 'vitals', ...c }),
        columns,
        { width: 300, height: 200 },
        xWindow,
      ).grid!;
    const avg = grid({ type: 'line', x: 'at', y: 'value', aggregate: 'avg', timeUnit: 'day' });
    const sum = grid({ type: 'line', x: 'at', y: 'value', aggregate: 'sum', timeUnit: 'day' });
    expect(avg.lines).not.toBe(sum.lines);
    expect(avg.key).not.toBe(sum.key);
    const zoomed = grid(
      { type: 'line', x: 'at', y: 'value', aggregate: 'avg', timeUnit: 'day' },
      { lo: T0, hi: T0 + 864e5 },
    );
    expect(zoomed.lines).toBe(avg.lines);
    expect(zoomed.key).not.toBe(avg.key);
  });

  it('keeps, per pixel column and series, exactly the first, last, lowest and highest point', async () => {
    const px = 300;
    const { table, q } = await chart({ type: 'line', x: 'at', y: 'value', series: 'ward' }, px);
    expect(q.shape).toBe('m4');
    const buckets = q.grid!.buckets;
    expect(buckets).toBe(m4Buckets(px));
    const drawn = rows
      .filter((r) => r.at !== null && r.value !== null)
      .map((r) => ({ s: r.ward ?? '(missing)', x: r.at!, y: r.value! }));
    // The same result draws the plot's own width and any narrower one, exactly, without a new query.
    for (const width of [px, 150, 37]) {
      const { expected, column } = bruteM4(drawn, { time: true, buckets, px: width });
      const got = drawnPoints(toChartData(q, table, width), column);
      expect(got, `width ${width}`).toEqual(expected);
      // At most 4 points per pixel column and series, whatever the number of rows.
      for (const points of got.values()) expect(points.size).toBeLessThanOrEqual(4);
    }
    // The engine answers one row per series and grid bucket at most, never a row per source row.
    expect(table.numRows).toBeLessThanOrEqual(buckets * 4);
    const data = toChartData(q, table, px);
    const points = data.kind === 'series' ? data.series.reduce((n, s) => n + s.points.length, 0) : 0;
    expect(points).toBeLessThan(drawn.length / 5);
  });

  it('breaks ties in x and y the way the brute force does', async () => {
    // Every row again at the same time with a higher value, and at the same value one millisecond later.
    await session.run(`CREATE VIEW "ties" AS SELECT "at", "value" FROM vitals WHERE ward = 'ICU'
      UNION ALL SELECT "at", "value" + 0.5 FROM vitals WHERE ward = 'ICU'
      UNION ALL SELECT "at" + INTERVAL 1 MILLISECOND, "value" FROM vitals WHERE ward = 'ICU'`);
    const q = buildChartQuery(
      parseChartConfig({ source: 'ties', type: 'line', x: 'at', y: 'value' }),
      columns,
      {
        width: 97,
        height: 100,
      },
    );
    const table = tableFromIPC(await session.run(q.sql));
    const icu = rows.filter((r) => r.ward === 'ICU' && r.at !== null && r.value !== null);
    const drawn = icu.flatMap((r) => [
      { s: '', x: r.at!, y: r.value! },
      { s: '', x: r.at!, y: r.value! + 0.5 },
      { s: '', x: r.at! + 1, y: r.value! },
    ]);
    const { expected, column } = bruteM4(drawn, { time: true, buckets: q.grid!.buckets, px: 97 });
    expect(drawnPoints(toChartData(q, table, 97), column)).toEqual(expected);
  });

  it('puts each point within 1/8 of a pixel of its exact column, on a number axis too', async () => {
    const px = 211;
    const { table, q } = await chart({ type: 'line', x: 'value', y: 'amount' }, px);
    const drawn = rows.filter((r) => r.value !== null).map((r) => ({ s: '', x: r.value!, y: r.amount }));
    const { expected, column, lo, hi } = bruteM4(drawn, { time: false, buckets: q.grid!.buckets, px });
    const data = toChartData(q, table, px);
    expect(drawnPoints(data, column)).toEqual(expected);
    if (data.kind !== 'series') throw new Error('expected a series');
    for (const p of data.series[0].points) {
      const exact = (((p.x as number) - lo) / (hi - lo)) * px;
      const j = column(p.x as number);
      expect(exact).toBeGreaterThan(j - 1 / M4_BUCKETS_PER_PIXEL - 1e-9);
      expect(exact).toBeLessThan(j + 1 + 1 / M4_BUCKETS_PER_PIXEL);
    }
  });

  it('draws an aggregated series exactly when it has fewer points than pixels', async () => {
    const { table: grid, q } = await chart(
      { type: 'area', x: 'at', y: 'amount', aggregate: 'sum', timeUnit: 'day' },
      800,
    );
    const data = toChartData(q, grid, 800);
    if (data.kind !== 'series') throw new Error('expected a series');
    const perDay = new Map<number, number>();
    for (const r of rows) {
      if (r.at === null) continue;
      const day = Math.floor(r.at / 86_400_000) * 86_400_000;
      perDay.set(day, (perDay.get(day) ?? 0) + r.amount);
    }
    expect(perDay.size).toBeLessThan(800);
    const got = data.series[0].points.map((p) => [p.x, p.y] as [number, number]);
    expect(got.map(([d]) => d)).toEqual([...perDay.keys()].sort((a, b) => a - b));
    for (const [d, v] of got) expect(v).toBeCloseTo(perDay.get(d)!, 6);
  });
});

describe('bars', () => {
  it('keeps the top N categories and gathers the rest into one bar, summing to the total', async () => {
    const { rows: out } = await chart({ type: 'bar', x: 'select', y: 'amount', aggregate: 'sum', topN: 8 });
    const total = rows.reduce((a, r) => a + r.amount, 0);
    expect(out.reduce((a, r) => a + (r.y as number), 0)).toBeCloseTo(total, 4);
    expect(out).toHaveLength(9);
    // A real category called "Other" keeps its own bar, apart from the gathered one.
    const others = out.filter((r) => r.x === OTHER_LABEL);
    expect(others.map((r) => r.members)).toContain(1);
    const gathered = out[out.length - 1];
    expect(gathered.x).toBe(OTHER_LABEL);
    const distinct = new Set(rows.map((r) => r.cat)).size;
    expect(gathered.members).toBe(distinct - 8);
    const sums = new Map<string, number>();
    for (const r of rows) sums.set(r.cat, (sums.get(r.cat) ?? 0) + r.amount);
    const top = [...sums.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    expect(out.slice(0, 8).map((r) => r.x)).toEqual(top.map(([c]) => c));
  });

  it('averages the rows of "Other", not the averages of its categories', async () => {
    const { rows: out } = await chart({ type: 'bar', x: 'select', y: 'amount', aggregate: 'avg', topN: 3 });
    const shown = new Set(out.slice(0, 3).map((r) => r.x as string));
    const rest = rows.filter((r) => !shown.has(r.cat));
    expect(out[3].y).toBeCloseTo(rest.reduce((a, r) => a + r.amount, 0) / rest.length, 8);
  });

  it('counts per series and category (stacked bars)', async () => {
    const { rows: out } = await chart({
      type: 'bar',
      barMode: 'stacked',
      x: 'select',
      series: 'ward',
      aggregate: 'count',
    });
    expect(out.reduce((a, r) => a + (r.y as number), 0)).toBe(rows.length);
    expect(new Set(out.map((r) => r.s))).toEqual(new Set(['ICU', 'MED', 'SURG', '(missing)']));
  });
});

describe('histograms', () => {
  it('counts every value exactly once, in the bin whose edges hold it', async () => {
    const { rows: out } = await chart({ type: 'histogram', x: 'value', bins: 25 });
    const values = rows.map((r) => r.value).filter((v): v is number => v !== null);
    expect(out.reduce((a, r) => a + (r.n as number), 0)).toBe(values.length);
    for (const b of out) {
      const inside = values.filter((v) => v >= (b.x0 as number) && v < (b.x1 as number)).length;
      expect(inside, `bin ${b.bin}`).toBe(b.n);
    }
    expect(out.length).toBeLessThanOrEqual(27);
    const widths = new Set(out.map((b) => Math.round(((b.x1 as number) - (b.x0 as number)) * 1e6)));
    expect(widths.size).toBe(1);
  });

  it('bins time into equal spans and counts each row once per series', async () => {
    const { rows: out } = await chart({ type: 'histogram', x: 'at', series: 'ward', bins: 12 });
    const withX = rows.filter((r) => r.at !== null);
    expect(out.reduce((a, r) => a + (r.n as number), 0)).toBe(withX.length);
    expect(Math.max(...out.map((r) => r.bin as number))).toBe(11);
  });
});

describe('scatter', () => {
  it('returns the rows themselves while they are few', async () => {
    await session.run(
      `CREATE VIEW "few" AS SELECT * FROM vitals WHERE "at" IS NOT NULL AND "value" IS NOT NULL LIMIT 500`,
    );
    const q = buildChartQuery(
      parseChartConfig({ source: 'few', type: 'scatter', x: 'amount', y: 'value' }),
      columns,
      {
        width: 600,
        height: 300,
      },
    );
    const out = tableFromIPC(await session.run(q.sql));
    expect(out.numRows).toBe(500);
    expect(
      out
        .getChild('n')!
        .toArray()
        .every((n: number) => n === 1),
    ).toBe(true);
  });

  it('counts per pixel cell when dense, and every row lands in one cell', async () => {
    const { rows: out } = await chart({ type: 'scatter', x: 'at', y: 'value' }, 600, 300);
    const drawn = rows.filter((r) => r.at !== null && r.value !== null).length;
    expect(drawn).toBeGreaterThan(MAX_RAW_POINTS);
    expect(out.reduce((a, r) => a + (r.n as number), 0)).toBe(drawn);
    expect(out.length).toBeLessThanOrEqual((600 / 6) * (300 / 6));
  });
});

describe('KPI', () => {
  it('compares the latest month with the month before', async () => {
    const { rows: out } = await chart({
      type: 'kpi',
      x: 'at',
      y: 'amount',
      aggregate: 'sum',
      timeUnit: 'month',
    });
    const monthOf = (ms: number) => {
      const d = new Date(ms);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    };
    const sums = new Map<number, number>();
    for (const r of rows)
      if (r.at !== null) sums.set(monthOf(r.at), (sums.get(monthOf(r.at)) ?? 0) + r.amount);
    const months = [...sums.keys()].sort((a, b) => a - b);
    const last = months[months.length - 1];
    const prev = Date.UTC(new Date(last).getUTCFullYear(), new Date(last).getUTCMonth() - 1, 1);
    expect(out).toHaveLength(1);
    expect(out[0].period).toBe(last);
    expect(out[0].value).toBeCloseTo(sums.get(last)!, 6);
    expect(out[0].previous).toBeCloseTo(sums.get(prev)!, 6);
  });

  it('gives the rate of true values over all rows without x', async () => {
    const { rows: out } = await chart({ type: 'kpi', y: 'amount', aggregate: 'rate' });
    expect(out[0].value).toBeCloseTo(rows.filter((r) => r.amount !== 0).length / rows.length, 10);
    expect(out[0].previous).toBeNull();
  });
});

describe('names', () => {
  it('refuses columns the source does not have and y columns that hold no numbers', () => {
    const cfg = (c: ChartConfigInput) => parseChartConfig({ source: CELL, ...c });
    expect(() =>
      buildChartQuery(cfg({ type: 'line', x: 'at', y: 'nope' }), columns, { width: 1, height: 1 }),
    ).toThrow(/no column "nope"/);
    expect(() =>
      buildChartQuery(cfg({ type: 'bar', x: 'at', y: 'ward', aggregate: 'sum' }), columns, {
        width: 1,
        height: 1,
      }),
    ).toThrow(/needs numbers/);
  });
});
