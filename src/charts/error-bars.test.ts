import { beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { createNodeBindings } from '../engine/worker/core/node-bindings';
import { DuckSession } from '../engine/worker/core/duck-session';
import { buildChartQuery, OTHER_LABEL } from './aggregate-sql';
import { dataTable, intervalKeys, toChartData } from './chart-data';
import { columnsOfSchema, type SourceColumn } from './columns';
import { parseChartConfig, type ChartConfigInput } from './config';

/** Bars with error bars: each bar's own interval, none for a bar gathered from several categories. */

let session: DuckSession;
let columns: SourceColumn[];

const ESTIMATES = [
  { unit: 'Respiratory', change: 0.0715, low: 0.0606, high: 0.0823 },
  { unit: 'Cardiology', change: -0.004, low: -0.011, high: 0.003 },
  { unit: 'Oncology', change: 0.002, low: -0.008, high: 0.012 },
  { unit: 'Surgery', change: -0.001, low: -0.006, high: 0.004 },
];

beforeAll(async () => {
  session = new DuckSession(await createNodeBindings());
  const values = ESTIMATES.map((e) => `('${e.unit}', ${e.change}, ${e.low}, ${e.high})`).join(', ');
  await session.run(
    `CREATE VIEW screen AS SELECT * FROM (VALUES ${values}) t(unit, excess_change, ci_low, ci_high)`,
  );
  columns = columnsOfSchema(tableFromIPC(await session.run('SELECT * FROM screen LIMIT 0')).schema);
});

async function draw(input: ChartConfigInput) {
  const config = parseChartConfig({ source: 'screen', type: 'bar', x: 'unit', y: 'excess_change', ...input });
  const query = buildChartQuery(config, columns, { width: 600, height: 300 });
  return toChartData(query, tableFromIPC(await session.run(query.sql)), 600);
}

describe('error bars', () => {
  it('carry each bar’s interval, as distances below and above its value', async () => {
    const data = await draw({ aggregate: 'avg', interval: { low: 'ci_low', high: 'ci_high' } });
    if (data.kind !== 'categories') throw new Error(data.kind);
    expect(data.intervals).toBe(true);
    const keys = intervalKeys('');
    const respiratory = data.rows.find((r) => r.x === 'Respiratory')!;
    expect(respiratory[keys.low]).toBeCloseTo(0.0606, 10);
    expect(respiratory[keys.high]).toBeCloseTo(0.0823, 10);
    const [below, above] = respiratory[keys.error] as number[];
    expect(below).toBeCloseTo(0.0715 - 0.0606, 10);
    expect(above).toBeCloseTo(0.0823 - 0.0715, 10);
    const table = dataTable(data, { x: 'unit', y: 'excess_change' }, String);
    expect(table.columns).toEqual(['unit', 'excess_change', 'interval low', 'interval high']);
    expect(table.rows.find((r) => r[0] === 'Respiratory')?.slice(2)).toEqual([
      respiratory[keys.low],
      respiratory[keys.high],
    ]);
  });

  it('give no interval to an "Other" bar gathered from several categories', async () => {
    const data = await draw({ aggregate: 'avg', topN: 2, interval: { low: 'ci_low', high: 'ci_high' } });
    if (data.kind !== 'categories') throw new Error(data.kind);
    const other = data.rows.find((r) => String(r.x).startsWith(OTHER_LABEL))!;
    expect(other[intervalKeys('').error]).toBeNull();
    expect(data.rows.filter((r) => Array.isArray(r[intervalKeys('').error]))).toHaveLength(2);
  });

  it('are refused over summed values, and leave charts without them unchanged', async () => {
    await expect(draw({ aggregate: 'sum', interval: { low: 'ci_low', high: 'ci_high' } })).rejects.toThrow(
      /An interval belongs to each value as it is/,
    );
    await expect(draw({ aggregate: 'avg', interval: { low: 'unit', high: 'ci_high' } })).rejects.toThrow(
      /holds no numbers/,
    );
    const plain = await draw({ aggregate: 'avg' });
    if (plain.kind !== 'categories') throw new Error(plain.kind);
    expect(plain.intervals).toBeUndefined();
    expect(Object.keys(plain.rows[0]!)).toEqual(['x', '']);
  });
});
