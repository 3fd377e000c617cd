import type { DuckDBBindings } from '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import { emptyUserInstance, warmCatalogListing } from './core/instance-reset';
import type { HostPlatform } from './host-platform';
import { SpareInstance } from './spare-instance';

/**
 * How long the engine must have been idle before it does work ahead of need (a spare instance for after a
 * stopped statement, the staging instance, a warm catalog listing): such work takes the worker's thread.
 */
export const IDLE_WORK_AFTER_MS = 1_000;

interface InUse {
  bindings: DuckDBBindings;
  /** Asked for with DuckDB's threads (see `wantsThreads`). */
  threads: boolean;
}

/**
 * Which DuckDB instance runs the role's SQL: the one in use, one started before the role was known, a
 * spare started ahead of need, and what a role switch or a stopped statement does to them. A switch
 * empties the instance in use instead of starting a new one, which takes seconds; a statement stopped
 * mid-flight on a threaded instance leaves DuckDB's threads busy with it (see
 * `HostPlatform.replaceAfterStop`), so the instance is then replaced, by the spare if one has started.
 */
export class UserInstances {
  private current?: InUse;
  /** Instances whose catalog listing has run once (see `warmCatalogListing`). */
  private readonly warmed = new WeakSet<DuckDBBindings>();
  private warming?: ReturnType<typeof setTimeout>;
  /** The instance in use still works on a stopped statement and could not be replaced: never reused. */
  private stuck = false;
  /** A one-thread instance started before the role's size was known, until a role or the staging takes it. */
  private early?: Promise<DuckDBBindings | undefined>;
  private readonly spare: SpareInstance;

  constructor(private readonly platform: HostPlatform) {
    this.spare = new SpareInstance(() => this.create(true));
  }

  /**
   * Starts a one-thread instance before it is asked for: instantiating DuckDB takes seconds, and the page
   * asks for the engine only once it has read its storage and the lake's site file. Most roles' lakes are
   * small enough for one thread; for the others it serves as the staging instance.
   */
  startEarly(): void {
    this.early ??= this.create(false).catch(() => undefined);
  }

  /** The first instance: the one started early where one thread will do, else a new one. */
  async first(threads: boolean): Promise<DuckDBBindings> {
    const early = threads ? undefined : await this.takeEarly();
    return early ?? this.create(threads);
  }

  /** The one-thread instance started early and not used by a role, if any. */
  async takeEarly(): Promise<DuckDBBindings | undefined> {
    const early = this.early;
    this.early = undefined;
    return early;
  }

  /** The role's engine now runs on `bindings`. */
  use(bindings: DuckDBBindings, threads: boolean): void {
    this.current = { bindings, threads };
    this.stuck = false;
  }

  /** Whether the instance in use may be closed: closing one busy with a stopped statement waits for it. */
  get closable(): boolean {
    return !this.stuck;
  }

  /** Something was asked of the engine: a spare waiting to be made waits for the next idle spell. */
  busy(): void {
    this.spare.busy();
    clearTimeout(this.warming);
  }

  /**
   * Nothing is left to serve: once the engine has stayed idle a while, the instance in use gets its catalog
   * listing warmed for the next switch, and a spare is made where one is needed.
   */
  idle(): void {
    const current = this.current;
    if (current && !this.warmed.has(current.bindings)) {
      clearTimeout(this.warming);
      this.warming = setTimeout(() => {
        if (this.current !== current || this.stuck) return;
        this.warmed.add(current.bindings);
        warmCatalogListing(current.bindings);
      }, IDLE_WORK_AFTER_MS);
    }
    if (this.platform.spareInstances && current?.threads && this.replacedAfterStop(current)) {
      this.spare.fillWhenIdle(IDLE_WORK_AFTER_MS);
    }
  }

  /** Whether stopping a statement in flight now would cost a new instance that has not started yet. */
  stopCostsInstance(): boolean {
    const current = this.current;
    return current !== undefined && this.replacedAfterStop(current) && !(current.threads && this.spare.ready);
  }

  /**
   * An instance in place of one whose statement was stopped mid-flight, or undefined when it can go on
   * (one thread) or when no new one can start: it then stays, and the client's watchdog restarts a worker
   * that hangs.
   */
  async afterStop(): Promise<DuckDBBindings | undefined> {
    const stale = this.current;
    if (!stale || !this.replacedAfterStop(stale)) return undefined;
    const bindings = await this.fresh(stale.threads).catch(() => undefined);
    if (!bindings) {
      this.stuck = true;
      return undefined;
    }
    // Not closed: closing waits for the stopped statement too. Ending its threads frees it.
    this.platform.releaseBindings?.(stale.bindings);
    return bindings;
  }

  /**
   * The instance for the next role's engine: the one in use emptied, which takes milliseconds, or, when it
   * is busy with a stopped statement, cannot be emptied or has the wrong number of threads for the role, a
   * spare or new one in its place.
   */
  async emptiedOrNew(threads: boolean): Promise<DuckDBBindings> {
    const current = this.current;
    if (current && current.threads === threads && !this.stuck && emptyUserInstance(current.bindings)) {
      return current.bindings;
    }
    const bindings = await this.fresh(threads);
    if (current) this.platform.releaseBindings?.(current.bindings);
    return bindings;
  }

  private replacedAfterStop(inUse: InUse): boolean {
    return this.platform.replaceAfterStop?.(inUse.bindings) === true;
  }

  /** A threaded instance comes from the spare (started, on its way, or new); one thread, early or new. */
  private async fresh(threads: boolean): Promise<DuckDBBindings> {
    if (threads) return this.spare.take();
    return (await this.takeEarly()) ?? this.create(false);
  }

  private create(threads: boolean): Promise<DuckDBBindings> {
    return this.platform.createBindings('user', { threads });
  }
}
