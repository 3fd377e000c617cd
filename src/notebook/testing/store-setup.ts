/** A notebook store over a fake engine and memory storage, started, with helpers to reach its cells. */
import { expect, vi } from 'vitest';
import { makeSqlCell } from '../model/cells';
import { newNotebook, type Notebook } from '../model/notebook';
import { createNotebookStore } from '../store';
import type { ResultCache } from '../result-cache';
import { MemoryStorage } from '../storage';
import { FakeConnector } from './fake-connector';

export const session = { user: 'ana', role: 'DataAnalyst', attributes: {} };

export interface SetupOptions {
  resultCache?: ResultCache;
  /** Holds the engine's start until `connector.openStart()`, to see the store before it is ready. */
  holdEngine?: boolean;
}

export async function setup(
  cells?: { name: string; sql: string }[],
  storage = new MemoryStorage(),
  options: SetupOptions = {},
) {
  const connector = new FakeConnector();
  if (options.holdEngine) connector.holdStart();
  if (cells) {
    const nb: Notebook = { ...newNotebook('T'), cells: cells.map((c) => makeSqlCell(c.name, c.sql)) };
    await storage.save(nb);
    await storage.setLastOpened(nb.id);
  }
  const store = createNotebookStore({
    connector,
    storage,
    lakeUrl: '/lake/',
    session,
    saveDelayMs: 5,
    resultCache: options.resultCache,
  });
  await store.getState().init();
  const started = store.getState().startEngine();
  if (!options.holdEngine) await started;
  const s = () => store.getState();
  const idOf = (name: string) => s().notebook.cells.find((c) => c.kind === 'sql' && c.name === name)!.id;
  const runOf = (name: string) => s().runs[idOf(name)];
  const nextQuery = async (n: number) => {
    await vi.waitFor(() => expect(connector.queries.length).toBeGreaterThanOrEqual(n));
    return connector.queries[n - 1]!;
  };
  return { store, s, connector, storage, idOf, runOf, nextQuery };
}
