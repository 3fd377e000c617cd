import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/notebook/model/cells.ts';
import type { Notebook } from '../../src/notebook/model/notebook.ts';
import {
  checkLakeNotebooks,
  lakeNotebookFiles,
  runNotebookCells,
  staticProblems,
} from './check-notebooks.ts';
import { openDuck } from './duck.ts';

const lakeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public/sample-lake');

const notebook = (cells: Cell[]): Notebook => ({
  id: 'n',
  title: 'N',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  settings: { runMode: 'auto' },
  cells,
});
const sql = (name: string, text: string): Cell => ({ id: `sql-${name}`, kind: 'sql', name, sql: text });
const chart = (id: string, config: Record<string, unknown>): Cell => ({ id, kind: 'chart', config });

describe('the notebooks the sample lake ships', () => {
  it('read with the file parser and every SQL cell runs against the lake', async () => {
    expect(lakeNotebookFiles(lakeDir)).toContain('notebooks/fast-track-review.lakebook.json');
    expect(await checkLakeNotebooks(lakeDir)).toEqual([]);
  }, 120_000);
});

describe('what the check finds', () => {
  it('a cell named like a lake table, a chart of a cell below it and a chart missing its columns', () => {
    const nb = notebook([
      chart('c1', { source: 'later', type: 'bar', x: 'a', y: 'b', aggregate: 'sum' }),
      sql('evergreen_admissions', 'SELECT 1'),
      sql('later', 'SELECT 1 AS a, 2 AS b'),
      chart('c2', { source: 'later', type: 'line' }),
    ]);
    const problems = staticProblems(nb, ['evergreen_admissions']);
    expect(problems.map((p) => p.cell)).toEqual(['evergreen_admissions', 'c1', 'c2', 'c2']);
    expect(problems[1]!.problem).toMatch(/no SQL cell above it/);
  });

  it('a cell that does not run and a chart of a column its source does not return', async () => {
    const conn = await openDuck();
    const { results, problems } = await runNotebookCells(
      conn,
      notebook([
        sql('one', 'SELECT 1 AS a'),
        sql('broken', 'SELECT missing FROM one'),
        chart('c', { source: 'one', type: 'bar', x: 'a', y: 'b', aggregate: 'sum' }),
      ]),
    );
    conn.closeSync();
    expect(results.get('one')).toEqual([{ a: 1 }]);
    expect(problems).toEqual([
      { cell: 'broken', problem: expect.stringContaining('missing') },
      { cell: 'c', problem: 'draws column "b", which "one" does not return' },
    ]);
  });
});
