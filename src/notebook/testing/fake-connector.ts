/**
 * An engine for store tests: each query waits until the test answers it, so tests control ordering,
 * cancellation and failures exactly. Results carry real Arrow IPC bytes.
 */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { EngineConnector, EngineEvent, EngineInfo } from '../../contract/connector';
import type { CellSource, EngineError, QueryResult } from '../../contract/results';
import type { Session } from '../../gov/types';

export interface PendingQuery {
  sql: string;
  cells: CellSource[];
  cancelled: boolean;
  answer(values: Record<string, number[]>, tags?: string[]): void;
  fail(error: EngineError): void;
}

export function fakeInfo(session: Session, tables: string[] = ['admissions', 'patients']): EngineInfo {
  return {
    dialect: 'duckdb',
    runsIn: 'browser',
    enforcesPolicy: false,
    version: 'fake',
    threads: 1,
    view: {
      session,
      tables: tables.map((table) => ({
        table,
        tags: ['PHI'],
        columns: [{ name: 'subject_id', type: 'INTEGER', tags: ['PHI'], expr: 'subject_id' }],
        rules: [],
      })),
      can: { changeTags: false, readAudit: false, exportPhi: false },
    },
    manifest: {
      format: 'lakebook-catalog',
      version: 1,
      name: 'fake',
      generatedAt: '2026-01-01T00:00:00Z',
      tables: [],
    },
  };
}

export class FakeConnector implements EngineConnector {
  readonly queries: PendingQuery[] = [];
  readonly sessions: Session[] = [];
  private listeners = new Set<(e: EngineEvent) => void>();
  private startGate: Promise<void> = Promise.resolve();
  openStart?: () => void;
  /**
   * When set, `cancel` only marks the query: like a real engine whose answer was already on its way when
   * the cancel arrived, the query still resolves with whatever the test answers.
   */
  cancelsArriveLate = false;

  /** Holds `start` until `openStart()` is called. */
  holdStart(): void {
    this.startGate = new Promise((r) => (this.openStart = r));
  }

  async start(session: Session): Promise<EngineInfo> {
    this.emit({ kind: 'progress', progress: { phase: 'engine', done: 0, total: 1, message: 'Starting' } });
    await this.startGate;
    this.sessions.push(session);
    return fakeInfo(session);
  }

  async setSession(session: Session): Promise<EngineInfo> {
    this.sessions.push(session);
    return fakeInfo(session);
  }

  query(sql: string, cells: CellSource[]) {
    let resolve!: (r: QueryResult) => void;
    let reject!: (e: EngineError) => void;
    const result = new Promise<QueryResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const pending: PendingQuery = {
      sql,
      cells,
      cancelled: false,
      answer(values, tags = []) {
        const table = tableFromArrays(
          Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Int32Array.from(v)])),
        );
        resolve({
          ipc: tableToIPC(table, 'stream'),
          columns: Object.keys(values).map((name) => ({ name, type: 'INTEGER' })),
          rowCount: table.numRows,
          truncated: false,
          elapsedMs: 1,
          tags,
          objects: [],
          rules: [],
        });
      },
      fail: (error) => reject(error),
    };
    this.queries.push(pending);
    return {
      result,
      cancel: () => {
        pending.cancelled = true;
        if (!this.cancelsArriveLate) reject({ code: 'CANCELLED', message: 'The query was cancelled.' });
      },
    };
  }

  subscribe(listener: (e: EngineEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const l of this.listeners) l(event);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
