/**
 * Cells' results kept across visits. Each new result goes to the result cache; when a notebook opens, or
 * the session changes, the kept results that still hold come back at once as `restored` runs: same SQL, same
 * SQL of every cell read, same session, same lake. Before the engine is ready, "same lake" means the lake
 * the engine reported last time for this session; once it reports, restored results of another lake are
 * withdrawn. Results of another session are never read: the session is part of the key.
 */
import type { EngineInfo } from '../contract/connector';
import type { CachedResult, ResultCache } from './result-cache';
import { lakeVersion, resultFingerprint, sessionKey } from './result-fingerprint';
import { IDLE_RUN } from './run-state';
import { sourcesOf } from './store-run';
import type { CellRun, NotebookState, NotebookStore, ResultKeeper } from './store-types';

export interface ResultMemory {
  keeper: ResultKeeper;
  /** Restores kept results into `store` and keeps it in step with the cache from now on. */
  follow(store: NotebookStore): void;
}

export function createResultMemory(cache: ResultCache): ResultMemory {
  let store: NotebookStore | undefined;
  /** The lake each restored cell's result was checked against. */
  const restoredLake = new Map<string, string>();
  let versionOf: { info: EngineInfo; lake: string } | undefined;

  /** The lake the engine serves now; undefined while it starts or switches roles. */
  const liveLake = (s: NotebookState): string | undefined => {
    const info = s.engine.info;
    if (s.engine.status !== 'ready' || !info) return undefined;
    if (versionOf?.info !== info) versionOf = { info, lake: lakeVersion(info) };
    return versionOf.lake;
  };

  const keeper: ResultKeeper = {
    keep(id, sql, sources, result, sort) {
      const s = store?.getState();
      const lake = s && liveLake(s);
      if (!s || !lake) return;
      void cache.write({
        notebook: s.notebook.id,
        cell: id,
        session: sessionKey(s.session),
        fingerprint: resultFingerprint({ sql, sources, session: s.session, lake }),
        lake,
        savedAt: Date.now(),
        result,
        ...(sort ? { sort } : {}),
      });
    },
    drop(id) {
      const s = store?.getState();
      if (s) void cache.forget(s.notebook.id, sessionKey(s.session), id);
    },
  };

  /** The entry as the cell's run, or undefined when the cell changed, ran since, or is gone. */
  function runOf(s: NotebookState, entry: CachedResult, lake: string): CellRun | undefined {
    const cell = s.notebook.cells.find((c) => c.id === entry.cell);
    if (cell?.kind !== 'sql' || (s.runs[cell.id]?.status ?? 'idle') !== 'idle') return undefined;
    const sources = sourcesOf(s.notebook, cell.id);
    if (!Array.isArray(sources) || entry.lake !== lake) return undefined;
    if (entry.fingerprint !== resultFingerprint({ sql: cell.sql, sources, session: s.session, lake }))
      return undefined;
    return {
      status: 'restored',
      stale: false,
      result: entry.result,
      restoredFrom: entry.savedAt,
      ...(entry.sort ? { sort: entry.sort } : {}),
    };
  }

  async function restore(target: NotebookStore, asked: NotebookState): Promise<void> {
    const { notebook, session } = asked;
    const key = sessionKey(session);
    const entries = await cache.read(notebook.id, key);
    if (entries.length === 0) return;
    const lastLake = liveLake(target.getState()) ? undefined : await cache.lastLake(key);
    const s = target.getState();
    const lake = liveLake(s) ?? lastLake;
    if (!lake || !s.trusted || s.notebook.id !== notebook.id || s.session !== session) return;
    // One cell a task, in the notebook's order: each result shows as soon as it can, and drawing a dozen
    // grids at once does not hold back what else the page has to show (the engine ready for a new role).
    const place = new Map(notebook.cells.map((c, i) => [c.id, i]));
    const ordered = [...entries].sort((a, b) => (place.get(a.cell) ?? 0) - (place.get(b.cell) ?? 0));
    for (const [i, entry] of ordered.entries()) {
      if (i > 0) await nextTask();
      const now = target.getState();
      if (!now.trusted || now.notebook.id !== notebook.id || now.session !== session) return;
      // The engine may have reported its lake since: a result is checked against that one from then on.
      const against = liveLake(now) ?? lake;
      const run = runOf(now, entry, against);
      if (run) {
        restoredLake.set(entry.cell, against);
        target.setState({ runs: { ...now.runs, [entry.cell]: run } });
      } else if (now.runs[entry.cell] === undefined) void cache.forget(notebook.id, key, entry.cell);
    }
  }

  /** Once the engine reports its lake: remembered for the next visit, and restored results of another withdrawn. */
  function checkLake(target: NotebookStore, s: NotebookState): void {
    const lake = liveLake(s);
    if (!lake) return;
    const key = sessionKey(s.session);
    void cache.setLastLake(key, lake);
    const outdated = Object.keys(s.runs).filter(
      (id) => s.runs[id]!.status === 'restored' && restoredLake.get(id) !== lake,
    );
    if (outdated.length === 0) return;
    target.setState({ runs: { ...s.runs, ...Object.fromEntries(outdated.map((id) => [id, IDLE_RUN])) } });
    for (const id of outdated) void cache.forget(s.notebook.id, key, id);
  }

  return {
    keeper,
    follow(target) {
      store = target;
      target.subscribe((s, previous) => {
        const opened = s.loaded && (!previous.loaded || s.notebook.id !== previous.notebook.id);
        if (opened || (s.loaded && s.session !== previous.session)) void restore(target, s);
        if (s.engine.info !== previous.engine.info || s.engine.status !== previous.engine.status)
          checkLake(target, s);
        if (s.notebooks === previous.notebooks) return;
        const listed = new Set(s.notebooks.map((n) => n.id));
        for (const gone of previous.notebooks) if (!listed.has(gone.id)) void cache.forgetNotebook(gone.id);
      });
    },
  };
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
