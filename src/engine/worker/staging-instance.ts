import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import { DuckSession } from './core/duck-session';

/**
 * The trusted staging instance: it applies masks and row filters to data before the role's instance
 * receives it. Started on first need (or ahead of it, while the user reads the page), shared by every
 * role, never given user SQL. A failed start is forgotten, so the next need tries again.
 */
export class StagingInstance {
  private session?: Promise<DuckSession>;
  private idle?: ReturnType<typeof setTimeout>;

  constructor(private readonly create: () => Promise<DuckDBBindings>) {}

  get(): Promise<DuckSession> {
    this.session ??= this.create().then(
      (b) => new DuckSession(b),
      (e: unknown) => {
        this.session = undefined;
        throw e;
      },
    );
    return this.session;
  }

  /** Starts it now, when the role's view will need it; a failure waits for the need to say so. */
  prewarm(): void {
    clearTimeout(this.idle);
    this.get().catch(() => undefined);
  }

  /**
   * Starts it once nothing else was asked for `ms`: instantiating DuckDB holds the worker's thread for a few
   * hundred milliseconds, which the first query of a visit would otherwise wait for.
   */
  prewarmWhenIdle(ms: number): void {
    clearTimeout(this.idle);
    if (!this.session) this.idle = setTimeout(() => this.prewarm(), ms);
  }

  /** Something was asked of the engine: a start waiting for an idle spell waits for the next one. */
  busy(): void {
    clearTimeout(this.idle);
  }
}
