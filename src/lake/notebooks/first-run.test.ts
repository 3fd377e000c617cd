import { describe, expect, it } from 'vitest';
import { createNotebookStore } from '../../notebook/store.ts';
import { MemoryStorage } from '../../notebook/storage.ts';
import { FakeConnector } from '../../notebook/testing/fake-connector.ts';
import { makeSqlCell } from '../../notebook/model/cells.ts';
import { newNotebook } from '../../notebook/model/notebook.ts';
import { fastTrackReview, REVIEW_TITLE } from './fast-track-review.ts';

const session = { user: 'ana', role: 'DataAnalyst', attributes: {} };
const storeWith = (storage: MemoryStorage) =>
  createNotebookStore({
    connector: new FakeConnector(),
    storage,
    lakeUrl: '/lake/',
    session,
    saveDelayMs: 5,
    firstRunNotebook: fastTrackReview,
  });

describe('first run', () => {
  it('a browser with no saved notebook opens the Fast-Track review and saves it', async () => {
    const storage = new MemoryStorage();
    const store = storeWith(storage);
    await store.getState().init();
    expect(store.getState().notebook.title).toBe(REVIEW_TITLE);
    expect(store.getState().notebook.cells).toEqual(fastTrackReview().cells);
    expect((await storage.list()).map((n) => n.title)).toEqual([REVIEW_TITLE]);
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
