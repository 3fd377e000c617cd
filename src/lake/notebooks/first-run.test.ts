import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeSqlCell } from '../../notebook/model/cells.ts';
import { restoreNotebook } from '../../notebook/model/file-format.ts';
import { newNotebook } from '../../notebook/model/notebook.ts';
import { fetchNotebook, REVIEW_NOTEBOOK_PATH } from '../../notebook/notebook-url.ts';
import { createNotebookStore } from '../../notebook/store.ts';
import { MemoryStorage } from '../../notebook/storage.ts';
import { FakeConnector } from '../../notebook/testing/fake-connector.ts';

const lakeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public/sample-lake');
const shippedText = readFileSync(path.join(lakeDir, REVIEW_NOTEBOOK_PATH), 'utf8');
const shipped = restoreNotebook(shippedText);
const lakeUrl = 'https://lakebook.test/sample-lake/';
const session = { user: 'ana', role: 'DataAnalyst', attributes: {} };

/** A site that serves the lake's files, or answers 404 to everything. */
const site =
  (serves: boolean) =>
  async (url: string): Promise<Response> =>
    serves && url === new URL(REVIEW_NOTEBOOK_PATH, lakeUrl).href
      ? new Response(shippedText)
      : new Response('not found', { status: 404 });

const storeWith = (storage: MemoryStorage, serves = true) =>
  createNotebookStore({
    connector: new FakeConnector(),
    storage,
    lakeUrl,
    session,
    saveDelayMs: 5,
    firstRunNotebook: () => fetchNotebook(new URL(REVIEW_NOTEBOOK_PATH, lakeUrl).href, site(serves)),
  });

describe('first run', () => {
  it('a browser with no saved notebook opens the review file the site ships, and saves it', async () => {
    expect(shipped.ok).toBe(true);
    if (!shipped.ok) return;
    const storage = new MemoryStorage();
    const store = storeWith(storage);
    await store.getState().init();
    expect(store.getState().notebook).toEqual(shipped.notebook);
    expect((await storage.list()).map((n) => n.title)).toEqual([shipped.notebook.title]);
  });

  it('when the file cannot be fetched, a new notebook opens and a notice says why', async () => {
    const store = storeWith(new MemoryStorage(), false);
    await store.getState().init();
    expect(store.getState().notebook.title).not.toBe(shipped.ok && shipped.notebook.title);
    expect(store.getState().notice?.kind).toBe('error');
    expect(store.getState().notice?.text).toMatch(/could not be opened \(.*404\).*Reload the page/);
  });

  it('a browser with a saved notebook opens that one instead', async () => {
    const storage = new MemoryStorage();
    const mine = { ...newNotebook('Mine'), cells: [makeSqlCell('a', 'SELECT 1')] };
    await storage.save(mine);
    await storage.setLastOpened(mine.id);
    const store = storeWith(storage);
    await store.getState().init();
    expect(store.getState().notebook.title).toBe('Mine');
  });
});
