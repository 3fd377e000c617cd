import { engineWorker } from './engine-worker';
import type { Session } from '../../gov/types';
import type {
  EngineConnector,
  EngineEvent,
  EngineInfo,
  ExportApi,
  GovernanceApi,
  LocalDataApi,
  QueryOptions,
  RunningQuery,
} from '../../contract/connector';
import type { CellSource, EngineError, LoadProgress } from '../../contract/results';
import type { Request, ResponseOf, WorkerMessage } from '../protocol';

interface Pending {
  resolve(value: unknown): void;
  reject(error: EngineError): void;
}

/** How often the client checks that a busy worker still answers, and how long silence may last. */
const HEARTBEAT_MS = 5_000;
const SILENCE_LIMIT_MS = 30_000;

/**
 * The main thread's side of the engine: owns the worker, correlates requests and replies, forwards
 * progress, and when the worker dies (an error event, a test kill, a worker that stops answering) starts
 * a new one with the same lake and role, fails what was in flight with code CRASHED and says so.
 *
 * For end-to-end tests, a page opened with `?testHooks` gets `window.__lakebook.engine.crashForTest()`.
 */
export class EngineClient implements EngineConnector {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private started?: Session;
  private heartbeat?: ReturnType<typeof setInterval>;
  private lastHeard = 0;

  readonly governance: GovernanceApi = {
    changeTags: (change) => this.request({ kind: 'changeTags', change }),
    verifyAudit: () => this.request({ kind: 'auditVerify' }),
    exportAudit: () => this.request({ kind: 'auditExport' }),
  };

  readonly localData: LocalDataApi = {
    ingest: (files) => this.request({ kind: 'ingest', files }),
    erase: () => this.request({ kind: 'eraseLocal' }),
  };

  readonly exporter: ExportApi = {
    exportParquet: (sql, cells, options = {}) =>
      this.request({ kind: 'export', format: 'parquet', sql, cells, ...options }),
  };

  /** @param lakeUrl the lake's root (absolute, ending in `/`), where the worker reads the role's folder */
  constructor(
    private readonly lakeUrl: string,
    private readonly createWorker: () => Worker = engineWorker,
  ) {
    exposeTestHooks(this);
  }

  start(session: Session): Promise<EngineInfo> {
    this.started = session;
    this.spawn();
    return this.request({ kind: 'init', lakeUrl: this.lakeUrl, session });
  }

  setSession(session: Session): Promise<EngineInfo> {
    if (this.started) this.started = session;
    return this.request({ kind: 'setSession', session });
  }

  query(sql: string, cells: CellSource[], options: QueryOptions = {}): RunningQuery {
    const id = this.nextId;
    const result = this.request({
      kind: 'query',
      sql,
      cells,
      maxRows: options.maxRows,
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      background: options.background,
      columnsOnly: options.columnsOnly,
    });
    return {
      result,
      // The worker stops the statement between two of its polls, which a busy engine can make a few seconds
      // away: the cell is told at once, the worker's late answer is dropped, and the next request waits its
      // turn in the worker behind the stopping one.
      cancel: () => {
        const pending = this.pending.get(id);
        if (!pending) return;
        this.post({ kind: 'cancel', target: id });
        this.pending.delete(id);
        pending.reject({ code: 'CANCELLED', message: 'The query was cancelled.' });
      },
    };
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    clearInterval(this.heartbeat);
    this.worker?.terminate();
    this.worker = undefined;
    this.failAll({ code: 'CANCELLED', message: 'The engine was closed.' });
  }

  /** Kills the worker as a crash would; the client then recovers exactly as from a real one. */
  crashForTest(): void {
    this.recover({ code: 'CRASHED', message: 'The engine worker was stopped' });
  }

  private spawn(): void {
    this.worker?.terminate();
    const worker = this.createWorker();
    worker.addEventListener('message', (e: MessageEvent<WorkerMessage>) => this.receive(e.data));
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      this.recover({ code: 'CRASHED', message: `The engine worker failed: ${e.message || 'unknown error'}` });
    });
    worker.addEventListener('messageerror', () =>
      this.recover({ code: 'CRASHED', message: 'The engine worker sent a message that could not be read' }),
    );
    this.worker = worker;
    this.lastHeard = Date.now();
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => this.checkAlive(), HEARTBEAT_MS);
  }

  /** Sends a request; its answer has the type the protocol gives that request's kind (`ResponseOf`). */
  private request<R extends Exclude<Request, { kind: 'cancel' }>>(request: R): Promise<ResponseOf<R>> {
    const id = this.nextId++;
    return new Promise<ResponseOf<R>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (!this.worker) {
        this.pending.delete(id);
        reject({ code: 'INTERNAL', message: 'The engine has not been started.' } satisfies EngineError);
        return;
      }
      this.worker.postMessage({ id, request });
    });
  }

  private post(request: Request): void {
    this.worker?.postMessage({ id: this.nextId++, request });
  }

  private receive(message: WorkerMessage): void {
    this.lastHeard = Date.now();
    if ('progress' in message) {
      this.emit({ kind: 'progress', progress: message.progress });
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.ok) pending.resolve(message.value);
    else pending.reject(message.error);
  }

  /** A busy worker is pinged; one that stays silent far longer than any single step takes is presumed dead. */
  private checkAlive(): void {
    if (!this.worker || this.pending.size === 0) {
      this.lastHeard = Date.now();
      return;
    }
    if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) {
      this.recover({ code: 'CRASHED', message: 'The engine worker stopped answering' });
      return;
    }
    this.post({ kind: 'ping' });
  }

  private recover(cause: EngineError): void {
    if (!this.worker || !this.started) return;
    const error: EngineError = {
      code: 'CRASHED',
      message: `${cause.message}. A new engine was started with your role's data.`,
      hint: 'The cell that was running was not re-run; run it again when you are ready.',
    };
    this.failAll(error);
    this.spawn();
    this.request({ kind: 'init', lakeUrl: this.lakeUrl, session: this.started }).then(
      (info) => this.emit({ kind: 'restarted', error, info }),
      (e: EngineError) => this.emit({ kind: 'progress', progress: failedStart(e) }),
    );
  }

  private failAll(error: EngineError): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function failedStart(e: EngineError): LoadProgress {
  return { phase: 'engine', done: 0, total: 1, message: `The engine could not be restarted: ${e.message}` };
}

interface TestHooks {
  __lakebook?: { engine?: { crashForTest(): void } };
}

function exposeTestHooks(client: EngineClient): void {
  const g = globalThis as typeof globalThis & TestHooks;
  if (typeof location === 'undefined' || !new URLSearchParams(location.search).has('testHooks')) return;
  g.__lakebook = { ...g.__lakebook, engine: { crashForTest: () => client.crashForTest() } };
}
