import { describe, expect, it, vi } from 'vitest';
import type { ExportApi } from '../contract/connector';
import type { CellSource } from '../contract/results';
import { makeSqlCell } from './model/cells';
import { newNotebook, type Notebook } from './model/notebook';
import { createNotebookStore } from './store';
import { MemoryStorage } from './storage';
import { FakeConnector } from './testing/fake-connector';

const session = { user: 'ana', role: 'DataAnalyst', attributes: {} };

async function setup(cells: { name: string; sql: string }[], exporter?: ExportApi) {
  const connector = new FakeConnector();
  if (exporter) Object.assign(connector, { exporter });
  const storage = new MemoryStorage();
  const nb: Notebook = { ...newNotebook('T'), cells: cells.map((c) => makeSqlCell(c.name, c.sql)) };
  await storage.save(nb);
  await storage.setLastOpened(nb.id);
  const store = createNotebookStore({ connector, storage, lakeUrl: '/lake/', session, saveDelayMs: 5 });
  await store.getState().init();
  await store.getState().startEngine();
  const s = () => store.getState();
  const idOf = (name: string) => s().notebook.cells.find((c) => c.kind === 'sql' && c.name === name)!.id;
  /** Runs the cell and answers its query with `values` and `tags`. */
  const run = async (name: string, values: Record<string, number[]>, tags: string[] = []) => {
    const before = connector.queries.length;
    const done = s().runCell(idOf(name));
    await vi.waitFor(() => expect(connector.queries.length).toBe(before + 1));
    connector.queries[before]!.answer(values, tags);
    await done;
  };
  return { s, idOf, run };
}

const text = async (parts: BlobPart[]) => new Blob(parts).text();

describe('notebook store: downloading a result', () => {
  it('writes the result on screen as CSV', async () => {
    const t = await setup([{ name: 'counts', sql: 'SELECT n FROM x' }]);
    await t.run('counts', { n: [1, 22] });
    const file = await t.s().exportResult(t.idOf('counts'), 'csv');
    if (!file.ok) throw new Error(file.message);
    expect(file.fileName).toBe('counts.csv');
    expect(await text(file.parts)).toBe('n\r\n1\r\n22\r\n');
  });

  it('refuses a PHI result to a role that may not export PHI, in either format', async () => {
    const exportParquet = vi.fn();
    const t = await setup([{ name: 'stays', sql: 'SELECT subject_id FROM admissions' }], { exportParquet });
    await t.run('stays', { subject_id: [7] }, ['PHI']);
    for (const format of ['csv', 'parquet'] as const) {
      const file = await t.s().exportResult(t.idOf('stays'), format);
      expect(file.ok).toBe(false);
      if (!file.ok) expect(file.message).toContain('DataAnalyst may not export PHI');
    }
    expect(exportParquet).not.toHaveBeenCalled();
  });

  it('asks the engine for Parquet with the sort shown and the cells the cell reads', async () => {
    const asked: { sql: string; cells: CellSource[] }[] = [];
    const exporter: ExportApi = {
      async exportParquet(sql, cells) {
        asked.push({ sql, cells });
        return {
          format: 'parquet',
          bytes: new Uint8Array([80, 65, 82, 49]),
          rowCount: 3,
          truncated: true,
          tags: [],
        };
      },
    };
    const t = await setup(
      [
        { name: 'base', sql: 'SELECT 1 AS v' },
        { name: 'top', sql: 'SELECT v FROM base' },
      ],
      exporter,
    );
    await t.run('top', { v: [1] });
    t.s().sortResult(t.idOf('top'), { column: 'v', descending: true });
    const file = await t.s().exportResult(t.idOf('top'), 'parquet');
    if (!file.ok) throw new Error(file.message);
    expect(file.fileName).toBe('top.parquet');
    expect(await text(file.parts)).toBe('PAR1');
    expect(file.note).toContain('first 3 rows');
    expect(asked).toEqual([
      {
        sql: expect.stringMatching(/ORDER BY "v" DESC/),
        cells: [{ name: 'base', sql: 'SELECT 1 AS v' }],
      },
    ]);
  });

  it('says when there is nothing to download yet', async () => {
    const t = await setup([{ name: 'idle', sql: 'SELECT 1' }]);
    const file = await t.s().exportResult(t.idOf('idle'), 'csv');
    expect(file).toEqual({ ok: false, message: expect.stringContaining('Run the cell first') });
  });
});
