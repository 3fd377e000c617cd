import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';

/**
 * One DuckDB instance started ahead of need, so that replacing an instance busy with a stopped statement
 * (a cancel, a time limit, a role switch during a long statement) does not wait for a new one (instantiating
 * the wasm module, starting DuckDB's threads). A spare belongs to no role until it is taken: it is opened as
 * every user instance is, has no table, view or setting of anyone's, and is configured for its role only when
 * the role engine takes it.
 */
export class SpareInstance {
  private spare?: Promise<DuckDBBindings | undefined>;
  private started?: DuckDBBindings;
  private idle?: ReturnType<typeof setTimeout>;

  constructor(private readonly create: () => Promise<DuckDBBindings>) {}

  /** Starts a spare once nothing else was asked for `ms`: making one competes with queries for the CPU. */
  fillWhenIdle(ms: number): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.fill(), ms);
  }

  /** Something was asked of the engine: a spare waiting to be made waits for the next idle spell. */
  busy(): void {
    clearTimeout(this.idle);
  }

  /** Starts a spare in the background unless one is ready or on its way. */
  fill(): void {
    if (this.spare) return;
    const spare = this.create().then(
      (bindings) => {
        if (this.spare === spare) this.started = bindings;
        return bindings;
      },
      () => undefined,
    );
    this.spare = spare;
  }

  /** Whether a spare has started and can be taken at once. */
  get ready(): boolean {
    return this.started !== undefined;
  }

  /** The spare (waiting for it if it is still starting), or a new instance when there is none. */
  async take(): Promise<DuckDBBindings> {
    const spare = this.spare;
    this.spare = undefined;
    this.started = undefined;
    return (await spare) ?? this.create();
  }
}
