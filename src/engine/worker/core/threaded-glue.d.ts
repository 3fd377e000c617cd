// The Emscripten loader of DuckDB-WASM's multi-threaded build, served by scripts/site/duckdb-threads-plugin.ts.
declare module 'virtual:duckdb-threaded-glue' {
  import type { DuckDBModule } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';

  export interface ThreadedModuleOverrides extends Partial<DuckDBModule> {
    instantiateWasm(
      imports: WebAssembly.Imports,
      success: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ): object;
    locateFile(path: string): string;
  }

  export default function createThreadedModule(overrides: ThreadedModuleOverrides): Promise<DuckDBModule>;
}
