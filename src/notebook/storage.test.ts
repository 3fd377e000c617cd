import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { restoreNotebookJson } from './model/file-format';
import { newNotebook } from './model/notebook';
import { IdbStorage } from './storage';

describe('IndexedDB storage', () => {
  it('saves, lists newest first, loads, forgets and remembers the last notebook', async () => {
    const storage = await IdbStorage.open();
    const a = { ...newNotebook('A'), updatedAt: '2026-01-01T00:00:00.000Z' };
    const b = { ...newNotebook('B'), updatedAt: '2026-02-01T00:00:00.000Z' };
    await storage.save(a);
    await storage.save(b);
    expect((await storage.list()).map((n) => n.title)).toEqual(['B', 'A']);
    expect(restoreNotebookJson(await storage.load(a.id))).toMatchObject({ ok: true, notebook: a });
    await storage.setLastOpened(a.id);
    expect(await storage.lastOpened()).toBe(a.id);
    await storage.remove(a.id);
    expect(await storage.load(a.id)).toBeUndefined();
  });
});
