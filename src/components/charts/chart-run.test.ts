import { describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC, type Table } from 'apache-arrow';
import { parseChartConfig, type ChartConfigInput } from '../../charts/config';
import { COARSE_MIN_ROWS } from '../../charts/coarse-sql';
import { columnsOfSchema } from '../../charts/columns';
import type { EngineError, QueryResult } from '../../contract/results';
import { ChartResultCache } from './chart-result-cache';
import { runChart, type ChartRunIo, type ChartRunMemory, type ChartRunState } from './chart-run';

/**
 * The order of a chart's queries and states, with a fake engine: a line over a large source is drawn
 * coarse (status `refining`), then exact (`done`); small sources and kept results skip the coarse query; an
 * exact query that fails after a coarse drawing is reported and the coarse drawing removed.
 */

const T0 = Date.UTC(2024, 0, 1);

function result(table: Table): QueryResult {
  return {
    ipc: tableToIPC(table, 'stream'),
    columns: [],
    rowCount: table.numRows,
    truncated: false,
    elapsedMs: 1,
    tags: [],
    objects: [],
    rules: [],
  };
}

/** An M4 answer with one bucket per given point (x in ms), every corner at that point. */
function m4(points: [number, number][]): Table {
  const xs = Float64Array.from(points.map((p) => p[0]));
  const ys = Float64Array.from(points.map((p) => p[1]));
  return tableFromArrays({
    s: points.map(() => ''),
    k: Int32Array.from(points.map((_, i) => i)),
    x_first: xs,
    y_first: ys,
    x_last: xs,
    y_last: ys,
    x_low: xs,
    y_low: ys,
    x_high: xs,
    y_high: ys,
  });
}

const HEAD = tableFromArrays({ at: [new Date(T0)], v: Float64Array.from([1]) });
const COARSE = m4([
  [T0, 1],
  [T0 + 9000, 2],
]);
const EXACT = m4([
  [T0, 1],
  [T0 + 4000, 7],
  [T0 + 9000, 2],
]);

/** Answers by the shape of the SQL; records what was asked and every state set. */
function fakeEngine(opts: { rows: number; exact?: EngineError; coarse?: EngineError }) {
  const asked: string[] = [];
  const states: ChartRunState[] = [];
  let state: ChartRunState = { status: 'idle' };
  let live = true;
  const io: ChartRunIo = {
    exec: async (sql) => {
      const kind = sql.endsWith('LIMIT 0')
        ? 'head'
        : sql.startsWith('SELECT count(*)')
          ? 'count'
          : sql.includes('TABLESAMPLE')
            ? 'coarse'
            : 'exact';
      asked.push(kind);
      if (kind === 'head') return result(HEAD);
      if (kind === 'count') return result(tableFromArrays({ n: BigInt64Array.from([BigInt(opts.rows)]) }));
      if (kind === 'coarse') {
        if (opts.coarse) throw opts.coarse;
        return result(COARSE);
      }
      if (opts.exact) throw opts.exact;
      return result(EXACT);
    },
    live: () => live,
    set: (next) => {
      state = next(state);
      states.push(state);
    },
    settle: async () => {},
    drawn: async () => {
      asked.push('drawn');
    },
  };
  return { io, asked, states, stop: () => (live = false) };
}

const line: ChartConfigInput = { source: 'src', type: 'line', x: 'at', y: 'v' };
const input = (config: ChartConfigInput = line, width = 400) => ({
  config: parseChartConfig(config),
  sourcesKey: 'src',
  refresh: 1,
  size: { width, height: 200 },
  resized: false,
});
const memory = (): ChartRunMemory => ({ results: new ChartResultCache() });
const drawn = (s: ChartRunState) =>
  s.data?.kind === 'series' ? s.data.series.flatMap((l) => l.points.map((p) => p.y)) : undefined;

describe('a chart drawn coarse, then exact', () => {
  it('draws the sample at once as refining, asks for the exact chart once that is on screen, then swaps it in', async () => {
    const engine = fakeEngine({ rows: 10_000_000 });
    await runChart(input(), memory(), engine.io);
    expect(engine.asked).toEqual(['head', 'count', 'coarse', 'drawn', 'exact']);
    const drawings = engine.states.filter((s) => s.data);
    expect(drawings.map((s) => [s.status, s.query?.coarse ?? false, drawn(s)])).toEqual([
      ['refining', true, [1, 2]],
      ['done', false, [1, 7, 2]],
    ]);
  });

  it('asks for the exact chart alone over a small source, or for a chart that aggregates', async () => {
    const small = fakeEngine({ rows: COARSE_MIN_ROWS - 1 });
    await runChart(input(), memory(), small.io);
    expect(small.asked).toEqual(['head', 'count', 'exact']);
    expect(small.states.some((s) => s.status === 'refining')).toBe(false);

    const summed = fakeEngine({ rows: 10_000_000 });
    await runChart(input({ ...line, aggregate: 'sum', timeUnit: 'day' }), memory(), summed.io);
    expect(summed.asked).toEqual(['head', 'exact']);
  });

  it('says so when the exact chart fails, and does not leave the coarse one as if it were the chart', async () => {
    const denied: EngineError = { code: 'TIMEOUT', message: 'The query ran out of time.' };
    const engine = fakeEngine({ rows: 10_000_000, exact: denied });
    await runChart(input(), memory(), engine.io);
    expect(engine.states.map((s) => s.status)).toEqual(['running', 'running', 'refining', 'error']);
    const last = engine.states.at(-1)!;
    expect(last.error).toBe('The exact chart failed: The query ran out of time.');
    expect(last.data).toBeUndefined();
  });

  it('goes on to the exact chart when the coarse query fails', async () => {
    const engine = fakeEngine({ rows: 10_000_000, coarse: { code: 'RUNTIME', message: 'no sample' } });
    await runChart(input(), memory(), engine.io);
    expect(engine.asked).toEqual(['head', 'count', 'coarse', 'exact']);
    expect(engine.states.at(-1)?.status).toBe('done');
  });

  it('draws a wider plot from the kept coarser grid at once, then queries only the exact chart', async () => {
    const kept = memory();
    await runChart(input(line, 100), kept, fakeEngine({ rows: 10_000_000 }).io);
    const wider = fakeEngine({ rows: 10_000_000 });
    await runChart({ ...input(line, 1600), resized: true }, kept, wider.io);
    // The head and the row count are kept too: only the exact query at the new grid runs.
    expect(wider.asked).toEqual(['exact']);
    expect(wider.states.map((s) => [s.status, s.query?.grid?.buckets])).toEqual([
      ['refining', 1024],
      ['done', 16384],
    ]);
  });

  it('changes nothing once superseded (a new width, config or role)', async () => {
    const engine = fakeEngine({ rows: 10_000_000 });
    const exec = engine.io.exec;
    engine.io.exec = async (sql) => {
      const answer = await exec(sql);
      if (engine.asked.at(-1) === 'coarse') engine.stop();
      return answer;
    };
    await runChart(input(), memory(), engine.io);
    expect(engine.asked).toEqual(['head', 'count', 'coarse']);
    expect(engine.states.some((s) => s.data)).toBe(false);
  });

  it("takes the columns, and the rows of a whole result, from the source's own result", async () => {
    const known = { columns: columnsOfSchema(HEAD.schema), rows: 10_000_000 };
    const engine = fakeEngine({ rows: 10_000_000 });
    await runChart({ ...input(), known }, memory(), engine.io);
    expect(engine.asked).toEqual(['coarse', 'drawn', 'exact']);
    expect(engine.states.at(-1)?.status).toBe('done');
  });

  it("draws the same reader's source again from its last count, and counts it again once the chart is exact", async () => {
    const kept = memory();
    const known = { columns: columnsOfSchema(HEAD.schema) };
    await runChart({ ...input(), known, reader: 'ana' }, kept, fakeEngine({ rows: 10_000_000 }).io);
    // As the hook does when the source ran again: drawings of the result before are not kept.
    kept.results.scope(['src', 2]);
    const again = fakeEngine({ rows: 10_000_000 });
    await runChart({ ...input(), known, reader: 'ana', refresh: 2 }, kept, again.io);
    expect(again.asked).toEqual(['coarse', 'drawn', 'exact', 'count']);
    // Another reader's count is never used: it is asked for first.
    kept.results.scope(['src', 3]);
    const other = fakeEngine({ rows: 10_000_000 });
    await runChart({ ...input(), known, reader: 'bob', refresh: 3 }, kept, other.io);
    expect(other.asked).toEqual(['count', 'coarse', 'drawn', 'exact']);
  });

  it('draws a zoom at once from the whole line, marked as refining, then the window’s own chart', async () => {
    const kept = memory();
    await runChart(input(), kept, fakeEngine({ rows: 10_000_000 }).io);
    const zoom = fakeEngine({ rows: 10_000_000 });
    const xWindow = { lo: T0 + 3000, hi: T0 + 9000 };
    await runChart({ ...input(), xWindow }, kept, zoom.io);
    // No sample and no count: the drawing before stands in until the window's own M4.
    expect(zoom.asked).toEqual(['exact']);
    expect(zoom.states.map((s) => [s.status, s.xWindow, s.query?.xWindow, drawn(s)])).toEqual([
      ['refining', xWindow, undefined, [7, 2]],
      ['done', xWindow, xWindow, [1, 7, 2]],
    ]);
    expect(zoom.states[1].query?.sql).toContain('BETWEEN');
    // Back to the whole line: drawn from the kept result, no query.
    const whole = fakeEngine({ rows: 10_000_000 });
    await runChart(input(), kept, whole.io);
    expect(whole.asked).toEqual([]);
    expect(whole.states.map((s) => [s.status, s.xWindow])).toEqual([['done', undefined]]);
  });

  it('asks again when the aggregate changes, never drawing the other aggregate’s result', async () => {
    const kept = memory();
    const avg: ChartConfigInput = { ...line, aggregate: 'avg', timeUnit: 'day' };
    await runChart(input(avg), kept, fakeEngine({ rows: 10 }).io);
    const again = fakeEngine({ rows: 10 });
    await runChart(input(avg), kept, again.io);
    expect(again.asked).toEqual([]);
    const sum = fakeEngine({ rows: 10 });
    await runChart(input({ ...avg, aggregate: 'sum' }), kept, sum.io);
    expect(sum.asked).toEqual(['exact']);
    expect(sum.states.some((s) => s.status === 'refining')).toBe(false);
  });
});
