import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { tableFromIPC } from 'apache-arrow';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueryResult } from '../contract/results';
import { restoreNotebookJson } from './model/file-format';
import { updateCell } from './model/notebook';
import { IdbResultCache } from './result-cache';
import { sessionKey } from './result-fingerprint';
import { MemoryStorage } from './storage';
import { session, setup } from './testing/store-setup';

const CELLS = [
  { name: 'up', sql: 'SELECT 275 AS n' },
  { name: 'down', sql: 'SELECT n * 2 AS n FROM up' },
  { name: 'never', sql: 'SELECT 7 AS n' },
];

const first = (result: QueryResult | undefined) => Number(tableFromIPC(result!.ipc).getChild('n')!.get(0));

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

/** A notebook whose cells `up` and `down` ran once as the DataAnalyst; `never` did not run. */
async function ranBefore() {
  const storage = new MemoryStorage();
  const cache = await IdbResultCache.open();
  const t = await setup(CELLS, storage, { resultCache: cache });
  const up = t.s().runCell(t.idOf('up'));
  (await t.nextQuery(1)).answer({ n: [275] });
  await up;
  const down = t.s().runCell(t.idOf('down'));
  (await t.nextQuery(2)).answer({ n: [550] });
  await down;
  const notebookId = t.s().notebook.id;
  await vi.waitFor(async () => expect(await cache.read(notebookId, sessionKey(session))).toHaveLength(2));
  await t.s().flushSave();
  return { storage, cache, notebookId };
}

/** The same notebook opened again in a new page whose engine has not started yet. */
async function reopen(storage: MemoryStorage, cache: IdbResultCache) {
  return setup(undefined, storage, { resultCache: cache, holdEngine: true });
}

/** The notebook of `ranBefore` opened again, once its kept results are on screen. */
async function reopenedWithResults() {
  const before = await ranBefore();
  const t = await reopen(before.storage, before.cache);
  await vi.waitFor(() => expect(t.runOf('down')?.status).toBe('restored'));
  return { ...before, t };
}

describe('notebook store: results kept from the last visit', () => {
  it('shows the last results at once, before the engine is ready, as restored; a cell that did not run stays idle', async () => {
    const { t } = await reopenedWithResults();
    expect(t.s().engine.status).toBe('starting');
    expect(t.connector.queries).toHaveLength(0);
    expect(first(t.runOf('up')!.result)).toBe(275);
    expect(first(t.runOf('down')!.result)).toBe(550);
    expect(t.runOf('down')!.restoredFrom).toBeGreaterThan(0);
    expect(t.runOf('never')).toBeUndefined();

    // The engine reports the same lake: the restored results stay. Running replaces one, and the cell that
    // reads it runs again, as after a fresh result.
    t.connector.openStart!();
    await vi.waitFor(() => expect(t.s().engine.status).toBe('ready'));
    expect(t.runOf('up')!.status).toBe('restored');
    const run = t.s().runCell(t.idOf('up'));
    (await t.nextQuery(1)).answer({ n: [276] });
    (await t.nextQuery(2)).answer({ n: [552] });
    await run;
    expect(t.runOf('up')!.status).toBe('done');
    expect(first(t.runOf('up')!.result)).toBe(276);
    expect(t.runOf('down')!.status).toBe('done');
    expect(t.runOf('down')!.restoredFrom).toBeUndefined();
  });

  it('brings the kept results back one cell at a time, in the order of the notebook', async () => {
    const before = await ranBefore();
    const t = await reopen(before.storage, before.cache);
    const restored = () => CELLS.filter((c) => t.runOf(c.name)?.status === 'restored').map((c) => c.name);
    const states = [restored().join()];
    t.store.subscribe(() => states.push(restored().join()));
    await vi.waitFor(() => expect(t.runOf('down')?.status).toBe('restored'));
    expect([...new Set(states)]).toEqual(['', 'up', 'up,down']);
  });

  it('marks a restored result out of date when its source changes, as a fresh one', async () => {
    const { t } = await reopenedWithResults();
    t.s().updateSql(t.idOf('up'), 'SELECT 1 AS n');
    expect(t.runOf('up')!.stale).toBe(true);
    expect(t.runOf('down')!.stale).toBe(true);
  });

  it('keeps results current, and restorable, when only a cell’s format line changed', async () => {
    const { storage, cache, t } = await reopenedWithResults();
    const sql = (t.s().notebook.cells.find((c) => c.id === t.idOf('up')) as { sql: string }).sql;
    t.s().updateSql(t.idOf('up'), `-- format: n integer\n${sql}`);
    expect(t.runOf('up')!.stale).toBe(false);
    expect(t.runOf('down')!.stale).toBe(false);
    await t.s().flushSave();
    // The result kept before the format line was added is still the cell's result after a reload.
    const again = await reopen(storage, cache);
    await vi.waitFor(() => expect(again.runOf('up')?.status).toBe('restored'));
    expect(first(again.runOf('up')!.result)).toBe(275);
  });

  it('does not restore a result whose SQL, or a source’s SQL, changed since it ran', async () => {
    const { storage, cache, notebookId } = await ranBefore();
    const stored = restoreNotebookJson((await storage.read(notebookId))!.doc);
    if (!stored.ok) throw new Error(stored.message);
    const upId = stored.notebook.cells.find((c) => c.kind === 'sql' && c.name === 'up')!.id;
    await storage.save(updateCell(stored.notebook, upId, { sql: 'SELECT 276 AS n' }));
    const t = await reopen(storage, cache);
    t.connector.openStart!();
    await vi.waitFor(() => expect(t.s().engine.status).toBe('ready'));
    await new Promise((r) => setTimeout(r, 20));
    expect(t.runOf('up')).toBeUndefined();
    expect(t.runOf('down')).toBeUndefined();
  });

  it('withdraws restored results when the engine reports another lake', async () => {
    const { t } = await reopenedWithResults();
    const start = t.connector.start.bind(t.connector);
    t.connector.start = async (s) => {
      const info = await start(s);
      return { ...info, manifest: { ...info.manifest, generatedAt: '2026-03-01T00:00:00Z' } };
    };
    void t.s().startEngine();
    t.connector.openStart!();
    await vi.waitFor(() => expect(t.s().engine.status).toBe('ready'));
    expect(t.runOf('up')!.status).toBe('idle');
    expect(t.runOf('down')!.status).toBe('idle');
    expect(t.runOf('down')!.result).toBeUndefined();
  });

  it('brings back nothing of the lake before once the engine reports another while results are coming back', async () => {
    const before = await ranBefore();
    const t = await reopen(before.storage, before.cache);
    const start = t.connector.start.bind(t.connector);
    t.connector.start = async (s) => {
      const info = await start(s);
      return { ...info, manifest: { ...info.manifest, generatedAt: '2026-03-01T00:00:00Z' } };
    };
    // The engine reports its lake just after the first kept result is back, before the next one.
    const unsubscribe = t.store.subscribe((s) => {
      if (s.runs[t.idOf('up')]?.status !== 'restored') return;
      unsubscribe();
      void t.s().startEngine();
      t.connector.openStart!();
    });
    await vi.waitFor(() => expect(t.s().engine.status).toBe('ready'));
    await new Promise((r) => setTimeout(r, 20));
    expect(t.runOf('up')!.status).toBe('idle');
    expect(t.runOf('down')?.status ?? 'idle').toBe('idle');
    expect(t.runOf('down')?.result).toBeUndefined();
  });

  it('never shows one role’s kept results under another role', async () => {
    const { t } = await reopenedWithResults();
    const asPublic = { ...session, role: 'Public' };
    await t.s().switchSession(asPublic);
    await new Promise((r) => setTimeout(r, 20));
    expect(t.runOf('up')!.status).toBe('idle');
    expect(t.runOf('up')!.result).toBeUndefined();
    expect(t.runOf('down')!.result).toBeUndefined();

    // Back as the DataAnalyst, the DataAnalyst's own results come back.
    await t.s().switchSession({ ...session });
    await vi.waitFor(() => expect(t.runOf('down')?.status).toBe('restored'));
    expect(first(t.runOf('down')!.result)).toBe(550);
  });
});
