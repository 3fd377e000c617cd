import * as parquetWasm from 'parquet-wasm/node';
import { createNodeBindings } from '../worker/core/node-bindings';
import { EngineHost } from '../worker/engine-host';
import type { HostPlatform } from '../worker/host-platform';
import { parquetWasmDecoder } from '../worker/loader/parquet-decoder';
import type { EngineError } from '../../contract/results';
import type { Request, WorkerMessage } from '../protocol';

/** Drives an EngineHost the way the worker does, on Node; `platform` replaces parts of the Node platform. */
export function startHost(platform: Partial<HostPlatform> = {}) {
  const waiters = new Map<number, (m: WorkerMessage) => void>();
  const progress: WorkerMessage[] = [];
  const host = new EngineHost({
    createBindings: createNodeBindings,
    decoder: async () => parquetWasmDecoder(parquetWasm),
    fetchJson: async (url) => (await fetch(url)).json(),
    post: (m) => ('progress' in m ? progress.push(m) : waiters.get(m.id)?.(m)),
    ...platform,
  });
  let next = 0;
  const send = (request: Request) => {
    const id = ++next;
    const reply = new Promise<WorkerMessage>((resolve) => waiters.set(id, resolve));
    host.handle({ id, request });
    return { id, reply };
  };
  const value = async <T>(request: Request): Promise<T> => {
    const m = await send(request).reply;
    if (!('ok' in m) || !m.ok) throw new Error(JSON.stringify(m));
    return m.value as T;
  };
  const error = async (request: Request): Promise<EngineError> => {
    const m = await send(request).reply;
    if ('ok' in m && !m.ok) return m.error;
    throw new Error(`expected a failure, got ${JSON.stringify(m)}`);
  };
  return { send, value, error, progress };
}
