/** Starting the engine, following its progress and restarts, and switching the role it serves. */
import type { EngineEvent } from '../contract/connector';
import { IDLE_RUN, toCellError } from './run-state';
import type { CellRun, GetState, NotebookState, SetState, StoreDeps } from './store-types';

type EngineActions = Pick<NotebookState, 'startEngine' | 'switchSession'>;

export interface EngineHooks {
  actions: EngineActions;
  /** Resolves true once the engine serves queries, false when it failed to start. */
  ready(): Promise<boolean>;
  /**
   * Counts role switches. A run remembers the generation it was asked under, and its answer is shown only
   * while that generation lasts: whatever the engine computed before a switch belongs to the old role.
   */
  generation(): number;
}

export function createEngineActions(set: SetState, get: GetState, deps: StoreDeps): EngineHooks {
  let settle!: (ok: boolean) => void;
  let readyPromise = new Promise<boolean>((r) => (settle = r));
  let unsubscribe: (() => void) | undefined;
  let generation = 0;

  const onEvent = (event: EngineEvent) => {
    if (event.kind === 'progress') {
      set((s) => ({ engine: { ...s.engine, progress: event.progress } }));
      return;
    }
    set((s) => ({ engine: { ...s.engine, status: 'ready', info: event.info, progress: undefined } }));
    get().notify(
      'error',
      `The engine stopped (${event.error.message}) and was restarted with your role's data. Your notebook is intact; a cell that was running is marked and was not re-run.`,
    );
  };

  /**
   * Results computed under another role may hold data this role may not see: they are dropped. A cell that
   * was running or waiting says why it has no result; answers still on their way carry the old generation
   * and are dropped when they arrive.
   */
  const clearedRuns = (runs: Record<string, CellRun>, role: string) =>
    Object.fromEntries(
      Object.entries(runs).map(([id, run]) => [
        id,
        run.status === 'running' || run.status === 'queued' ? interrupted(role) : IDLE_RUN,
      ]),
    );

  return {
    ready: () => readyPromise,
    generation: () => generation,
    actions: {
      async startEngine() {
        unsubscribe?.();
        unsubscribe = deps.connector.subscribe(onEvent);
        set({ engine: { status: 'starting' } });
        try {
          const info = await deps.connector.start(get().session);
          set({ engine: { status: 'ready', info } });
          settle(true);
        } catch (e) {
          set({ engine: { status: 'failed', error: toCellError(e) } });
          settle(false);
        }
      },

      async switchSession(session) {
        generation++;
        const before = get().runs;
        get().cancelAll();
        readyPromise = new Promise<boolean>((r) => (settle = r));
        set((s) => ({
          session,
          runs: clearedRuns(before, session.role),
          engine: { ...s.engine, status: 'switching' },
        }));
        try {
          const info = await deps.connector.setSession(session);
          set({ engine: { status: 'ready', info } });
          settle(true);
        } catch (e) {
          set({ engine: { status: 'failed', error: toCellError(e) } });
          settle(false);
        }
      },
    },
  };
}

function interrupted(role: string): CellRun {
  return {
    status: 'error',
    stale: false,
    error: {
      code: 'CANCELLED',
      message: `Stopped: the role changed to ${role} while this cell ran, so its result was dropped.`,
      hint: `Run the cell again to see its result as ${role}.`,
    },
  };
}
