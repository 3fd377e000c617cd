/**
 * Starts the engine worker. The first one is started by the page's entry module before anything else runs
 * (`startEngineWorkerEarly`), so the worker's script and DuckDB's wasm download and compile while the page
 * loads the rest of itself; the engine client adopts it when it starts. Restarts get new workers.
 */
let early: Worker | undefined;

function spawnWorker(): Worker {
  return new Worker(new URL('../worker/worker.ts', import.meta.url), {
    type: 'module',
    name: 'lakebook-engine',
  });
}

export function startEngineWorkerEarly(): void {
  if (typeof Worker === 'undefined') return;
  early ??= spawnWorker();
}

/** The page runs its queries elsewhere (the Lakebook server): the early worker is not needed. */
export function discardEarlyWorker(): void {
  early?.terminate();
  early = undefined;
}

/** The worker started early, once; a new worker after that. */
export function engineWorker(): Worker {
  const worker = early ?? spawnWorker();
  early = undefined;
  return worker;
}
