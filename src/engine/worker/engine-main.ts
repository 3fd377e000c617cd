/// <reference lib="webworker" />
/**
 * The engine worker, started by its entry (worker.ts): DuckDB-WASM through its synchronous bindings (a user
 * instance and a trusted staging instance) and parquet-wasm, all served from the app's own origin. Lake files
 * are decoded in a worker of their own (src/engine/worker/loader/decode-worker.ts), in-thread where that
 * cannot start. Everything else is in EngineHost.
 */
import initParquet, * as parquetWasm from 'parquet-wasm/esm';
import { openAuditStore } from '../../gov/audit-store';
import { browserBindings, hasThreads, stopThreads } from './core/browser-bindings';
import { instantiateShared } from './core/shared-wasm';
import { EngineHost } from './engine-host';
import { parquetWriter } from './export/parquet-writer';
import { ResultExporter } from './export/result-export';
import { openTagStore } from './governance/tag-store';
import { openUploadStore } from './ingest/upload-store';
import { preferWorker, startDecodeWorker } from './loader/decode-worker-client';
import { PanicWatch, parquetWasmDecoder } from './loader/parquet-decoder';
import type { RequestEnvelope, WorkerMessage } from '../protocol';

declare const self: DedicatedWorkerGlobalScope;

/** What the entry started before this script was loaded. */
export interface EarlyStart {
  /** Compilations of DuckDB's wasm, by URL; the engine adds what else it compiles. */
  compiledWasm: Map<string, Promise<WebAssembly.Module>>;
  parquetModule: Promise<WebAssembly.Module>;
  /** Requests that arrived before this script ran, in order. */
  held: MessageEvent<RequestEnvelope>[];
}

export function startEngine({ compiledWasm, parquetModule, held }: EarlyStart): void {
  const panics = new PanicWatch();

  // The decoder's wasm: this thread keeps an instance for exports and uploads; the decode worker instantiates
  // the same compiled module.
  const parquetReady = parquetModule.then((module) => initParquet({ module_or_path: module }));
  const lakeDecoder = preferWorker(
    startDecodeWorker(
      () =>
        new Worker(new URL('./loader/decode-worker.ts', import.meta.url), {
          type: 'module',
          name: 'lakebook-decoder',
        }),
      parquetModule,
    ),
    () => parquetReady.then(() => parquetWasmDecoder(parquetWasm, { panics })),
  );
  const decoderReady = parquetReady.then(() => lakeDecoder);
  decoderReady.catch(() => undefined);

  // Exports run as queries through the host; the exporter turns their answers into files (src/engine/worker/export).
  const exporter = new ResultExporter({
    writer: () => parquetReady.then(() => parquetWriter(parquetWasm)),
    forward: (envelope) => host.handle(envelope),
    post: (message, transfer = []) => self.postMessage(message, transfer),
  });

  const host = new EngineHost({
    spareInstances: true,
    async createBindings(use, options) {
      const { bindings, threads } = await browserBindings({
        threads: use === 'user' && options?.threads === true,
      });
      await instantiateShared(bindings, compiledWasm);
      bindings.open(threads > 1 ? { maximumThreads: threads } : {});
      return bindings;
    },
    releaseBindings: stopThreads,
    replaceAfterStop: hasThreads,
    decoder: () => decoderReady,
    async fetchJson(url) {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    },
    post(message: WorkerMessage, transfer: Transferable[] = []) {
      exporter.post(message, transfer);
    },
    governanceStorage: { openAudit: () => openAuditStore(), openTags: () => openTagStore() },
    uploadStore: () => openUploadStore(),
    parquetToIpc: (bytes) => parquetWasm.readParquet(bytes).intoIPCStream(),
  });

  // DuckDB's one-thread wasm is downloaded, compiled and instantiated as soon as this script runs, not when the
  // first request arrives: the page starts this worker before it has read its own storage and the lake's policy.
  host.startInstanceEarly();

  // parquet-wasm's range reader can trap on a corrupt file outside any promise chain (in this thread when the
  // decode worker could not start); the read in flight then fails with a named load error instead of the
  // whole engine being reported as crashed.
  self.addEventListener('error', (event) => {
    if (panics.report(event.error ?? event.message)) event.preventDefault();
  });

  self.addEventListener('message', (event: MessageEvent<RequestEnvelope>) => exporter.handle(event.data));
  for (const event of held) exporter.handle(event.data);
}
