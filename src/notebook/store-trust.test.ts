import { describe, expect, it, vi } from 'vitest';
import { makeSqlCell } from './model/cells';
import { serializeNotebook } from './model/file-format';
import { newNotebook, type Notebook } from './model/notebook';
import { shareFragment } from './model/share';
import { createNotebookStore } from './store';
import { MemoryStorage } from './storage';
import { FakeConnector } from './testing/fake-connector';

const session = { user: 'ana', role: 'Admin', attributes: {} };

const outside = (): Notebook => ({
  ...newNotebook('From a colleague'),
  cells: [makeSqlCell('ssns', 'SELECT ssn FROM patients')],
});

async function openStore(storage = new MemoryStorage(), hash?: string) {
  const connector = new FakeConnector();
  const store = createNotebookStore({ connector, storage, lakeUrl: '/', session, saveDelayMs: 5 });
  await store.getState().init(hash);
  await store.getState().startEngine();
  return { store, connector, storage, s: () => store.getState() };
}

describe('notebook store: notebooks from outside run only once their reader confirms', () => {
  it('runs nothing from a shared link until the reader confirms, and says what to do', async () => {
    const link = shareFragment(outside());
    if (!link.ok) throw new Error(link.message);
    const t = await openStore(new MemoryStorage(), link.fragment);
    expect(t.s().trusted).toBe(false);
    const id = t.s().notebook.cells[0]!.id;
    await t.s().runCell(id);
    await t.s().runAll();
    await t.s().runAbove(id);
    await t.s().sortResult(id, { column: 'ssn', descending: false });
    expect(t.connector.queries).toEqual([]);
    expect(t.s().notice?.text).toMatch(/Run this notebook as Admin\?/);

    await t.s().trustNotebook();
    void t.s().runCell(id);
    await vi.waitFor(() => expect(t.connector.queries).toHaveLength(1));
    expect(t.connector.queries[0]!.sql).toContain('SELECT ssn FROM patients');
  });

  it('keeps an imported notebook untrusted across visits, and trusted once confirmed', async () => {
    const storage = new MemoryStorage();
    const first = await openStore(storage);
    expect(first.s().trusted).toBe(true);
    const mine = first.s().notebook.id;
    await first.s().importNotebook(serializeNotebook(outside()));
    const imported = first.s().notebook.id;
    expect(first.s().trusted).toBe(false);

    const again = await openStore(storage);
    expect(again.s().notebook.id).toBe(imported);
    expect(again.s().trusted).toBe(false);
    await again.s().openNotebook(mine);
    expect(again.s().trusted).toBe(true);
    await again.s().openNotebook(imported);
    expect(again.s().trusted).toBe(false);
    await again.s().trustNotebook();

    const later = await openStore(storage);
    expect(later.s().notebook.id).toBe(imported);
    expect(later.s().trusted).toBe(true);
  });
});
