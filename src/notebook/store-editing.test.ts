import { describe, expect, it, vi } from 'vitest';
import { makeSqlCell } from './model/cells';
import { serializeNotebook } from './model/file-format';
import { newNotebook } from './model/notebook';
import { shareFragment } from './model/share';
import { createNotebookStore } from './store';
import { MemoryStorage } from './storage';
import { FakeConnector } from './testing/fake-connector';
import { session, setup } from './testing/store-setup';

describe('notebook store: editing and saving', () => {
  it('starts new users on a welcome notebook and saves it', async () => {
    const t = await setup();
    expect(t.s().notebook.title).toBe('Welcome to Lakebook');
    expect(await t.storage.list()).toHaveLength(1);
  });

  it('autosaves edits and restores them in a new session', async () => {
    const t = await setup([{ name: 'a', sql: 'SELECT 1' }]);
    t.s().updateSql(t.idOf('a'), 'SELECT 1 -- half-typ');
    expect(t.s().save.status).toBe('pending');
    await vi.waitFor(() => expect(t.s().save.status).toBe('saved'));
    const again = await setup(undefined, t.storage);
    expect(again.s().notebook.cells[0]).toMatchObject({ sql: 'SELECT 1 -- half-typ' });
  });

  it('says saved only when the notebook on screen is saved, not an earlier version', async () => {
    const storage = new MemoryStorage();
    const t = await setup([{ name: 'a', sql: 'SELECT 1' }], storage);
    const save = storage.save.bind(storage);
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const saving = new Promise<void>((r) => (started = r));
    storage.save = async (nb, base) => {
      started();
      await gate;
      return save(nb, base);
    };
    t.s().updateSql(t.idOf('a'), 'SELECT 2');
    const first = t.s().flushSave();
    await saving;
    t.s().updateSql(t.idOf('a'), 'SELECT 3');
    release();
    await first;
    expect(t.s().save.status).toBe('pending');
    await t.s().flushSave();
    expect(t.s().save.status).toBe('saved');
    expect(JSON.stringify((await storage.read(t.s().notebook.id))!.doc)).toContain('SELECT 3');
  });

  it('keeps editing when storage fails, and says so', async () => {
    const storage = new MemoryStorage();
    const t = await setup([{ name: 'a', sql: 'SELECT 1' }], storage);
    storage.save = () => Promise.reject(new Error('QuotaExceededError'));
    t.s().updateSql(t.idOf('a'), 'SELECT 2');
    await vi.waitFor(() => expect(t.s().save.status).toBe('failed'));
    expect(t.s().save.message).toContain('QuotaExceededError');
    expect(t.s().notebook.cells[0]).toMatchObject({ sql: 'SELECT 2' });
  });

  it('deletes with undo, and names new cells cell_N', async () => {
    const t = await setup([{ name: 'a', sql: 'SELECT 1' }]);
    const id = t.s().addCell('sql', 'below', t.idOf('a'));
    expect(t.s().notebook.cells.map((c) => c.kind === 'sql' && c.name)).toEqual(['a', 'cell_1']);
    expect(t.s().activeCellId).toBe(id);
    t.s().deleteCell(t.idOf('a'));
    expect(t.s().notebook.cells).toHaveLength(1);
    t.s().undoDelete();
    expect(t.s().notebook.cells.map((c) => c.kind === 'sql' && c.name)).toEqual(['a', 'cell_1']);
  });

  it('refuses a cell name that hides a lake table', async () => {
    const t = await setup([{ name: 'a', sql: 'SELECT 1' }]);
    expect(t.s().renameCell(t.idOf('a'), 'patients')).toMatchObject({ ok: false });
    expect(t.s().renameCell(t.idOf('a'), 'readmits')).toEqual({ ok: true });
    expect(t.s().notebook.cells[0]).toMatchObject({ name: 'readmits' });
  });

  it('imports a file as a new notebook, and leaves everything as it was when the file is corrupt', async () => {
    const t = await setup([{ name: 'a', sql: 'SELECT 1' }]);
    const before = t.s().notebook;
    const bad = await t.s().importNotebook('{"format":"lakebook-notebook","version":2,"cells":[');
    expect(bad.ok).toBe(false);
    expect(t.s().notebook).toBe(before);
    expect(t.s().notice).toMatchObject({ kind: 'error' });

    const copy = await t.s().importNotebook(serializeNotebook(before));
    expect(copy.ok).toBe(true);
    expect(t.s().notebook.id).not.toBe(before.id);
    expect(t.s().notebooks.map((n) => n.id)).toContain(before.id);
  });

  it('opens a shared link as a notebook', async () => {
    const shared = { ...newNotebook('From a colleague'), cells: [makeSqlCell('x', 'SELECT 42')] };
    const link = shareFragment(shared);
    if (!link.ok) throw new Error(link.message);
    const connector = new FakeConnector();
    const store = createNotebookStore({ connector, storage: new MemoryStorage(), lakeUrl: '/', session });
    await store.getState().init(link.fragment);
    expect(store.getState().notebook.title).toBe('From a colleague');
  });

  it('switches between notebooks and deletes one', async () => {
    const t = await setup([{ name: 'a', sql: 'SELECT 1' }]);
    const first = t.s().notebook.id;
    await t.s().newNotebook();
    const second = t.s().notebook.id;
    expect(second).not.toBe(first);
    expect(
      t
        .s()
        .notebooks.map((n) => n.id)
        .sort(),
    ).toEqual([first, second].sort());
    await t.s().openNotebook(first);
    expect(t.s().notebook.cells[0]).toMatchObject({ name: 'a' });
    await t.s().deleteNotebook(first);
    expect(t.s().notebook.id).toBe(second);
    expect((await t.storage.list()).map((n) => n.id)).toEqual([second]);
  });
});
