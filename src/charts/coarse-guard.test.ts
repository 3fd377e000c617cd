import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { startHost } from '../engine/testing/host-driver';
import { serveFolder, type ServedFolder } from '../engine/testing/lake-fixture';
import type { Request } from '../engine/protocol';
import type { CellSource, QueryResult } from '../contract/results';
import { buildChartQuery } from './aggregate-sql';
import { COARSE_MIN_ROWS, coarseChartQuery } from './coarse-sql';
import { columnsOfSchema } from './columns';
import { parseChartConfig } from './config';
import type { Session } from '../gov/types';

/**
 * The coarse query takes the exact query's path through the engine: the guard decides on its plan (a
 * SYSTEM sample is a streaming sample over the cell's rows, an operator the allow-list already holds) and
 * the role's view bounds its rows. For every role, the coarse query is allowed exactly when the exact one
 * is, and draws only rows the role's view of the source cell holds. So does a zoom into part of the line.
 */

let lake: ServedFolder;
beforeAll(async () => {
  lake = await serveFolder(path.resolve('public/sample-lake'));
});
afterAll(() => lake?.close());

const CELLS: CellSource[] = [
  {
    name: 'stays',
    sql: `WITH s AS (SELECT admittime, epoch(dischtime - admittime) / 3600.0 AS los_hours FROM admissions)
      SELECT * FROM s WHERE los_hours > 0`,
  },
];
const query = (sql: string): Request => ({ kind: 'query', sql, cells: CELLS });

const ROLES: Session[] = [
  { user: 'root', role: 'Admin', attributes: {} },
  { user: 'ana', role: 'DataAnalyst', attributes: {} },
  { user: 'cl', role: 'Clinician', attributes: { wards: ['Medical Intensive Care Unit (MICU)'] } },
  { user: 'pub', role: 'Public', attributes: {} },
];

describe('the coarse chart query under the guard', () => {
  it.each(ROLES)(
    'is decided as the exact one is, and reads only the role’s rows ($role)',
    async (session) => {
      const host = startHost();
      await host.value({ kind: 'init', lakeUrl: lake.url, session });
      const head = await host.send(query('SELECT * FROM "stays" LIMIT 0')).reply;
      if (!('ok' in head) || !head.ok) {
        // A role that may not read the cell gets no chart at all, coarse or exact.
        expect(session.role).toBe('Public');
        return;
      }
      const columns = columnsOfSchema(tableFromIPC((head.value as QueryResult).ipc).schema);
      const config = parseChartConfig({ source: 'stays', type: 'line', x: 'admittime', y: 'los_hours' });
      const exact = buildChartQuery(config, columns, { width: 200, height: 100 });
      // The sample lake is small: the coarse query is built as for a large source.
      const coarse = coarseChartQuery(config, columns, exact, 200, COARSE_MIN_ROWS)!;
      const [e, c] = await Promise.all([
        host.send(query(exact.sql)).reply,
        host.send(query(coarse.sql)).reply,
      ]);
      // Every role that may read the cell may draw it: both queries are allowed, neither only one.
      expect('ok' in e && e.ok, JSON.stringify(e).slice(0, 300)).toBe(true);
      if (!('ok' in c) || !c.ok) throw new Error(`the coarse query failed: ${JSON.stringify(c)}`);
      const visible = await host.value<QueryResult>(
        query('SELECT epoch_us(admittime) / 1000.0 AS x, los_hours AS y FROM "stays"'),
      );
      const rows = tableFromIPC(visible.ipc);
      const seen = new Set<string>();
      for (let i = 0; i < rows.numRows; i++)
        seen.add(`${rows.getChild('x')!.get(i)}:${rows.getChild('y')!.get(i)}`);
      const onlySeen = (answer: QueryResult) => {
        const drawn = tableFromIPC(answer.ipc);
        expect(drawn.numRows).toBeGreaterThan(0);
        for (const corner of ['first', 'last', 'low', 'high'])
          for (let i = 0; i < drawn.numRows; i++) {
            const point = `${drawn.getChild(`x_${corner}`)!.get(i)}:${drawn.getChild(`y_${corner}`)!.get(i)}`;
            expect(seen.has(point), point).toBe(true);
          }
      };
      onlySeen(c.value as QueryResult);
      // A zoom into the middle half of the role's rows is allowed too, and draws only those rows.
      const xs = Array.from(rows.getChild('x')!.toArray() as Float64Array);
      const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
      const xWindow = { lo: lo + (hi - lo) / 4, hi: hi - (hi - lo) / 4 };
      const zoomed = buildChartQuery(config, columns, { width: 200, height: 100 }, xWindow);
      const z = await host.send(query(zoomed.sql)).reply;
      if (!('ok' in z) || !z.ok) throw new Error(`the zoomed query failed: ${JSON.stringify(z)}`);
      onlySeen(z.value as QueryResult);
      const firsts = tableFromIPC((z.value as QueryResult).ipc)
        .getChild('x_first')!
        .toArray() as Float64Array;
      expect(Math.min(...firsts)).toBeGreaterThanOrEqual(Math.floor(xWindow.lo));
    },
  );
});
