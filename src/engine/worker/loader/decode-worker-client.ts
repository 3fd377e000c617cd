import type {
  DecodeInit,
  DecodeInitReply,
  DecodePort,
  DecodeReply,
  DecodeRequest,
  FlatError,
  OpenedSource,
} from './decode-worker-protocol';
import { ParquetReadError, type ParquetDecoder, type ParquetSource } from './parquet-decoder';

/** A decoder whose files are read in another thread, and a way to fail what is in flight there. */
export interface RemoteDecoder extends ParquetDecoder {
  /** Fails every request in flight, e.g. when the other thread reports an error it did not handle. */
  failAll(error: FlatError): void;
}

type Answer = { kind: 'opened'; opened: OpenedSource } | { kind: 'ipc'; ipc: Uint8Array };

/**
 * The engine worker's side of the decode worker: the same `ParquetDecoder` the loader uses in-thread, so
 * decoding the next chunk there runs while this thread inserts the current one.
 */
export function remoteDecoder(port: DecodePort): RemoteDecoder {
  const pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  let nextId = 1;

  port.addEventListener('message', (event) => {
    const reply = (event as MessageEvent<DecodeReply>).data;
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (reply.kind === 'failed') waiting.reject(unflatten(reply.error));
    else waiting.resolve(reply);
  });

  function ask(request: DecodeRequest & { id: number }): Promise<Answer> {
    return new Promise((resolve, reject) => {
      pending.set(request.id, { resolve, reject });
      port.postMessage(request, []);
    });
  }

  function sourceOf({ source, rowGroups, stats, rowsLeftOut, columns }: OpenedSource): ParquetSource {
    return {
      rowGroups,
      stats,
      rowsLeftOut,
      columnIndex: (name) => columns.indexOf(name),
      async read(groups, wanted) {
        const answer = await ask({ kind: 'read', id: nextId++, source, rowGroups: groups, columns: wanted });
        if (answer.kind !== 'ipc') throw new Error('the decode worker answered a read with no data');
        return answer.ipc;
      },
      close: () => port.postMessage({ kind: 'close', source } satisfies DecodeRequest, []),
    };
  }

  return {
    async open(url, bytes, rowGroups) {
      const answer = await ask({ kind: 'open', id: nextId++, url, bytes, rowGroups });
      if (answer.kind !== 'opened') throw new Error('the decode worker answered an open with no file');
      return sourceOf(answer.opened);
    },
    failAll(error) {
      const failure = unflatten(error);
      for (const waiting of pending.values()) waiting.reject(failure);
      pending.clear();
    },
  };
}

/** The errors the loader tells apart keep their class; any other keeps its name and message. */
function unflatten({ name, message }: FlatError): Error {
  if (name === 'ParquetReadError') return new ParquetReadError(message);
  const error = new Error(message);
  error.name = name;
  return error;
}

/** What the engine worker needs of the Worker it spawns. */
export interface DecodeWorkerHandle extends DecodePort {
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: Event) => void): void;
  removeEventListener(type: 'message' | 'error', listener: (event: Event) => void): void;
  terminate(): void;
}

/**
 * Long enough for a slow machine to compile the wasm and load the worker's script on a cold cache; past it
 * the engine decodes in-thread.
 */
const START_TIMEOUT_MS = 15_000;

/**
 * Starts the decode worker with parquet-wasm as compiled by the engine worker (its script loads while the
 * wasm compiles). Rejects when the worker cannot run (no nested workers, a blocked or missing script, a
 * failed instantiation), so the caller can decode in-thread.
 */
export async function startDecodeWorker(
  spawn: () => DecodeWorkerHandle,
  wasm: Promise<WebAssembly.Module>,
  timeoutMs = START_TIMEOUT_MS,
): Promise<ParquetDecoder> {
  const worker = spawn();
  // Listen at once: a missing or blocked script can fail the worker before the wasm has compiled.
  const ready = new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(timer);
      worker.removeEventListener('message', onReply);
      worker.removeEventListener('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onReply = (event: Event) => {
      const reply = (event as MessageEvent<DecodeInitReply>).data;
      settle(reply.kind === 'ready' ? undefined : unflatten(reply.error));
    };
    const onError = () => settle(new Error('the decode worker could not be loaded'));
    const timer = setTimeout(() => settle(new Error('the decode worker did not start in time')), timeoutMs);
    worker.addEventListener('message', onReply);
    worker.addEventListener('error', onError);
  });
  ready.catch(() => undefined);
  try {
    worker.postMessage({ kind: 'init', wasm: await wasm } satisfies DecodeInit, []);
    await ready;
  } catch (e) {
    worker.terminate();
    throw e;
  }
  const decoder = remoteDecoder(worker);
  const broken = (message: string) => decoder.failAll({ name: 'ParquetReadError', message });
  worker.addEventListener('error', (event) =>
    broken(`the Parquet decoder failed on it (${(event as ErrorEvent).message || 'an error in its worker'})`),
  );
  worker.addEventListener('messageerror', () =>
    broken('the Parquet decoder sent a chunk that could not be read'),
  );
  return decoder;
}

/**
 * Decodes in the decode worker once it has started; when it cannot start, decodes in this thread instead,
 * with the same results, only without the overlap.
 */
export function preferWorker(
  started: Promise<ParquetDecoder>,
  inThread: () => Promise<ParquetDecoder>,
  warn: (message: string) => void = console.warn,
): ParquetDecoder {
  const chosen = started.catch((e: unknown) => {
    warn(`Parquet files are decoded on the engine thread: ${e instanceof Error ? e.message : String(e)}`);
    return inThread();
  });
  return { open: (url, bytes, rowGroups) => chosen.then((d) => d.open(url, bytes, rowGroups)) };
}
