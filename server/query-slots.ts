/**
 * Per-user concurrency: each user runs at most `perUser` queries at once and the server at most `total`;
 * further queries wait their turn in order, and only a queue that is already long is refused (503), so a
 * busy server answers later rather than falling over.
 */
export interface SlotLimits {
  perUser: number;
  total: number;
  /** Queries that may wait at once, across users; more are refused as busy. */
  queue: number;
}

interface Waiter {
  user: string;
  start: () => void;
  signal?: AbortSignal;
}

export class QueueFull extends Error {}

export class QuerySlots {
  private readonly running = new Map<string, number>();
  private total = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly limits: SlotLimits) {}

  /** Resolves with a release function once the user may run; rejects when the queue is full or `signal` aborts. */
  acquire(user: string, signal?: AbortSignal): Promise<() => void> {
    if (this.fits(user)) return Promise.resolve(this.take(user));
    if (this.waiting.length >= this.limits.queue) return Promise.reject(new QueueFull('busy'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { user, signal, start: () => resolve(this.take(user)) };
      this.waiting.push(waiter);
      signal?.addEventListener('abort', () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal.reason);
      });
    });
  }

  private fits(user: string): boolean {
    return this.total < this.limits.total && (this.running.get(user) ?? 0) < this.limits.perUser;
  }

  private take(user: string): () => void {
    this.total++;
    this.running.set(user, (this.running.get(user) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      this.running.set(user, (this.running.get(user) ?? 1) - 1);
      this.next();
    };
  }

  private next(): void {
    const at = this.waiting.findIndex((w) => this.fits(w.user));
    if (at < 0) return;
    const [waiter] = this.waiting.splice(at, 1);
    waiter.start();
  }
}
