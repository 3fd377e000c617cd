/** A notebook store over a fake engine and memory storage, started, with helpers to reach its cells. */
import { expect, vi } from 'vitest';
import { makeSqlCell } from '../model/cells';
import { newNotebook, type Notebook } from '../model/notebook';
import { createNotebookStore } from '../store';
import { MemoryStorage } from '../storage';
import { FakeConnector } from './fake-connector';

export const session = { user: 'ana', role: 'DataAnalyst', attributes: {} };

export async function setup(cells?: { name: string; sql: string }[], storage = new MemoryStorage()) {
  const connector = new FakeConnector();
  if (cells) {
    const nb: Notebook = { ...newNotebook('T'), cells: cells.map((c) => makeSqlCell(c.name, c.sql)) };
    await storage.save(nb);
    await storage.setLastOpened(nb.id);
  }
  const store = createNotebookStore({ connector, storage, lakeUrl: '/lake/', session, saveDelayMs: 5 });
  await store.getState().init();
  await store.getState().startEngine();
  const s = () => store.getState();
  const idOf = (name: string) => s().notebook.cells.find((c) => c.kind === 'sql' && c.name === name)!.id;
  const runOf = (name: string) => s().runs[idOf(name)];
  const nextQuery = async (n: number) => {
    await vi.waitFor(() => expect(connector.queries.length).toBeGreaterThanOrEqual(n));
    return connector.queries[n - 1]!;
  };
  return { store, s, connector, storage, idOf, runOf, nextQuery };
}
