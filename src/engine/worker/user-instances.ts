import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import { emptyUserInstance } from './core/instance-reset';
import type { HostPlatform } from './host-platform';
import { SpareInstance } from './spare-instance';

/** How long the engine must have been idle before it makes a spare instance (for after a stopped statement). */
const SPARE_AFTER_IDLE_MS = 1_000;

/**
 * Which DuckDB instance runs the role's SQL: the one in use, a spare started ahead of need, and what a
 * role switch or a stopped statement does to them. A switch empties the instance in use instead of
 * starting a new one, which takes seconds; a statement stopped mid-flight leaves DuckDB's threads busy
 * with it (see `HostPlatform.replaceAfterStop`), so the instance is then replaced, by the spare if one
 * has started.
 */
export class UserInstances {
  private current?: DuckDBBindings;
  /** The instance in use still works on a stopped statement and could not be replaced: never reused. */
  private stuck = false;
  private readonly spare: SpareInstance;

  constructor(private readonly platform: HostPlatform) {
    this.spare = new SpareInstance(() => platform.createBindings('user'));
  }

  /**
   * Starts the first instance before it is asked for: instantiating DuckDB and starting its threads takes
   * seconds, and the page asks for the engine only once it has read its storage and the lake's site file.
   */
  startEarly(): void {
    this.spare.fill();
  }

  /** The first instance: the one started early, or a new one. */
  first(): Promise<DuckDBBindings> {
    return this.spare.take();
  }

  /** The role's engine now runs on `bindings`. */
  use(bindings: DuckDBBindings): void {
    this.current = bindings;
    this.stuck = false;
  }

  /** Whether the instance in use may be closed: closing one busy with a stopped statement waits for it. */
  get closable(): boolean {
    return !this.stuck;
  }

  /** Something was asked of the engine: a spare waiting to be made waits for the next idle spell. */
  busy(): void {
    this.spare.busy();
  }

  /** Nothing is left to serve: a spare is made once the engine has stayed idle a while. */
  idle(): void {
    if (this.platform.spareInstances && this.current) this.spare.fillWhenIdle(SPARE_AFTER_IDLE_MS);
  }

  /** Whether stopping a statement in flight now would cost a new instance that has not started yet. */
  stopCostsInstance(): boolean {
    const current = this.current;
    return current !== undefined && this.platform.replaceAfterStop?.(current) === true && !this.spare.ready;
  }

  /**
   * An instance in place of one whose statement was stopped mid-flight, or undefined when it can go on
   * (one thread) or when no new one can start: it then stays, and the client's watchdog restarts a worker
   * that hangs.
   */
  async afterStop(): Promise<DuckDBBindings | undefined> {
    const stale = this.current;
    if (!stale || !this.platform.replaceAfterStop?.(stale)) return undefined;
    const bindings = await this.spare.take().catch(() => undefined);
    if (!bindings) {
      this.stuck = true;
      return undefined;
    }
    // Not closed: closing waits for the stopped statement too. Ending its threads frees it.
    this.platform.releaseBindings?.(stale);
    return bindings;
  }

  /**
   * The instance for the next role's engine: the one in use emptied, which takes milliseconds, or, when it
   * is busy with a stopped statement or cannot be emptied, a spare or new one in its place.
   */
  async emptiedOrNew(): Promise<DuckDBBindings> {
    const current = this.current;
    if (current && !this.stuck && emptyUserInstance(current)) return current;
    const bindings = await this.spare.take();
    if (current) this.platform.releaseBindings?.(current);
    return bindings;
  }
}
