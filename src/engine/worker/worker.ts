/// <reference lib="webworker" />
/**
 * The engine worker's entry. It is kept small on purpose: before the engine's own script (nearly 2 MB) is
 * even downloaded, it starts downloading and compiling DuckDB's wasm and parquet-wasm, which take longer still,
 * so the two overlap instead of following each other on a first visit. Requests that arrive meanwhile are
 * held and handed over in order.
 */
import duckdbEh from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import duckdbMvp from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { absolute, compileWasm } from './core/shared-wasm';
import { hasWasmExceptions } from './core/wasm-features';
import type { RequestEnvelope } from '../protocol';

declare const self: DedicatedWorkerGlobalScope;

const held: MessageEvent<RequestEnvelope>[] = [];
const hold = (event: MessageEvent<RequestEnvelope>) => held.push(event);
self.addEventListener('message', hold);

// The one-thread build duckdb-wasm will choose here (see browser-bindings.ts): the instance started early
// uses it. Should the choice differ, the engine compiles its own and this one is only wasted work.
const duckdbUrl = absolute(hasWasmExceptions() ? duckdbEh : duckdbMvp);
const compiledWasm = new Map([[duckdbUrl, compileWasm(duckdbUrl)]]);
compiledWasm.get(duckdbUrl)?.catch(() => compiledWasm.delete(duckdbUrl));
const parquetModule = compileWasm(absolute(parquetWasmUrl));

const { startEngine } = await import('./engine-main');
self.removeEventListener('message', hold);
startEngine({ compiledWasm, parquetModule, held });
