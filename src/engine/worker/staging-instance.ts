import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import { DuckSession } from './core/duck-session';

/**
 * The trusted staging instance: it applies masks and row filters to data before the role's instance
 * receives it. Started on first need (or ahead of it, while the user reads the page), shared by every
 * role, never given user SQL. A failed start is forgotten, so the next need tries again.
 */
export class StagingInstance {
  private session?: Promise<DuckSession>;

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
    this.get().catch(() => undefined);
  }
}
