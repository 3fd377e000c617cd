import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellSource, QueryResult } from '../../contract/results';
import { serveFolder, type ServedFolder } from '../testing/lake-fixture';
import { startHost } from '../testing/host-driver';

let lake: ServedFolder;
beforeAll(async () => {
  lake = await serveFolder(path.resolve('public/sample-lake'));
});
afterAll(() => lake?.close());

describe('reusing guard decisions', () => {
  it('reuses an allow for the same statement, cells and data, and decides afresh otherwise', async () => {
    const h = startHost();
    await h.value({
      kind: 'init',
      lakeUrl: lake.url,
      session: { user: 'ana', role: 'DataAnalyst', attributes: {} },
    });
    const run = (sql: string, cells: CellSource[] = []) =>
      h.value<QueryResult>({ kind: 'query', sql, cells });
    const count = 'SELECT insurance, count(*) AS n FROM admissions GROUP BY 1 ORDER BY 1';

    const first = await run(count);
    expect(first.guardReused).toBe(false);
    const again = await run(count);
    expect(again.guardReused).toBe(true);
    expect(again.objects).toEqual(first.objects);
    expect(again.rowCount).toBe(first.rowCount);

    const cells = [{ name: 'ages', sql: 'SELECT anchor_age FROM patients' }];
    expect((await run(count, cells)).guardReused).toBe(false);
    expect((await run(count, cells)).guardReused).toBe(true);

    // New data in the instance: what was decided on the old data is decided again.
    await run('SELECT max(anchor_age) FROM ages', cells);
    expect((await run(count, cells)).guardReused).toBe(false);

    // Denials are never kept.
    for (let i = 0; i < 2; i++) {
      const error = await h.error({ kind: 'query', sql: "SELECT * FROM read_csv('x.csv')", cells: [] });
      expect(error.code).toBe('DENIED');
    }
  });
});
