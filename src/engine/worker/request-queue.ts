import type { EngineFailure } from '../errors';
import type { Request, RequestEnvelope } from '../protocol';

/** The requests that wait their turn: `cancel` and `ping` are answered as they arrive. */
export type QueuedRequest = Exclude<Request, { kind: 'cancel' | 'ping' }>;

/**
 * The engine's requests waiting for their turn, served one at a time. The first request not asked in the
 * background goes first, else the first: a chart's queries wait while a person waits on a cell, and nothing
 * overtakes a request asked without `background`, so a role switch or tag change is never overtaken by a
 * query asked after it. A request cancelled while it waits fails when its turn comes, without running.
 */
export class RequestQueue {
  private readonly waiting: { id: number; request: QueuedRequest }[] = [];
  private readonly cancelled = new Map<number, EngineFailure>();
  private serving = false;

  constructor(
    private readonly serve: (id: number, request: QueuedRequest) => Promise<void>,
    private readonly fail: (id: number, reason: EngineFailure) => void,
    /** Called each time the last waiting request has been served. */
    private readonly idle: () => void,
  ) {}

  push({ id, request }: RequestEnvelope): void {
    if (request.kind === 'cancel' || request.kind === 'ping') return;
    this.waiting.push({ id, request });
    void this.drain();
  }

  /** The waiting request `id` fails with `reason` when its turn comes; false when `id` is not waiting. */
  cancel(id: number, reason: EngineFailure): boolean {
    if (!this.waiting.some((e) => e.id === id)) return false;
    this.cancelled.set(id, reason);
    return true;
  }

  /** Every query still waiting fails with `reason` when its turn comes. */
  cancelQueries(reason: EngineFailure): void {
    for (const { id, request } of this.waiting) if (request.kind === 'query') this.cancelled.set(id, reason);
  }

  private async drain(): Promise<void> {
    if (this.serving) return;
    this.serving = true;
    for (let next = this.next(); next; next = this.next()) {
      const reason = this.cancelled.get(next.id);
      this.cancelled.delete(next.id);
      if (reason) this.fail(next.id, reason);
      else await this.serve(next.id, next.request);
    }
    this.serving = false;
    this.idle();
  }

  private next() {
    const first = this.waiting.findIndex((e) => !(e.request.kind === 'query' && e.request.background));
    return this.waiting.splice(first >= 0 ? first : 0, 1)[0];
  }
}
