import { describe, expect, it, vi } from 'vitest';
import { makeSqlCell, type SqlCell } from './model/cells';
import { newNotebook, type Notebook } from './model/notebook';
import { createNotebookStore } from './store';
import { MemoryStorage } from './storage';
import { FakeConnector } from './testing/fake-connector';

const session = { user: 'ana', role: 'DataAnalyst', attributes: {} };

async function setup(cells: { name: string; sql: string }[]) {
  const connector = new FakeConnector();
  const storage = new MemoryStorage();
  const nb: Notebook = { ...newNotebook('T'), cells: cells.map((c) => makeSqlCell(c.name, c.sql)) };
  await storage.save(nb);
  await storage.setLastOpened(nb.id);
  const store = createNotebookStore({ connector, storage, lakeUrl: '/lake/', session, saveDelayMs: 5 });
  await store.getState().init();
  await store.getState().startEngine();
  const s = () => store.getState();
  const byName = (name: string) =>
    s().notebook.cells.find((c): c is SqlCell => c.kind === 'sql' && c.name === name)!;
  return { s, byName, connector };
}

describe('notebook store: renaming a cell that others read', () => {
  it('rewrites the readers to the new name and marks their results stale', async () => {
    const t = await setup([
      { name: 'cell_1', sql: 'SELECT 1 AS n' },
      { name: 'cell_2', sql: "SELECT n, 'cell_1' AS label FROM cell_1" },
      { name: 'cell_3', sql: 'SELECT cell_1.n FROM Cell_1 JOIN cell_2 USING (n)' },
      { name: 'other', sql: 'SELECT 2 AS cell_10' },
    ]);
    const run = t.s().runCell(t.byName('cell_2').id);
    await vi.waitFor(() => expect(t.connector.queries).toHaveLength(1));
    t.connector.queries[0]!.answer({ n: [1] });
    await run;

    expect(t.s().renameCell(t.byName('cell_1').id, 'base')).toEqual({ ok: true });
    expect(t.s().updateReferences('cell_1', 'base')).toBe(2);
    expect(t.byName('cell_2').sql).toBe("SELECT n, 'cell_1' AS label FROM base");
    expect(t.byName('cell_3').sql).toBe('SELECT base.n FROM base JOIN cell_2 USING (n)');
    expect(t.byName('other').sql).toBe('SELECT 2 AS cell_10');
    expect(t.s().runs[t.byName('cell_2').id]!.stale).toBe(true);
  });

  it('changes nothing when no cell reads the old name', async () => {
    const t = await setup([
      { name: 'cell_1', sql: 'SELECT 1 AS n' },
      { name: 'cell_2', sql: 'SELECT 2 AS m' },
    ]);
    const before = t.s().notebook;
    t.s().renameCell(t.byName('cell_1').id, 'base');
    const renamed = t.s().notebook;
    expect(t.s().updateReferences('cell_1', 'base')).toBe(0);
    expect(t.s().notebook).toBe(renamed);
    expect(renamed).not.toBe(before);
  });
});
