/**
 * Running cells. Queries go to the engine one at a time, in the order they were asked for; each run has an
 * id, and a run that was superseded (the cell ran again) or cancelled while queued drops its result. A cell
 * is sent with the cells it reads, in dependency order, so the engine can define their views first.
 */
import { type RunningQuery } from '../contract/connector';
import type { CellSource } from '../contract/results';
import type { SqlCell } from './model/cells';
import { buildGraph, CycleError, downstreamOrder, upstreamOrder } from './model/deps';
import { createCell, insertNear, type Notebook } from './model/notebook';
import { queryOptions } from './query-limits';
import { sortedSql } from './sorted-sql';
import type { EngineHooks } from './store-engine';
import { IDLE_RUN, toCellError } from './run-state';
import {
  catalogTableNames,
  type CellError,
  type CellRun,
  type GetState,
  type NotebookState,
  type ResultKeeper,
  type RunStatus,
  type SetState,
  type SkipReason,
  type StoreDeps,
} from './store-types';

type RunActions = Pick<
  NotebookState,
  | 'runCell'
  | 'runAndAdvance'
  | 'runAll'
  | 'runAbove'
  | 'cancelCell'
  | 'cancelAll'
  | 'queryForChart'
  | 'sortResult'
>;

/**
 * The cells `id` reads, in the order the engine must define them, or the error to show when `id` or one of
 * its sources is part of a cycle (such a cell can never run).
 */
export function sourcesOf(notebook: Notebook, id: string): CellSource[] | CellError {
  const byId = new Map(notebook.cells.map((c) => [c.id, c]));
  try {
    return upstreamOrder(buildGraph(notebook.cells), id).map((uid) => {
      const source = byId.get(uid) as SqlCell;
      return { name: source.name, sql: source.sql };
    });
  } catch (e) {
    if (!(e instanceof CycleError)) throw e;
    const names = e.cycle.map((cid) => (byId.get(cid) as SqlCell).name);
    return {
      code: 'CYCLE',
      message: `These cells read each other in a cycle: ${[...names, names[0]].join(' → ')}.`,
      hint: 'Change one of them so it no longer reads the others.',
    };
  }
}

export function createRunActions(
  set: SetState,
  get: GetState,
  deps: StoreDeps,
  engine: Pick<EngineHooks, 'ready' | 'generation'>,
  keeper?: ResultKeeper,
): RunActions {
  const now = deps.now ?? (() => performance.now());
  let lastRunId = 0;
  /**
   * Each cell's latest run and the role generation it was asked under: results and steps of older runs,
   * and of runs asked before a role switch, are dropped.
   */
  const latestRun = new Map<string, { runId: number; generation: number }>();
  const inflight = new Map<string, { runId: number; query: RunningQuery }>();
  const charts = new Set<RunningQuery>();
  let tail: Promise<void> = Promise.resolve();
  let executions = 0;

  const patchRun = (id: string, patch: Partial<CellRun>) =>
    set((s) => ({ runs: { ...s.runs, [id]: { ...(s.runs[id] ?? IDLE_RUN), ...patch } } }));
  const isCurrent = (id: string, runId: number) => {
    const latest = latestRun.get(id);
    return latest?.runId === runId && latest.generation === engine.generation();
  };
  const newRunId = (id: string) => {
    const runId = ++lastRunId;
    latestRun.set(id, { runId, generation: engine.generation() });
    return runId;
  };

  /**
   * Gives the cell a new run id, superseding whatever run it had. The cell is shown queued only when it has
   * to wait: a run that can start at once reaches the engine before the page renders anything for it, since
   * every state change re-renders the cell.
   */
  function enqueue(id: string, behindOthers = false): number {
    const runId = newRunId(id);
    inflight.get(id)?.query.cancel();
    if (behindOthers || executions > 0 || get().engine.status !== 'ready')
      patchRun(id, { status: 'queued', stale: false, skipped: undefined });
    return runId;
  }

  async function execute(id: string, runId: number): Promise<RunStatus> {
    const previous = tail;
    let release!: () => void;
    tail = previous.then(() => new Promise<void>((r) => (release = r)));
    executions++;
    try {
      await previous;
      return await executeNow(id, runId);
    } finally {
      executions--;
      release();
    }
  }

  /** The first source of `id` that failed in this sequence, as the reason to give; none for a cycle. */
  function failedSource(
    notebook: Notebook,
    id: string,
    failed: ReadonlyMap<string, SkipReason>,
  ): SkipReason | undefined {
    if (failed.size === 0) return undefined;
    try {
      const source = upstreamOrder(buildGraph(notebook.cells), id).find((u) => failed.has(u));
      return source === undefined ? undefined : failed.get(source);
    } catch (e) {
      if (e instanceof CycleError) return undefined;
      throw e;
    }
  }

  async function executeNow(id: string, runId: number): Promise<RunStatus> {
    if (!isCurrent(id, runId)) return 'idle';
    if (!(await engine.ready())) {
      const error = get().engine.error ?? { code: 'INTERNAL', message: 'The engine did not start.' };
      if (isCurrent(id, runId)) patchRun(id, { status: 'error', error, result: undefined });
      return 'error';
    }
    if (!isCurrent(id, runId)) return 'idle';
    const { notebook } = get();
    const cell = notebook.cells.find((c): c is SqlCell => c.id === id && c.kind === 'sql');
    if (!cell || cell.sql.trim() === '') {
      patchRun(id, { status: 'idle', stale: false, result: undefined, error: undefined });
      return 'idle';
    }
    const sources = sourcesOf(notebook, id);
    if (!Array.isArray(sources)) {
      patchRun(id, { status: 'error', stale: false, error: sources, result: undefined });
      return 'error';
    }
    const run = get().runs[id] ?? IDLE_RUN;
    const sql = run.sort ? sortedSql(cell.sql, run.sort) : cell.sql;
    const startedAt = now();
    const query = deps.connector.query(sql, sources, queryOptions(get().limits));
    inflight.set(id, { runId, query });
    patchRun(id, {
      status: 'running',
      stale: false,
      skipped: undefined,
      startedAt,
      error: undefined,
      elapsedMs: undefined,
      restoredFrom: undefined,
    });
    try {
      const result = await query.result;
      if (!isCurrent(id, runId)) return 'idle';
      patchRun(id, { status: 'done', result, error: undefined, elapsedMs: now() - startedAt });
      keeper?.keep(id, cell.sql, sources, result, run.sort);
      return 'done';
    } catch (e) {
      if (!isCurrent(id, runId)) return 'idle';
      const error = toCellError(e);
      const status = error.code === 'DENIED' ? 'denied' : 'error';
      patchRun(id, { status, error, result: undefined, elapsedMs: now() - startedAt });
      if (status === 'denied') keeper?.drop(id);
      return status;
    } finally {
      if (inflight.get(id)?.runId === runId) inflight.delete(id);
    }
  }

  /**
   * Runs cells in order. A cell that reads a cell that was denied or failed in this sequence (directly or
   * through others) is not sent: it is marked skipped, naming the cell at the root, so the reader knows what
   * to fix; cells that do not depend on it still run.
   */
  async function runSequence(ids: string[]): Promise<RunStatus> {
    const queued = ids.map((id, i) => [id, enqueue(id, i > 0)] as const);
    const failed = new Map<string, SkipReason>();
    let last: RunStatus = 'done';
    for (const [id, runId] of queued) {
      if (!isCurrent(id, runId)) continue;
      const blocker = failedSource(get().notebook, id, failed);
      if (blocker) {
        newRunId(id);
        patchRun(id, { status: 'skipped', skipped: blocker, error: undefined, result: undefined });
        failed.set(id, blocker);
        last = 'skipped';
        continue;
      }
      last = await execute(id, runId);
      if (last === 'error' || last === 'denied') {
        const cell = get().notebook.cells.find((c) => c.id === id);
        failed.set(id, { cell: cell?.kind === 'sql' ? cell.name : id, status: last });
      }
    }
    return last;
  }

  /** After a cell produced a new result: re-run (auto mode) or mark stale (lazy mode) the cells that read it. */
  async function propagate(id: string): Promise<void> {
    const state = get();
    const readers = downstreamOrder(buildGraph(state.notebook.cells), id).filter(
      (d) => (state.runs[d]?.status ?? 'idle') !== 'idle',
    );
    if (readers.length === 0) return;
    if (state.notebook.settings.runMode === 'lazy') {
      for (const d of readers) patchRun(d, { stale: true });
      return;
    }
    await runSequence(readers);
  }

  const sqlIds = (state: NotebookState, before?: number) =>
    state.notebook.cells
      .slice(0, before)
      .flatMap((c) => (c.kind === 'sql' && c.sql.trim() !== '' ? [c.id] : []));

  /** A notebook from outside runs nothing until its reader confirms it (see `trusted`). */
  function mayRun(): boolean {
    const { trusted, session } = get();
    if (!trusted)
      get().notify(
        'info',
        `Nothing ran: this notebook came from a link or a file. Read its cells, then choose “Run this notebook as ${session.role}?” above them.`,
      );
    return trusted;
  }

  async function runCell(id: string): Promise<void> {
    if (!mayRun()) return;
    const status = await execute(id, enqueue(id));
    if (status === 'done') await propagate(id);
  }

  return {
    runCell,

    runAndAdvance(id) {
      void runCell(id);
      const state = get();
      const index = state.notebook.cells.findIndex((c) => c.id === id);
      const next = state.notebook.cells[index + 1];
      if (next) {
        set({ activeCellId: next.id });
        return next.id;
      }
      const cell = createCell(state.notebook, 'sql', catalogTableNames(state));
      set({ notebook: insertNear(state.notebook, id, 'below', cell), activeCellId: cell.id });
      return cell.id;
    },

    async runAll() {
      if (!mayRun()) return;
      await runSequence(sqlIds(get()));
    },

    async runAbove(id) {
      const index = get().notebook.cells.findIndex((c) => c.id === id);
      if (index > 0 && mayRun()) await runSequence(sqlIds(get(), index));
    },

    cancelCell(id) {
      const running = inflight.get(id);
      if (running) running.query.cancel();
      else if (get().runs[id]?.status === 'queued') {
        newRunId(id);
        patchRun(id, { status: 'idle' });
      }
    },

    cancelAll() {
      for (const [id, run] of Object.entries(get().runs))
        if (run.status === 'queued') {
          newRunId(id);
          patchRun(id, { status: 'idle' });
        }
      for (const { query } of inflight.values()) query.cancel();
      for (const query of charts) query.cancel();
    },

    queryForChart(sql, cells, options = {}) {
      const asked = engine.generation();
      const query = deps.connector.query(sql, cells, {
        ...queryOptions(get().limits),
        ...options,
        background: true,
      });
      charts.add(query);
      const result = query.result
        .then((answer) => {
          if (engine.generation() !== asked) throw roleChanged(get().session.role);
          return answer;
        })
        .finally(() => charts.delete(query));
      return { result, cancel: () => query.cancel() };
    },

    async sortResult(id, sort) {
      patchRun(id, { sort });
      if (!mayRun()) return;
      await execute(id, enqueue(id));
    },
  };
}

function roleChanged(role: string): CellError {
  return {
    code: 'CANCELLED',
    message: `The chart was stopped: the role changed to ${role} before it was drawn.`,
  };
}
