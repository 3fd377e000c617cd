/** Starting the engine, following its progress and restarts, and switching the role it serves. */
import type { EngineEvent } from '../engine/connector';
import { IDLE_RUN, toCellError } from './store-run';
import type { CellRun, GetState, NotebookState, SetState, StoreDeps } from './store-types';

type EngineActions = Pick<NotebookState, 'startEngine' | 'switchSession'>;

export interface EngineHooks {
  actions: EngineActions;
  /** Resolves true once the engine serves queries, false when it failed to start. */
  ready(): Promise<boolean>;
}

export function createEngineActions(set: SetState, get: GetState, deps: StoreDeps): EngineHooks {
  let settle!: (ok: boolean) => void;
  let readyPromise = new Promise<boolean>((r) => (settle = r));
  let unsubscribe: (() => void) | undefined;

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
   * Results computed under another role may hold data this role may not see: they are dropped, and run id 0
   * (never issued) makes any answer still on its way arrive as superseded.
   */
  const clearedRuns = (runs: Record<string, CellRun>) =>
    Object.fromEntries(Object.keys(runs).map((id) => [id, IDLE_RUN]));

  return {
    ready: () => readyPromise,
    actions: {
      async startEngine() {
        unsubscribe?.();
        unsubscribe = deps.connector.subscribe(onEvent);
        set({ engine: { status: 'starting' } });
        try {
          const info = await deps.connector.start(deps.lakeUrl, get().session);
          set({ engine: { status: 'ready', info } });
          settle(true);
        } catch (e) {
          set({ engine: { status: 'failed', error: toCellError(e) } });
          settle(false);
        }
      },

      async switchSession(session) {
        get().cancelAll();
        readyPromise = new Promise<boolean>((r) => (settle = r));
        set((s) => ({ session, runs: clearedRuns(s.runs), engine: { ...s.engine, status: 'switching' } }));
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
