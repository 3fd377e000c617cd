import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { restoreNotebookJson } from '../../src/notebook/model/file-format';
import { makeSqlCell } from '../../src/notebook/model/cells';
import { newNotebook, type Notebook } from '../../src/notebook/model/notebook';
import { createNotebookStore } from '../../src/notebook/store';
import type { NotebookStore } from '../../src/notebook/store-types';
import { IdbStorage, MemoryStorage, SaveConflict, type NotebookStorage } from '../../src/notebook/storage';
import { FakeConnector } from '../../src/notebook/testing/fake-connector';

const session = { user: 'ana', role: 'DataAnalyst', attributes: {} };

async function tab(storage: NotebookStorage): Promise<NotebookStore> {
  const store = createNotebookStore({
    connector: new FakeConnector(),
    storage,
    lakeUrl: '/lake/',
    session,
    saveDelayMs: 1,
  });
  await store.getState().init();
  return store;
}

const sqlOf = (store: NotebookStore) =>
  store.getState().notebook.cells.map((c) => (c.kind === 'sql' ? c.sql : ''));

async function storedSql(storage: NotebookStorage, id: string): Promise<string[]> {
  const restored = restoreNotebookJson((await storage.read(id))?.doc);
  if (!restored.ok) throw new Error(restored.message);
  return restored.notebook.cells.map((c) => (c.kind === 'sql' ? c.sql : ''));
}

async function twoTabs() {
  const storage = new MemoryStorage();
  const nb: Notebook = { ...newNotebook('Shared'), cells: [makeSqlCell('cell_1', 'SELECT 0')] };
  await storage.save(nb);
  await storage.setLastOpened(nb.id);
  const a = await tab(storage);
  const b = await tab(storage);
  const cellId = nb.cells[0]!.id;
  const edit = async (store: NotebookStore, sql: string) => {
    store.getState().updateSql(cellId, sql);
    await store.getState().flushSave();
  };
  return { storage, a, b, id: nb.id, edit };
}

describe('two tabs on one notebook', () => {
  it('a save over another tab’s newer save is refused and both versions are kept', async () => {
    const { storage, a, b, id, edit } = await twoTabs();
    await edit(a, 'SELECT 1 -- from A');
    await edit(b, 'SELECT 2 -- from B');
    expect(b.getState().conflict?.theirs?.cells).toMatchObject([{ sql: 'SELECT 1 -- from A' }]);
    expect(b.getState().save).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/another tab/),
    });
    expect(sqlOf(b)).toEqual(['SELECT 2 -- from B']);
    expect(await storedSql(storage, id)).toEqual(['SELECT 1 -- from A']);

    // Autosave waits while the choice is open: later edits stay in this tab.
    await edit(b, 'SELECT 3 -- from B');
    expect(await storedSql(storage, id)).toEqual(['SELECT 1 -- from A']);
    expect(b.getState().conflict).toBeDefined();
  });

  it('keeping this tab’s version saves it; the other tab then meets the same choice', async () => {
    const { storage, a, b, id, edit } = await twoTabs();
    await edit(a, 'SELECT 1 -- from A');
    await edit(b, 'SELECT 2 -- from B');
    await b.getState().resolveConflict('mine');
    expect(b.getState().conflict).toBeUndefined();
    expect(b.getState().save.status).toBe('saved');
    expect(await storedSql(storage, id)).toEqual(['SELECT 2 -- from B']);

    await edit(a, 'SELECT 4 -- from A');
    expect(a.getState().conflict?.theirs?.cells).toMatchObject([{ sql: 'SELECT 2 -- from B' }]);
    expect(await storedSql(storage, id)).toEqual(['SELECT 2 -- from B']);
  });

  it('keeping the other tab’s version shows it here and saving goes on from it', async () => {
    const { storage, a, b, id, edit } = await twoTabs();
    await edit(a, 'SELECT 1 -- from A');
    await edit(b, 'SELECT 2 -- from B');
    await b.getState().resolveConflict('theirs');
    expect(sqlOf(b)).toEqual(['SELECT 1 -- from A']);
    expect(b.getState().conflict).toBeUndefined();
    await edit(b, 'SELECT 5 -- B after A');
    await vi.waitFor(() => expect(b.getState().save.status).toBe('saved'));
    expect(await storedSql(storage, id)).toEqual(['SELECT 5 -- B after A']);
  });

  it('tabs that take turns never conflict', async () => {
    const { storage, a, b, id, edit } = await twoTabs();
    // A tab that only opened the notebook (b) writes nothing, so it never looks like a rival.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await b.getState().flushSave();
    expect((await storage.read(id))?.revision).toBe(1);
    await edit(a, 'SELECT 1');
    await edit(a, 'SELECT 2');
    expect(a.getState().conflict).toBeUndefined();
    const c = await tab(storage);
    await edit(c, 'SELECT 3');
    expect(c.getState().conflict).toBeUndefined();
    expect(await storedSql(storage, id)).toEqual(['SELECT 3']);
  });
});

describe('one tab saving quickly', () => {
  it('never conflicts with itself when saves overlap', async () => {
    const { storage, a, id } = await twoTabs();
    const cellId = a.getState().notebook.cells[0]!.id;
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 5; i++) {
      a.getState().updateSql(cellId, `SELECT ${i}`);
      saves.push(a.getState().flushSave());
    }
    await Promise.all(saves);
    expect(a.getState().conflict).toBeUndefined();
    expect(await storedSql(storage, id)).toEqual(['SELECT 4']);
  });
});

describe('IndexedDB revisions', () => {
  it('counts revisions, refuses a stale base with what is stored, and forgets on remove', async () => {
    const storage = await IdbStorage.open();
    const nb = newNotebook('Rev');
    expect(await storage.save(nb, 0)).toBe(1);
    expect(await storage.save({ ...nb, title: 'Rev 2' }, 1)).toBe(2);
    expect((await storage.read(nb.id))?.revision).toBe(2);
    const stale = storage.save({ ...nb, title: 'Stale' }, 1);
    await expect(stale).rejects.toBeInstanceOf(SaveConflict);
    const conflict = await stale.catch((e: SaveConflict) => e);
    expect(conflict).toMatchObject({ stored: { revision: 2, doc: { title: 'Rev 2' } } });
    expect(await storage.save({ ...nb, title: 'Forced' })).toBe(3);
    await storage.remove(nb.id);
    expect(await storage.read(nb.id)).toBeUndefined();
    expect(await storage.save(nb, 3)).toBe(1);
  });
});
