/**
 * The page's side of the Lakebook server (server/): the same connector the notebook store drives in the
 * browser, over HTTP. Who the user is comes from the server (a bearer token, or the signing-in proxy in
 * front of it); results arrive as Arrow IPC streamed as DuckDB produces them, and a cancelled cell closes
 * its request, which the server turns into an interrupt of the statement.
 */
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { z } from 'zod';
import type { Session } from '../../gov/types';
import type {
  EngineConnector,
  EngineEvent,
  EngineInfo,
  GovernanceApi,
  QueryOptions,
  RunningQuery,
} from '../../contract/connector';
import type { AuditExport, AuditVerification } from '../../contract/governance';
import { ipcMessages, joinIpc } from '../../contract/ipc-bytes';
import type { CellSource, EngineError, EngineErrorCode, QueryResult } from '../../contract/results';
import { resultColumns } from '../result-columns';

export interface SignedIn {
  session: Session;
  info: EngineInfo;
}

const resultMetaSchema = z.object({
  tags: z.array(z.string()),
  objects: z.array(z.string()),
  rules: z.array(z.string()),
  guardMs: z.number(),
});

const ENGINE_CODES: readonly EngineErrorCode[] = [
  'SYNTAX',
  'BINDER',
  'RUNTIME',
  'DENIED',
  'CANCELLED',
  'TIMEOUT',
  'TOO_LARGE',
  'LOAD',
  'POLICY',
  'CRASHED',
  'INTERNAL',
];

const errorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  rule: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
});

export class ServerConnector implements EngineConnector {
  private signedIn?: Promise<SignedIn>;
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  readonly governance: GovernanceApi = {
    changeTags: () =>
      Promise.reject({
        code: 'DENIED',
        message: 'On the server, tags are changed in the lake’s catalog, not from the page.',
        hint: 'Change the tags in catalog.json with the lake tools and restart the server.',
      } satisfies EngineError),
    verifyAudit: () => this.getJson<AuditVerification>('api/audit/verify', { method: 'POST' }),
    exportAudit: () => this.getJson<AuditExport>('api/audit/export'),
  };

  /**
   * @param base the server's address, ending in `/`
   * @param token the user's bearer token; absent behind a signing-in proxy, which identifies the user itself
   */
  constructor(
    private readonly base: string,
    private readonly token?: string,
  ) {}

  /** Who the server says the user is, and their engine; rejects with code DENIED when not signed in. */
  whoAmI(): Promise<SignedIn> {
    this.signedIn ??= this.getJson<SignedIn>('api/session');
    return this.signedIn;
  }

  async start(): Promise<EngineInfo> {
    return (await this.whoAmI()).info;
  }

  /** The role is the server's to decide: the page cannot ask for another. */
  setSession(): Promise<EngineInfo> {
    return Promise.reject({
      code: 'DENIED',
      message: 'On the Lakebook server your role comes from your sign-in.',
      hint: 'Sign in as another user to work in another role.',
    } satisfies EngineError);
  }

  query(sql: string, cells: CellSource[], asked: QueryOptions = {}): RunningQuery {
    // The server loads nothing per query: a request for columns only is a request for no rows.
    const options = asked.columnsOnly ? { ...asked, maxRows: 0 } : asked;
    const controller = new AbortController();
    let stoppedBy: EngineError | undefined;
    const stop = (error: EngineError) => {
      stoppedBy ??= error;
      controller.abort();
    };
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () =>
              stop({
                code: 'TIMEOUT',
                message: `The query ran longer than ${options.timeoutMs! / 1000} s and was stopped.`,
                hint: 'Aggregate or filter the data, or raise the time limit in the settings.',
              }),
            options.timeoutMs,
          );
    const result = this.fetchResult(sql, cells, options, controller.signal)
      .catch((e: unknown) => {
        throw stoppedBy ?? (controller.signal.aborted ? cancelled() : toError(e));
      })
      .finally(() => clearTimeout(timer));
    return { result, cancel: () => stop(cancelled()) };
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.listeners.clear();
  }

  private async fetchResult(
    sql: string,
    cells: CellSource[],
    options: QueryOptions,
    signal: AbortSignal,
  ): Promise<QueryResult> {
    const started = performance.now();
    const response = await fetch(new URL('api/query', this.base), {
      method: 'POST',
      headers: { ...this.authHeaders(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql, cells, ...(options.maxRows ? { maxRows: options.maxRows } : {}) }),
      signal,
    });
    if (!response.ok) throw await errorOf(response);
    const meta = resultMetaSchema.parse(
      JSON.parse(decodeURIComponent(response.headers.get('Lakebook-Result') ?? '')),
    );
    const read = await readStream(response, options.maxBytes);
    let ipc = read.bytes;
    let rowCount = ipcMessages(ipc).reduce((n, m) => n + m.rows, 0);
    let truncatedBy: QueryResult['truncatedBy'] = read.cut ? 'bytes' : undefined;
    // The server sends one row past the budget when there are more: the result was cut.
    if (options.maxRows !== undefined && rowCount > options.maxRows) {
      ipc = tableToIPC(tableFromIPC(ipc).slice(0, options.maxRows), 'stream');
      rowCount = options.maxRows;
      truncatedBy = 'rows';
    }
    return {
      ipc,
      columns: resultColumns(ipc),
      rowCount,
      truncated: truncatedBy !== undefined,
      ...(truncatedBy ? { truncatedBy } : {}),
      elapsedMs: performance.now() - started,
      guardMs: meta.guardMs,
      tags: meta.tags,
      objects: meta.objects,
      rules: meta.rules,
    };
  }

  private authHeaders(): Record<string, string> {
    return this.token ? { Authorization: `Bearer ${this.token}` } : {};
  }

  private async getJson<T>(path: string, init: RequestInit = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.base), { ...init, headers: this.authHeaders() });
    } catch (e) {
      throw toError(e);
    }
    if (!response.ok) throw await errorOf(response);
    return (await response.json()) as T;
  }
}

/**
 * The body's messages, kept apart as they arrived. Past `maxBytes` the request is abandoned and the
 * result keeps the whole messages read so far, with an end-of-stream marker, as the browser's engine does.
 */
async function readStream(
  response: Response,
  maxBytes?: number,
): Promise<{ bytes: Uint8Array; cut: boolean }> {
  const reader = response.body!.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.byteLength;
    if (maxBytes !== undefined && size > maxBytes) {
      await reader.cancel();
      return { bytes: wholeMessages(joinIpc(parts), maxBytes), cut: true };
    }
  }
  return { bytes: joinIpc(parts), cut: false };
}

function wholeMessages(bytes: Uint8Array, maxBytes: number): Uint8Array {
  const kept: Uint8Array[] = [];
  let size = 0;
  for (const message of ipcMessages(bytes, true)) {
    if (message.kind !== 'schema' && size + message.bytes.byteLength > maxBytes) break;
    kept.push(message.bytes);
    size += message.bytes.byteLength;
  }
  kept.push(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]));
  return joinIpc(kept);
}

async function errorOf(response: Response): Promise<EngineError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) {
    return {
      code: 'INTERNAL',
      message: `The server answered ${response.status} ${response.statusText}.`,
      hint: 'Try again; if it persists, the server’s log says why.',
    };
  }
  const { code, ...rest } = parsed.data;
  const known = (ENGINE_CODES as readonly string[]).includes(code) ? (code as EngineErrorCode) : undefined;
  if (known) return { code: known, ...rest };
  if (response.status === 401 || response.status === 403) return { code: 'DENIED', rule: 'sign-in', ...rest };
  if (response.status === 503) return { code: 'TIMEOUT', ...rest };
  return { code: 'INTERNAL', ...rest };
}

function cancelled(): EngineError {
  return { code: 'CANCELLED', message: 'The query was cancelled.' };
}

function toError(e: unknown): EngineError {
  if (typeof e === 'object' && e !== null && 'code' in e && 'message' in e) return e as EngineError;
  return {
    code: 'LOAD',
    message: `The Lakebook server could not be reached: ${e instanceof Error ? e.message : String(e)}`,
    hint: 'Check your connection and that the server is running, then run the cell again.',
  };
}
