import {
  DuckDBBindingsBase,
  type DuckDBModule,
  type DuckDBRuntime,
  type Logger,
} from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import createThreadedModule from 'virtual:duckdb-threaded-glue';

/**
 * Synchronous bindings to DuckDB-WASM's multi-threaded build, for a cross-origin-isolated page: what
 * duckdb-wasm's own threaded worker instantiates, driven here from the engine's worker like the
 * single-threaded bindings. DuckDB's threads are Emscripten pthreads, each a worker running
 * `pthreadWorkerURL` on the same shared memory; the engine's worker blocks in DuckDB while they work.
 */
export class ThreadedBindings extends DuckDBBindingsBase {
  constructor(
    logger: Logger,
    runtime: DuckDBRuntime,
    readonly mainModuleURL: string,
    private readonly pthreadWorkerURL: string,
  ) {
    super(logger, runtime);
  }

  protected override async instantiateImpl(overrides: Partial<DuckDBModule>): Promise<DuckDBModule> {
    let memory: WebAssembly.Memory | undefined;
    const module = await createThreadedModule({
      ...overrides,
      instantiateWasm: (imports, success) => {
        memory = sharedMemory(imports);
        // Late bound: src/engine/worker/core/shared-wasm.ts replaces it to instantiate a module compiled once.
        return this.instantiateWasm(imports, success);
      },
      locateFile: (path) => this.locateFile(path),
    });
    if (!memory) throw new Error('The threaded DuckDB build was instantiated without its shared memory.');
    keepViewsFresh(module, memory);
    return module;
  }

  /**
   * Ends DuckDB's thread workers. They hold the instance's shared memory, so without this an instance
   * that is no longer used (the previous role's) would never be freed.
   */
  terminateThreads(): void {
    const threads = this._instance?.PThread;
    if (!threads) return;
    for (const worker of [...threads.unusedWorkers, ...threads.runningWorkers]) worker.terminate();
    threads.unusedWorkers.length = 0;
    threads.runningWorkers.length = 0;
  }

  instantiateWasm(
    imports: WebAssembly.Imports,
    success: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  ): object {
    (globalThis as { DUCKDB_RUNTIME?: unknown }).DUCKDB_RUNTIME = this._runtime;
    void WebAssembly.instantiateStreaming(fetch(this.mainModuleURL), imports).then((r) =>
      success(r.instance, r.module),
    );
    return {};
  }

  private locateFile(path: string): string {
    if (path.endsWith('.wasm')) return this.mainModuleURL;
    if (path.endsWith('.worker.js')) return this.pthreadWorkerURL;
    throw new Error(`DuckDB asked for an unexpected file: ${path}`);
  }
}

function sharedMemory(imports: WebAssembly.Imports): WebAssembly.Memory | undefined {
  for (const space of Object.values(imports)) {
    for (const value of Object.values(space)) if (value instanceof WebAssembly.Memory) return value;
  }
  return undefined;
}

const VIEWS = {
  HEAP8: Int8Array,
  HEAP16: Int16Array,
  HEAPU8: Uint8Array,
  HEAPU16: Uint16Array,
  HEAP32: Int32Array,
  HEAPU32: Uint32Array,
  HEAPF32: Float32Array,
  HEAPF64: Float64Array,
} as const;

/**
 * The bindings read and write DuckDB's memory through the module's `HEAPU8` and friends. Emscripten renews
 * those views when the thread that grows the memory is this one; when one of DuckDB's own threads grew it,
 * they still cover the old size and a copy past it fails ("offset is out of bounds"). So each view is
 * checked against the memory's current buffer when it is read.
 */
function keepViewsFresh(module: DuckDBModule, memory: WebAssembly.Memory): void {
  for (const [name, View] of Object.entries(VIEWS)) {
    let view: ArrayBufferView = new View(memory.buffer);
    Object.defineProperty(module, name, {
      configurable: true,
      get: () => (view.buffer === memory.buffer ? view : (view = new View(memory.buffer))),
      set: (renewed: ArrayBufferView) => (view = renewed),
    });
  }
}
