/**
 * Following what other tabs save. A tab with no unsaved edits takes the saved version at once (results of
 * unchanged cells stay, the others are out of date); a tab with unsaved edits is offered the same choice a
 * refused save would offer, now rather than at its next save.
 */
import { buildGraph, downstreamOrder } from './model/deps';
import { restoreNotebookJson } from './model/file-format';
import type { Notebook } from './model/notebook';
import { CONFLICT_MESSAGE, type StoredRevisions } from './store-conflict';
import type { CellRun, NotebookStore, StoreDeps } from './store-types';
import type { SavedNotice } from './tab-channel';

/** Runs of cells that are still there; a cell whose SQL changed, and every cell reading it, is out of date. */
export function runsAfterUpdate(
  before: Notebook,
  after: Notebook,
  runs: Record<string, CellRun>,
): Record<string, CellRun> {
  const sqlBefore = new Map(before.cells.map((c) => [c.id, c.kind === 'sql' ? c.sql : undefined]));
  const kept: Record<string, CellRun> = {};
  for (const c of after.cells) if (runs[c.id]) kept[c.id] = runs[c.id]!;
  const graph = buildGraph(after.cells);
  for (const c of after.cells) {
    if (c.kind !== 'sql' || sqlBefore.get(c.id) === c.sql) continue;
    for (const id of [c.id, ...downstreamOrder(graph, c.id)])
      if (kept[id]?.result) kept[id] = { ...kept[id]!, stale: true };
  }
  return kept;
}

export function followOtherTabs(
  store: NotebookStore,
  deps: StoreDeps,
  revisions: StoredRevisions,
): (notice: SavedNotice) => Promise<void> {
  return async (notice) => {
    const notebooks = await deps.storage.list().catch(() => undefined);
    if (notebooks) store.setState({ notebooks });
    if (!store.getState().loaded || notice.id !== store.getState().notebook.id) return;
    if (notice.revision <= (revisions.of(notice.id) ?? 0)) return;
    const stored = await deps.storage.read(notice.id).catch(() => undefined);
    const { notebook, conflict, runs } = store.getState();
    if (!stored || notebook.id !== notice.id || conflict) return;
    if (stored.revision <= (revisions.of(notice.id) ?? 0)) return;
    const restored = restoreNotebookJson(stored.doc);
    if (!revisions.isStored(notebook)) {
      store.setState({
        conflict: { theirs: restored.ok ? restored.notebook : undefined, revision: stored.revision },
        save: { status: 'failed', message: CONFLICT_MESSAGE },
      });
      return;
    }
    // Unreadable: this tab keeps what it shows, and its next save offers the choice.
    if (!restored.ok) return;
    const theirs = restored.notebook;
    revisions.record(theirs, stored.revision);
    const active = store.getState().activeCellId;
    store.setState({
      notebook: theirs,
      trusted: stored.trusted,
      runs: runsAfterUpdate(notebook, theirs, runs),
      activeCellId: theirs.cells.some((c) => c.id === active) ? active : theirs.cells[0]?.id,
    });
    store.getState().notify('info', 'Updated with the changes saved in another tab.');
  };
}
