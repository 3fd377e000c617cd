import {
  BROWSER_RUNTIME,
  ConsoleLogger,
  LogLevel,
  createDuckDB,
  selectBundle,
  type DuckDBBindings,
} from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import duckdbCoi from '@duckdb/duckdb-wasm/dist/duckdb-coi.wasm?url';
import duckdbPthread from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.pthread.worker.js?url';
import duckdbEh from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import duckdbMvp from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import { absolute } from './shared-wasm';
import { duckdbThreads } from './thread-count';
import type { ThreadedBindings } from './threaded-bindings';

const oneThread = {
  mvp: { mainModule: absolute(duckdbMvp), mainWorker: '' },
  eh: { mainModule: absolute(duckdbEh), mainWorker: '' },
};
const threaded = {
  ...oneThread,
  coi: { mainModule: absolute(duckdbCoi), mainWorker: '', pthreadWorker: absolute(duckdbPthread) },
};
const logger = new ConsoleLogger(LogLevel.WARNING);

export interface BrowserBindings {
  bindings: DuckDBBindings;
  /** DuckDB threads the instance may use: see `duckdbThreads` for the threaded build, else 1. */
  threads: number;
}

/**
 * Bindings (not yet instantiated) to the build duckdb-wasm's own choice picks for this browser: with
 * `threads`, the multi-threaded one on a cross-origin-isolated page (SharedArrayBuffer), else one thread,
 * with wasm exceptions where the browser has them. A threaded instance starts its pool of DuckDB threads
 * (four workers, each instantiating the module) before it opens, which costs about two seconds here. Its
 * loader is a third of the engine's script and only large lakes need it, so it is loaded on demand.
 */
export async function browserBindings(options: { threads: boolean }): Promise<BrowserBindings> {
  const bundles = options.threads ? threaded : oneThread;
  const bundle = await selectBundle(bundles);
  if (bundle.pthreadWorker) {
    const threads = duckdbThreads(navigator.hardwareConcurrency);
    const { mainModule, pthreadWorker } = bundle;
    const { ThreadedBindings } = await import('./threaded-bindings');
    const bindings = new ThreadedBindings(logger, BROWSER_RUNTIME, mainModule, pthreadWorker);
    threadedInstances.add(bindings);
    return { bindings, threads };
  }
  return { bindings: await createDuckDB(bundles, logger, BROWSER_RUNTIME), threads: 1 };
}

const threadedInstances = new WeakSet<DuckDBBindings>();

/** Whether the bindings drive DuckDB's threaded build (whose instance a stopped statement leaves unusable). */
export function hasThreads(bindings: DuckDBBindings): boolean {
  return threadedInstances.has(bindings);
}

/** Ends the thread workers of threaded bindings (see `ThreadedBindings.terminateThreads`); else nothing. */
export function stopThreads(bindings: DuckDBBindings): void {
  if (hasThreads(bindings)) (bindings as ThreadedBindings).terminateThreads();
}
