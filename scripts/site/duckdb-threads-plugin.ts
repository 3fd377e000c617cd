import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

export const THREADED_GLUE_ID = 'virtual:duckdb-threaded-glue';
const RESOLVED_ID = `\0${THREADED_GLUE_ID}`;
const GLUE_SOURCE = 'src/bindings/duckdb-coi.js';

/**
 * duckdb-wasm 1.32 ships its multi-threaded build (`duckdb-coi.wasm`) only inside its own asynchronous
 * worker, while the engine drives DuckDB through synchronous bindings in a worker of its own. The
 * Emscripten loader of that build is published verbatim in the worker's source map; this plugin serves it
 * as an ES module, so the engine's bindings can instantiate the threaded build in its own worker
 * (src/engine/worker/core/threaded-bindings.ts). Node-only branches of the loader (`require` of fs, ws, worker
 * threads) never run in a browser; they are made to throw instead of being bundled.
 */
export function duckdbThreadedGlue(): Plugin {
  return {
    name: 'lakebook-duckdb-threaded-glue',
    resolveId: (id) => (id === THREADED_GLUE_ID ? RESOLVED_ID : undefined),
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      return `${threadedGlueSource()}\nexport default DuckDB;\n`;
    },
  };
}

export function threadedGlueSource(): string {
  // The package's exports leave the map out: find it beside the worker script they do export.
  const worker = createRequire(import.meta.url).resolve(
    '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js',
  );
  const mapPath = `${worker}.map`;
  const map = JSON.parse(readFileSync(mapPath, 'utf8')) as { sources: string[]; sourcesContent?: string[] };
  const index = map.sources.findIndex((s) => s.endsWith(GLUE_SOURCE));
  const glue = index >= 0 ? map.sourcesContent?.[index] : undefined;
  if (!glue?.startsWith('var DuckDB = ')) {
    throw new Error(
      `${mapPath} no longer carries ${GLUE_SOURCE}: the threaded DuckDB build cannot be bundled. ` +
        'Check the pinned @duckdb/duckdb-wasm version.',
    );
  }
  return withoutModuleExports(glue).replace(/\brequire\(/g, 'nodeOnlyRequire(') + NODE_ONLY_REQUIRE;
}

/**
 * The loader ends with a CommonJS/AMD export that never applies to the ES module served here; left in, the
 * bundler warns that `module` is an undeclared global in an ES module on every build.
 */
const UMD_EXPORT =
  /if \(typeof exports === 'object' && typeof module === 'object'\)\s*module\.exports = DuckDB;\s*else if \(typeof define === 'function' && define\['amd'\]\)\s*define\(\[\], \(\) => DuckDB\);/;

function withoutModuleExports(glue: string): string {
  if (!UMD_EXPORT.test(glue))
    throw new Error('The threaded DuckDB loader no longer ends with its CommonJS export; check this plugin.');
  return glue.replace(UMD_EXPORT, '');
}

const NODE_ONLY_REQUIRE = `
function nodeOnlyRequire(name) {
  throw new Error('The threaded DuckDB build runs in browsers only (it asked for ' + name + ').');
}
`;
