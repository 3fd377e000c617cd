import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';

/** The parts of duckdb-wasm's browser bindings that decide how their wasm is instantiated. */
interface BrowserBindingsInternals {
  readonly mainModuleURL: string;
  readonly _runtime: unknown;
  instantiateWasm(
    imports: WebAssembly.Imports,
    success: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  ): unknown;
}

/**
 * Instantiates bindings (created, not yet instantiated) from a wasm module compiled once per worker: the
 * engine runs two DuckDB instances (the role's and the trusted staging one), and without this each
 * downloads and compiles the same 30 MB module. The second instance only instantiates it, in milliseconds.
 */
export async function instantiateShared(
  bindings: DuckDBBindings,
  compiled: Map<string, Promise<WebAssembly.Module>>,
): Promise<void> {
  const target = bindings as unknown as BrowserBindingsInternals;
  const ready = compileShared(bindings, compiled);
  target.instantiateWasm = (imports, success) => {
    // What duckdb-wasm's own instantiateWasm does first: its file system calls find the runtime here.
    (globalThis as { DUCKDB_RUNTIME?: unknown }).DUCKDB_RUNTIME = target._runtime;
    void ready.then(async (m) => success(await WebAssembly.instantiate(m, imports), m));
    // Emscripten's contract: an empty object means "instantiating asynchronously, success will be called".
    return {};
  };
  // A failed download or compile rejects here instead of leaving the instantiation pending forever.
  await Promise.all([bindings.instantiate(() => {}), ready]);
}

/** Starts (or finds) the compilation of the wasm module the bindings chose (with or without exceptions). */
export function compileShared(
  bindings: DuckDBBindings,
  compiled: Map<string, Promise<WebAssembly.Module>>,
): Promise<WebAssembly.Module> {
  const url = (bindings as unknown as BrowserBindingsInternals).mainModuleURL;
  let module = compiled.get(url);
  if (!module) {
    module = compileWasm(url);
    compiled.set(url, module);
    module.catch(() => compiled.delete(url));
  }
  return module;
}

export async function compileWasm(url: string): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    // A host that does not send `application/wasm` fails streaming compilation; compile from the bytes.
    const response = await fetch(url);
    if (!response.ok) throw new Error(`Could not fetch ${url}: HTTP ${response.status}`);
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

/** A bundled asset's URL, made absolute against the worker's own: DuckDB and its threads fetch by it. */
export function absolute(url: string): string {
  return new URL(url, self.location.href).href;
}
