import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeSqlCell } from './model/cells';
import { newNotebook, type Notebook } from './model/notebook';
import { createNotebookStore } from './store';
import { MemoryStorage } from './storage';
import { browserTabChannel, type TabChannel } from './tab-channel';
import { FakeConnector } from './testing/fake-connector';
import { memoryTabs } from './testing/memory-tabs';

const session = { user: 'ana', role: 'DataAnalyst', attributes: {} };

/** Two tabs on one notebook, sharing storage; `saveDelayMs` long enough that edits stay unsaved until flushed. */
async function twoTabs() {
  const storage = new MemoryStorage();
  const nb: Notebook = {
    ...newNotebook('Shared'),
    cells: [makeSqlCell('base', 'SELECT 1 AS x'), makeSqlCell('top', 'SELECT x FROM base')],
  };
  await storage.save(nb);
  await storage.setLastOpened(nb.id);
  const channel = memoryTabs();
  const tab = async () => {
    const connector = new FakeConnector();
    const store = createNotebookStore({
      connector,
      storage,
      lakeUrl: '/lake/',
      session,
      saveDelayMs: 60_000,
      tabs: channel(),
    });
    await store.getState().init();
    await store.getState().startEngine();
    const idOf = (name: string) =>
      store.getState().notebook.cells.find((c) => c.kind === 'sql' && c.name === name)!.id;
    const sqlOf = (name: string) => {
      const c = store.getState().notebook.cells.find((x) => x.id === idOf(name));
      return c?.kind === 'sql' ? c.sql : undefined;
    };
    return { store, connector, idOf, sqlOf, s: () => store.getState() };
  };
  return { storage, a: await tab(), b: await tab() };
}

describe('tabs follow each other', () => {
  it('a tab with no unsaved edits takes what another tab saved, and saves on top of it', async () => {
    const { a, b, storage } = await twoTabs();
    a.s().updateSql(a.idOf('base'), 'SELECT 2 AS x');
    await a.s().flushSave();
    await vi.waitFor(() => expect(b.sqlOf('base')).toBe('SELECT 2 AS x'));
    expect(b.s().notice?.text).toMatch(/another tab/);
    expect(b.s().conflict).toBeUndefined();

    b.s().updateSql(b.idOf('top'), 'SELECT x + 1 AS y FROM base');
    await b.s().flushSave();
    expect(b.s().save.status).toBe('saved');
    const stored = (await storage.read(a.s().notebook.id))!;
    expect(JSON.stringify(stored.doc)).toContain('SELECT 2 AS x');
    expect(JSON.stringify(stored.doc)).toContain('SELECT x + 1 AS y FROM base');
    await vi.waitFor(() => expect(a.sqlOf('top')).toBe('SELECT x + 1 AS y FROM base'));
  });

  it('a tab with unsaved edits is offered the choice at once, and nothing is overwritten', async () => {
    const { a, b, storage } = await twoTabs();
    b.s().updateSql(b.idOf('base'), 'SELECT 3 AS x');
    a.s().updateSql(a.idOf('base'), 'SELECT 2 AS x');
    await a.s().flushSave();
    await vi.waitFor(() => expect(b.s().conflict).toBeDefined());
    expect(b.s().conflict!.theirs!.cells.find((c) => c.kind === 'sql' && c.name === 'base')).toMatchObject({
      sql: 'SELECT 2 AS x',
    });
    expect(b.sqlOf('base')).toBe('SELECT 3 AS x');
    await b.s().flushSave();
    expect(JSON.stringify((await storage.read(a.s().notebook.id))!.doc)).toContain('SELECT 2 AS x');
    expect(b.s().save.status).toBe('failed');
  });

  it('after the choice, the kept version is saved over the other and the other tab follows it', async () => {
    const { a, b } = await twoTabs();
    b.s().updateSql(b.idOf('base'), 'SELECT 3 AS x');
    a.s().updateSql(a.idOf('base'), 'SELECT 2 AS x');
    await a.s().flushSave();
    await vi.waitFor(() => expect(b.s().conflict).toBeDefined());
    await b.s().resolveConflict('mine');
    expect(b.s().save.status).toBe('saved');
    await vi.waitFor(() => expect(a.sqlOf('base')).toBe('SELECT 3 AS x'));
  });

  it('keeps the results of unchanged cells and marks changed cells and their readers out of date', async () => {
    const { a, b } = await twoTabs();
    for (const name of ['base', 'top']) {
      const run = b.s().runCell(b.idOf(name));
      await vi.waitFor(() => expect(b.connector.queries.length).toBeGreaterThan(0));
      b.connector.queries.shift()!.answer({ x: [1] });
      await run;
    }
    a.s().updateSql(a.idOf('top'), 'SELECT x * 10 AS x FROM base');
    await a.s().flushSave();
    await vi.waitFor(() => expect(b.sqlOf('top')).toBe('SELECT x * 10 AS x FROM base'));
    expect(b.s().runs[b.idOf('base')]).toMatchObject({ status: 'done', stale: false });
    expect(b.s().runs[b.idOf('top')]).toMatchObject({ status: 'done', stale: true });
  });
});

describe('browser tab channel', () => {
  const open: TabChannel[] = [];
  afterEach(() => open.splice(0).forEach((c) => c.close()));

  it('delivers save notices to other channels and drops messages that are not notices', async () => {
    const name = `test-${Math.random()}`;
    const [a, b] = [browserTabChannel(name)!, browserTabChannel(name)!];
    open.push(a, b);
    const heard: unknown[] = [];
    b.listen((n) => heard.push(n));
    const raw = new BroadcastChannel(name);
    raw.postMessage({ id: 'x', revision: 'two' });
    raw.postMessage('hello');
    raw.close();
    a.announce({ id: 'nb1', revision: 2 });
    await vi.waitFor(() => expect(heard).toEqual([{ id: 'nb1', revision: 2 }]));
  });
});
