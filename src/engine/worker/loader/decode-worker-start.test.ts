import { describe, expect, it, vi } from 'vitest';
import { preferWorker, startDecodeWorker, type DecodeWorkerHandle } from './decode-worker-client';
import type { DecodeInitReply, DecodeRequest } from './decode-worker-protocol';
import { ParquetReadError, type ParquetDecoder } from './parquet-decoder';

/** A stand-in for the spawned Worker: records what the engine posts and lets the test answer. */
class FakeWorker implements DecodeWorkerHandle {
  readonly posted: unknown[] = [];
  terminated = false;
  private readonly events = new EventTarget();

  addEventListener(type: string, listener: (event: Event) => void): void {
    this.events.addEventListener(type, listener);
  }

  removeEventListener(type: string, listener: (event: Event) => void): void {
    this.events.removeEventListener(type, listener);
  }

  postMessage(message: unknown): void {
    this.posted.push(message);
  }

  terminate(): void {
    this.terminated = true;
  }

  answer(data: DecodeInitReply | Record<string, unknown>): void {
    this.events.dispatchEvent(new MessageEvent('message', { data }));
  }

  fail(message: string): void {
    this.events.dispatchEvent(Object.assign(new Event('error'), { message }));
  }
}

const wasm = Promise.resolve({} as WebAssembly.Module);

describe('starting the decode worker', () => {
  it('sends the compiled wasm, and decodes through the worker once it is ready', async () => {
    const worker = new FakeWorker();
    const started = startDecodeWorker(() => worker, wasm);
    await vi.waitFor(() => expect(worker.posted).toHaveLength(1));
    expect(worker.posted[0]).toEqual({ kind: 'init', wasm: await wasm });
    worker.answer({ kind: 'ready' });
    const decoder = await started;
    const opened = decoder.open('http://lake/a.parquet', 100);
    await vi.waitFor(() => expect(worker.posted).toHaveLength(2));
    const request = worker.posted[1] as DecodeRequest & { id: number };
    expect(request).toMatchObject({ kind: 'open', url: 'http://lake/a.parquet', bytes: 100 });
    worker.answer({ kind: 'opened', id: request.id, opened: { source: 1, columns: ['a', 'b'] } });
    const source = await opened;
    expect(source.columnIndex('b')).toBe(1);
    expect(source.columnIndex('c')).toBe(-1);
  });

  it('fails the reads in flight with a decoder error when the worker reports an unhandled error', async () => {
    const worker = new FakeWorker();
    const started = startDecodeWorker(() => worker, wasm);
    await vi.waitFor(() => expect(worker.posted).toHaveLength(1));
    worker.answer({ kind: 'ready' });
    const opened = (await started).open('http://lake/a.parquet', 100);
    await vi.waitFor(() => expect(worker.posted).toHaveLength(2));
    worker.fail('RuntimeError: unreachable');
    await expect(opened).rejects.toBeInstanceOf(ParquetReadError);
    await expect(opened).rejects.toThrow('the Parquet decoder failed on it (RuntimeError: unreachable)');
  });

  it.each([
    ['its script cannot be loaded', (w: FakeWorker) => w.fail(''), 'could not be loaded'],
    [
      'parquet-wasm cannot be instantiated there',
      (w: FakeWorker) =>
        w.answer({ kind: 'unavailable', error: { name: 'CompileError', message: 'bad module' } }),
      'bad module',
    ],
  ])('gives up and stops the worker when %s', async (_, happen, message) => {
    const worker = new FakeWorker();
    const started = startDecodeWorker(() => worker, wasm);
    await vi.waitFor(() => expect(worker.posted).toHaveLength(1));
    happen(worker);
    await expect(started).rejects.toThrow(message);
    expect(worker.terminated).toBe(true);
  });

  it('gives up at once when the worker fails before the wasm has compiled', async () => {
    const worker = new FakeWorker();
    let compiled: (m: WebAssembly.Module) => void = () => {};
    const later = new Promise<WebAssembly.Module>((resolve) => (compiled = resolve));
    const started = startDecodeWorker(() => worker, later, 60_000);
    worker.fail('');
    compiled({} as WebAssembly.Module);
    await expect(started).rejects.toThrow('could not be loaded');
    expect(worker.terminated).toBe(true);
  });

  it('gives up when the worker never answers', async () => {
    const worker = new FakeWorker();
    await expect(startDecodeWorker(() => worker, wasm, 10)).rejects.toThrow('did not start in time');
    expect(worker.terminated).toBe(true);
  });

  it('gives up when no worker can be created here', async () => {
    const started = startDecodeWorker(() => {
      throw new ReferenceError('Worker is not defined');
    }, wasm);
    await expect(started).rejects.toThrow('Worker is not defined');
  });
});

describe('preferring the decode worker', () => {
  const named = (name: string): ParquetDecoder => ({
    open: async () => ({
      rowGroups: [name.length],
      columnIndex: () => 0,
      read: async () => new Uint8Array(),
      close() {},
    }),
  });

  it('uses the worker when it started', async () => {
    const inThread = vi.fn(async () => named('in-thread'));
    const decoder = preferWorker(Promise.resolve(named('worker')), inThread);
    expect((await decoder.open('u', 1)).rowGroups).toEqual([6]);
    expect(inThread).not.toHaveBeenCalled();
  });

  it('decodes in this thread when the worker could not start, and says why once', async () => {
    const warn = vi.fn();
    const decoder = preferWorker(Promise.reject(new Error('blocked')), async () => named('in-thread'), warn);
    expect((await decoder.open('u', 1)).rowGroups).toEqual([9]);
    expect((await decoder.open('v', 1)).rowGroups).toEqual([9]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain('blocked');
  });
});
