/// <reference lib="webworker" />
/**
 * The Parquet decode worker, started by the engine worker: fetches and decodes the lake's files with
 * parquet-wasm (compiled once by the engine worker and sent here), so that decoding one chunk overlaps the
 * engine inserting the one before.
 */
import initParquet, * as parquetWasm from 'parquet-wasm/esm';
import { serveDecoder } from './decode-worker-host';
import { flatten, type DecodeInit, type DecodeInitReply } from './decode-worker-protocol';
import { PanicWatch, parquetWasmDecoder } from './parquet-decoder';

declare const self: DedicatedWorkerGlobalScope;

const panics = new PanicWatch();

// parquet-wasm's range reader can trap on a corrupt file outside any promise chain; the read in flight then
// fails with a decoder error that names the file instead of being left pending.
self.addEventListener('error', (event) => {
  if (panics.report(event.error ?? event.message)) event.preventDefault();
});

function onInit(event: MessageEvent<DecodeInit>): void {
  self.removeEventListener('message', onInit);
  const answer = (reply: DecodeInitReply) => self.postMessage(reply);
  initParquet({ module_or_path: event.data.wasm }).then(
    () => {
      serveDecoder(parquetWasmDecoder(parquetWasm, { panics }), self);
      answer({ kind: 'ready' });
    },
    (e: unknown) => answer({ kind: 'unavailable', error: flatten(e) }),
  );
}

self.addEventListener('message', onInit);
