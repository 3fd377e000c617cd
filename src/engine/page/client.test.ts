import { describe, expect, it } from 'vitest';
import type { RequestEnvelope, WorkerMessage } from '../protocol';
import { EngineClient } from './client';

/** A worker that records what it is sent and answers only when the test says so. */
class FakeWorker extends EventTarget {
  readonly sent: RequestEnvelope[] = [];
  postMessage(message: RequestEnvelope): void {
    this.sent.push(message);
  }
  answer(message: WorkerMessage): void {
    this.dispatchEvent(new MessageEvent('message', { data: message }));
  }
  terminate(): void {}
}

describe('the page’s engine client', () => {
  it('tells a cancelled cell at once, asks the worker to stop, and drops the worker’s late answer', async () => {
    const worker = new FakeWorker();
    const client = new EngineClient('http://lake/', () => worker as unknown as Worker);
    const started = client.start({ user: 'ana', role: 'DataAnalyst', attributes: {} });
    worker.answer({ id: worker.sent[0]!.id, ok: true, value: { threads: 1 } });
    await started;

    const running = client.query('SELECT sum(x) FROM range(1e12) t(x)', []);
    const queryId = worker.sent.at(-1)!.id;
    running.cancel();
    await expect(running.result).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(worker.sent.at(-1)!.request).toEqual({ kind: 'cancel', target: queryId });

    // The worker's own answer comes later and changes nothing; the next query is answered as usual.
    worker.answer({
      id: queryId,
      ok: false,
      error: { code: 'CANCELLED', message: 'The query was cancelled.' },
    });
    const next = client.query('SELECT 42', []);
    worker.answer({ id: worker.sent.at(-1)!.id, ok: false, error: { code: 'SYNTAX', message: 'x' } });
    await expect(next.result).rejects.toMatchObject({ code: 'SYNTAX' });
    client.dispose();
  });
});
