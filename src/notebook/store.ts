/**
 * The notebook store (zustand, framework-free so it runs in Node tests). It holds the open notebook, the
 * list of saved ones, each cell's run state and the engine's state; it autosaves every change (debounced)
 * and keeps editing when storage fails, with a visible warning.
 */
import { withoutFormatLines } from '../charts/column-formats';
import { createStore } from 'zustand/vanilla';
import { welcomeNotebook } from './model/welcome-notebook';
import { buildGraph, downstreamOrder } from './model/deps';
import { restoreNotebook, restoreNotebookJson, type RestoreResult } from './model/file-format';
import { newId } from './model/ids';
import * as edit from './model/notebook';
import { cellsReading, renameReferences } from './model/references';
import { readShareFragment } from './model/share';
import { renameCellsHidingTables, renamingMessage } from './model/table-clashes';
import { loadLimits, saveLimits } from './query-limits';
import { CONFLICT_MESSAGE, conflictOf, createConflictActions, StoredRevisions } from './store-conflict';
import { createEngineActions } from './store-engine';
import { createExportActions } from './store-export';
import { createGovernanceActions } from './store-governance';
import { createIngestActions } from './store-ingest';
import { createResultMemory } from './store-result-cache';
import { createRunActions } from './store-run';
import { followOtherTabs } from './store-tabs';
import {
  catalogTableNames,
  type CellRun,
  type NotebookState,
  type NotebookStore,
  type StoreDeps,
} from './store-types';

const MAX_UNDO = 50;

export function createNotebookStore(deps: StoreDeps): NotebookStore {
  const saveDelayMs = deps.saveDelayMs ?? 400;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let noticeId = 0;
  const revisions = new StoredRevisions();
  const results = deps.resultCache && createResultMemory(deps.resultCache);

  const store = createStore<NotebookState>()((set, get) => {
    const engine = createEngineActions(set, get, deps);
    const runs = createRunActions(set, get, deps, engine, results?.keeper);
    const tables = () => catalogTableNames(get());

    const change = (notebook: edit.Notebook, extra: Partial<NotebookState> = {}) =>
      set({ notebook, ...extra });

    /** Marks stale a changed cell's own result and the results of every cell that reads it. */
    const markStale = (
      id: string,
      notebook: edit.Notebook,
      current: Record<string, CellRun> = get().runs,
    ): Record<string, CellRun> => {
      const next = { ...current };
      for (const d of [id, ...downstreamOrder(buildGraph(notebook.cells), id)])
        if (next[d]?.result) next[d] = { ...next[d]!, stale: true };
      return next;
    };

    /**
     * `revision` is the one `notebook` was read at; none for a notebook that should not be stored yet.
     * `trusted` is false for a notebook from outside that its reader has not confirmed.
     */
    const open = async (notebook: edit.Notebook, revision?: number, trusted = true) => {
      if (revision === undefined) revisions.base(notebook.id, 0);
      else revisions.record(notebook, revision);
      runs.cancelAll();
      set({ notebook, trusted, runs: {}, deleted: [], activeCellId: notebook.cells[0]?.id });
      await saveNow();
      await deps.storage.setLastOpened(notebook.id).catch(() => undefined);
    };

    /** The first-run notebook, or nothing (with a notice saying why) when it cannot be had. */
    const firstRun = async (): Promise<edit.Notebook | undefined> => {
      try {
        return await deps.firstRunNotebook?.();
      } catch (e) {
        get().notify(
          'error',
          `The review notebook could not be opened (${(e as Error).message}); a new notebook opened instead. Reload the page to try again.`,
        );
        return undefined;
      }
    };

    /**
     * A notebook coming from outside gets a fresh id when it would overwrite a saved one, and free names for
     * cells named like lake tables (once the engine has said which tables there are: see `renameHiders`).
     */
    const adopt = async (result: RestoreResult): Promise<RestoreResult> => {
      if (!result.ok) {
        get().notify('error', result.message);
        return result;
      }
      await get().flushSave();
      const taken = get().notebooks.some((n) => n.id === result.notebook.id);
      const fresh = taken ? { ...result.notebook, id: newId() } : result.notebook;
      const { notebook, renamed } = renameCellsHidingTables(fresh, tables());
      await open(notebook, undefined, false);
      const migrated = result.migratedFrom ? ` (converted from file version ${result.migratedFrom})` : '';
      const names = renamed.length > 0 ? ` ${renamingMessage(renamed)}` : '';
      get().notify('info', `Opened "${notebook.title}"${migrated}.${names}`);
      return { ...result, notebook };
    };

    return {
      loaded: false,
      notebook: edit.newNotebook(),
      trusted: true,
      notebooks: [],
      deleted: [],
      runs: {},
      engine: { status: 'starting' },
      session: deps.session,
      save: deps.storageProblem ? { status: 'failed', message: deps.storageProblem } : { status: 'saved' },
      activeCellId: undefined,
      notice: undefined,
      limits: loadLimits(deps.settingsStorage),
      conflict: undefined,

      async init(hash) {
        const notebooks = await deps.storage.list().catch(() => []);
        set({ notebooks });
        if (hash && (await get().importShared(hash)).ok) {
          set({ loaded: true });
          return;
        }
        const last = await deps.storage.lastOpened().catch(() => undefined);
        const candidates = [last, ...notebooks.map((n) => n.id)].filter((x): x is string => !!x);
        for (const id of new Set(candidates)) {
          const stored = await deps.storage.read(id).catch(() => undefined);
          if (stored === undefined) continue;
          const restored = restoreNotebookJson(stored.doc);
          if (restored.ok) {
            revisions.record(restored.notebook, stored.revision);
            set({
              notebook: restored.notebook,
              trusted: stored.trusted,
              activeCellId: restored.notebook.cells[0]?.id,
              loaded: true,
            });
            return;
          }
          get().notify(
            'error',
            `A saved notebook could not be read and was left as it is: ${restored.message}`,
          );
        }
        await open((await firstRun()) ?? welcomeNotebook());
        set({ loaded: true });
      },

      notify(kind, text) {
        set({ notice: { id: ++noticeId, kind, text } });
      },
      dismissNotice() {
        set({ notice: undefined });
      },
      setLimits(limits) {
        set({ limits });
        if (!saveLimits(deps.settingsStorage, limits))
          get().notify(
            'info',
            'The new limits apply in this tab; this browser did not let Lakebook keep them.',
          );
      },

      setActiveCell(id) {
        set({ activeCellId: id });
      },

      addCell(kind, where, refId) {
        const { notebook, activeCellId } = get();
        const near = { refId: refId ?? activeCellId, where };
        const cell = edit.createCell(notebook, kind, tables(), near);
        change(edit.insertNear(notebook, near.refId, where, cell), { activeCellId: cell.id });
        return cell.id;
      },

      deleteCell(id) {
        const { notebook, deleted: undo, runs: runState } = get();
        const index = edit.indexOfCell(notebook, id);
        const result = edit.deleteCell(notebook, id);
        if (!result.deleted) return;
        const neighbour = result.notebook.cells[Math.min(index, result.notebook.cells.length - 1)];
        const { [id]: _dropped, ...rest } = runState;
        change(result.notebook, {
          deleted: [...undo, result.deleted].slice(-MAX_UNDO),
          runs: rest,
          activeCellId: neighbour?.id,
        });
      },

      undoDelete() {
        const { notebook, deleted } = get();
        const last = deleted[deleted.length - 1];
        if (!last) return;
        const restored = edit.undoDelete(notebook, last, tables());
        change(restored, { deleted: deleted.slice(0, -1), activeCellId: restored.cells[last.index]?.id });
      },

      moveCell(id, delta) {
        change(edit.moveCell(get().notebook, id, delta));
      },

      duplicateCell(id) {
        const { notebook, copy } = edit.duplicateCell(get().notebook, id, tables());
        if (copy) change(notebook, { activeCellId: copy.id });
      },

      updateSql(id, sql) {
        const before = get().notebook.cells.find((c) => c.id === id);
        const notebook = edit.updateCell(get().notebook, id, { sql });
        // A new `-- format:` line changes how results are shown, not what the engine answers.
        const sameQuery =
          before?.kind === 'sql' && withoutFormatLines(before.sql) === withoutFormatLines(sql);
        change(notebook, sameQuery ? {} : { runs: markStale(id, notebook) });
      },
      updateMarkdown(id, text) {
        change(edit.updateCell(get().notebook, id, { text }));
      },
      publishMarkdown(id, published) {
        change(edit.publishMarkdown(get().notebook, id, published));
      },
      updateChart(id, config) {
        change(edit.updateCell(get().notebook, id, { config }));
      },

      renameCell(id, name) {
        const { notebook, check } = edit.renameCell(get().notebook, id, name, tables());
        if (check.ok) change(notebook, { runs: markStale(id, notebook) });
        return check;
      },
      updateReferences(from, to) {
        let { notebook } = get();
        const self = notebook.cells.find(
          (c) => c.kind === 'sql' && c.name.toLowerCase() === to.toLowerCase(),
        );
        const readers = cellsReading(notebook.cells, from, self?.id);
        for (const reader of readers)
          notebook = edit.updateCell(notebook, reader.id, { sql: renameReferences(reader.sql, from, to) });
        if (readers.length === 0) return 0;
        let runs = get().runs;
        for (const reader of readers) runs = markStale(reader.id, notebook, runs);
        change(notebook, { runs });
        return readers.length;
      },
      setTitle(title) {
        change(edit.retitle(get().notebook, title));
      },
      setRunMode(mode) {
        change(edit.setRunMode(get().notebook, mode));
      },

      async newNotebook() {
        await get().flushSave();
        await open(edit.newNotebook());
      },

      async openNotebook(id) {
        if (id === get().notebook.id) return;
        await get().flushSave();
        const stored = await deps.storage.read(id).catch(() => undefined);
        const restored = stored === undefined ? undefined : restoreNotebookJson(stored.doc);
        if (!restored?.ok) {
          get().notify('error', restored?.message ?? 'This notebook is no longer in this browser.');
          return;
        }
        await open(restored.notebook, stored?.revision, stored?.trusted);
      },

      async deleteNotebook(id) {
        try {
          await deps.storage.remove(id);
        } catch (e) {
          get().notify('error', `The notebook could not be deleted: ${(e as Error).message}`);
          return;
        }
        const notebooks = get().notebooks.filter((n) => n.id !== id);
        set({ notebooks });
        if (get().notebook.id !== id) return;
        clearTimeout(saveTimer);
        saveTimer = undefined;
        const next = notebooks[0];
        if (next) await get().openNotebook(next.id);
        else await open(edit.newNotebook());
      },

      importNotebook: (text) => adopt(restoreNotebook(text)),
      importShared: (hash) => adopt(readShareFragment(hash)),

      async trustNotebook() {
        const { id } = get().notebook;
        set({ trusted: true });
        // After any save under way, which may still write the notebook as untrusted.
        saving = saving.then(() => deps.storage.trust(id).catch(() => undefined));
        await saving;
      },

      async flushSave() {
        if (saveTimer === undefined) return;
        clearTimeout(saveTimer);
        saveTimer = undefined;
        await saveNow();
      },

      ...engine.actions,
      ...runs,
      ...createIngestActions(set, get, deps),
      ...createExportActions(get, deps),
      ...createGovernanceActions(set, get, deps),
      ...createConflictActions(set, get, revisions, saveNow),
    };
  });

  /** Saves run one after another: two at once would both build on the same revision. */
  let saving: Promise<void> = Promise.resolve();
  function saveNow(): Promise<void> {
    saving = saving.then(saveOnce);
    return saving;
  }

  async function saveOnce(): Promise<void> {
    const { notebook, conflict, trusted } = store.getState();
    if (conflict) {
      store.setState({ save: { status: 'failed', message: CONFLICT_MESSAGE } });
      return;
    }
    try {
      if (!revisions.isStored(notebook)) {
        const revision = await deps.storage.save(notebook, revisions.of(notebook.id), trusted);
        revisions.record(notebook, revision);
        deps.tabs?.announce({ id: notebook.id, revision });
      }
      const summary = { id: notebook.id, title: notebook.title, updatedAt: notebook.updatedAt };
      // An edit made while this save ran is still pending: saying "Saved" now would be untrue until it is.
      store.setState((s) => ({
        save: deps.storageProblem || s.notebook !== notebook ? s.save : { status: 'saved' },
        notebooks: [summary, ...s.notebooks.filter((n) => n.id !== notebook.id)],
      }));
    } catch (e) {
      const conflict = conflictOf(e);
      if (conflict) {
        store.setState({ conflict, save: { status: 'failed', message: CONFLICT_MESSAGE } });
        return;
      }
      store.setState({
        save: {
          status: 'failed',
          message: `Changes are not being saved in this browser (${(e as Error).message || 'storage error'}). Keep editing, and export the notebook to keep a copy.`,
        },
      });
    }
  }

  deps.tabs?.listen(followOtherTabs(store, deps, revisions));
  results?.follow(store);

  /**
   * The lake's tables are known once the engine is ready, which may be after a notebook from a link opened;
   * a notebook from before a table existed may also hide it. Either is renamed as an import would be.
   */
  const renameHiders = (state: NotebookState, previous: NotebookState) => {
    if (!state.loaded || !state.engine.info) return;
    const arrived = state.engine.info !== previous.engine.info || state.loaded !== previous.loaded;
    if (!arrived && state.notebook.id === previous.notebook.id) return;
    const { notebook, renamed } = renameCellsHidingTables(state.notebook, catalogTableNames(state));
    if (renamed.length === 0) return;
    store.setState({ notebook });
    state.notify('info', renamingMessage(renamed));
  };
  store.subscribe(renameHiders);

  store.subscribe((state, previous) => {
    if (state.notebook === previous.notebook || !state.loaded) return;
    if (!deps.storageProblem) store.setState({ save: { status: 'pending' } });
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      void saveNow();
    }, saveDelayMs);
  });

  return store;
}
