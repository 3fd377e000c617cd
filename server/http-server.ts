/**
 * The Lakebook server's HTTP side: the built site (without any lake folder of it), who is signed in, and
 * `POST /api/query` answering Arrow IPC streamed as DuckDB produces it. Every request is identified by the
 * server (identity.ts) and every decision, a refused sign-in included, goes to the audit log.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { LIST, listValue, VARCHAR, type DuckDBAppender } from '@duckdb/node-api';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { toJsonl, type AuditEntry, type AuditInput } from '../src/gov/audit.ts';
import type { Session } from '../src/gov/types.ts';
import { EngineFailure, toEngineError } from '../src/engine/errors.ts';
import type { EngineInfo } from '../src/contract/connector.ts';
import type { EngineError } from '../src/contract/results.ts';
import { AUDIT_TABLE } from '../src/gov/types.ts';
import type { AuditFile } from './audit-file.ts';
import { identify, type IdentityConfig } from './identity.ts';
import type { NativeLake } from './native-lake.ts';
import { NativeQuery, type Tokenize } from './native-query.ts';
import type { QueryOutcome } from '../src/engine/worker/governance/engine-hooks.ts';
import { QueueFull, QuerySlots, type SlotLimits } from './query-slots.ts';
import type { RoleLakes } from './role-lakes.ts';

export interface QueryLimits extends SlotLimits {
  timeoutMs: number;
  /** The most rows one result may hold, whatever the page asks for. */
  maxRows: number;
}

export interface ServerParts {
  lakes: RoleLakes;
  identity: IdentityConfig;
  audit: AuditFile;
  tokenize: Tokenize;
  limits: QueryLimits;
  /** The built site (`npm run build`); absent: the API only. */
  siteDir?: string;
  version: string;
}

const queryBodySchema = z.strictObject({
  sql: z.string().max(1_000_000),
  cells: z
    .array(z.strictObject({ name: z.string().max(200), sql: z.string().max(1_000_000) }))
    .max(500)
    .default([]),
  maxRows: z.number().int().positive().optional(),
});

const STATUS: Record<EngineError['code'], number> = {
  SYNTAX: 400,
  BINDER: 400,
  RUNTIME: 400,
  DENIED: 403,
  CANCELLED: 499,
  TIMEOUT: 408,
  TOO_LARGE: 413,
  LOAD: 500,
  POLICY: 500,
  CRASHED: 500,
  INTERNAL: 500,
};

export function createLakebookServer(parts: ServerParts): Server {
  const slots = new QuerySlots(parts.limits);
  const auditRefresh = new AuditRefresh(parts.audit);
  return createServer((request, response) => {
    handle(request, response, parts, slots, auditRefresh).catch((e: unknown) => {
      if (!response.headersSent) sendError(response, toEngineError(e));
      else response.destroy();
    });
  });
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  parts: ServerParts,
  slots: QuerySlots,
  auditRefresh: AuditRefresh,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://server');
  if (url.pathname === '/lakebook.json') return sendJson(response, 200, { server: '/' });
  if (!url.pathname.startsWith('/api/')) return serveSite(url.pathname, request, response, parts.siteDir);

  const who = identify(request, parts.identity);
  if (!who.ok) {
    await parts.audit.append(refusal(who.who, `${request.method} ${url.pathname}`, who.message));
    return sendJson(response, who.status, {
      code: who.code,
      message: who.message,
      hint: signInHint(who.status),
    });
  }
  const session = who.session;
  const lake = parts.lakes.lakeFor(session);
  if (!lake) {
    const message = `No lake is prepared for ${session.user} as ${session.role}; the server must be restarted after users change.`;
    return sendJson(response, 403, {
      code: 'DENIED',
      message,
      hint: 'Ask the administrator to restart the server.',
    });
  }

  if (request.method === 'GET' && url.pathname === '/api/session') {
    return sendJson(response, 200, { session, info: engineInfo(lake, parts.version) });
  }
  if (request.method === 'POST' && url.pathname === '/api/query') {
    return runQuery(request, response, parts, session, lake, slots, auditRefresh);
  }
  if (url.pathname.startsWith('/api/audit/')) {
    if (!lake.view.can.readAudit) {
      await parts.audit.append(
        refusal(
          session.user,
          `${request.method} ${url.pathname}`,
          'the role may not read the audit log',
          session.role,
        ),
      );
      return sendJson(response, 403, {
        code: 'DENIED',
        message: `${session.role} may not read the audit log.`,
      });
    }
    if (request.method === 'POST' && url.pathname === '/api/audit/verify') {
      const report = await parts.audit.verify();
      return sendJson(response, 200, { ok: report.ok, entries: report.entries, problems: report.problems });
    }
    if (request.method === 'GET' && url.pathname === '/api/audit/export') {
      const entries = parts.audit.entriesAfter(undefined);
      return sendJson(response, 200, { jsonl: toJsonl(entries), entries: entries.length });
    }
  }
  return sendJson(response, 404, {
    code: 'NOT_FOUND',
    message: `No ${request.method} ${url.pathname} here.`,
  });
}

async function runQuery(
  request: IncomingMessage,
  response: ServerResponse,
  parts: ServerParts,
  session: Session,
  lake: NativeLake,
  slots: QuerySlots,
  auditRefresh: AuditRefresh,
): Promise<void> {
  const parsed = queryBodySchema.safeParse(await readJson(request));
  if (!parsed.success) {
    const message = `The request is not a query: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`;
    return sendJson(response, 400, {
      code: 'BAD_REQUEST',
      message,
      hint: 'Send JSON {"sql": "…", "cells": [{"name", "sql"}]}.',
    });
  }
  const run = {
    ...parsed.data,
    maxRows: Math.min(parsed.data.maxRows ?? parts.limits.maxRows, parts.limits.maxRows),
  };

  // The page's AbortSignal closes the request; the statement is interrupted at once.
  const closed = new AbortController();
  response.on('close', () =>
    closed.abort(new EngineFailure({ code: 'CANCELLED', message: 'The query was cancelled.' })),
  );
  let release: () => void;
  try {
    release = await slots.acquire(session.user, closed.signal);
  } catch (e) {
    if (e instanceof QueueFull) {
      return sendJson(response, 503, {
        code: 'BUSY',
        message: 'The server is busy: too many queries are waiting.',
        hint: 'Run the cell again in a moment.',
      });
    }
    return;
  }
  const conn = await lake.connect();
  const twin = await lake.connectTwin();
  const stop = (error: EngineError) => {
    stopped = stopped ?? error;
    conn.interrupt();
  };
  let stopped: EngineError | undefined;
  const timer = setTimeout(
    () =>
      stop({
        code: 'TIMEOUT',
        message: `The query ran longer than the server's limit of ${parts.limits.timeoutMs / 1000} s and was stopped.`,
        hint: 'Aggregate or filter the data, or ask for a higher limit.',
      }),
    parts.limits.timeoutMs,
  );
  const onClose = () => stop({ code: 'CANCELLED', message: 'The query was cancelled.' });
  closed.signal.addEventListener('abort', onClose);
  const query = new NativeQuery(lake, conn, twin, parts.tokenize, {
    record: (outcome) => parts.audit.append(auditInput(session, outcome)).then(() => undefined),
    refreshAudit: () => auditRefresh.into(lake),
  });
  try {
    let started;
    try {
      started = await query.start(run);
    } catch (e) {
      const error = stopped ?? toEngineError(e);
      if (!response.writableEnded && !closed.signal.aborted) sendError(response, error);
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'application/vnd.apache.arrow.stream',
      'Cache-Control': 'no-store',
      'Lakebook-Result': encodeURIComponent(JSON.stringify(started.meta)),
    });
    for (const message of started.first) await write(response, message);
    let rows: number | null = null;
    let failure: unknown;
    const held: Uint8Array[] = [];
    try {
      for (;;) {
        const next = await started.messages.next();
        if (next.done) {
          rows = next.value.rowCount;
          break;
        }
        // The last message (end of stream) waits until the decision is in the log.
        if (held.length > 0) await write(response, held.shift()!);
        held.push(next.value);
      }
    } catch (e) {
      failure = stopped ?? e;
    }
    await query.finish(run, rows, failure);
    if (failure !== undefined) {
      response.destroy();
      return;
    }
    for (const message of held) await write(response, message);
    response.end();
  } finally {
    clearTimeout(timer);
    closed.signal.removeEventListener('abort', onClose);
    conn.closeSync();
    twin.closeSync();
    release();
  }
}

/** The Auditor's `audit_log` is the server's log: new entries are appended to the table before it is read. */
class AuditRefresh {
  private readonly copied = new WeakMap<NativeLake, number>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly audit: AuditFile) {}

  into(lake: NativeLake): Promise<void> {
    const next = this.queue.then(async () => {
      const entries = this.audit.entriesAfter(this.copied.get(lake));
      if (entries.length === 0) return;
      const conn = await lake.connect();
      try {
        const appender = await conn.createAppender(AUDIT_TABLE);
        for (const e of entries) appendAuditRow(appender, e);
        appender.closeSync();
      } finally {
        conn.closeSync();
      }
      this.copied.set(lake, entries.at(-1)!.seq);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** One audit entry as a row of `audit_log`, in the order of AUDIT_COLUMNS. */
function appendAuditRow(appender: DuckDBAppender, e: AuditEntry): void {
  const text = (v: string | undefined) =>
    v === undefined ? appender.appendNull() : appender.appendVarchar(v);
  const list = (v: string[]) => appender.appendList(listValue(v), LIST(VARCHAR));
  appender.appendInteger(e.seq);
  text(e.time);
  text(e.action);
  text(e.user);
  text(e.role);
  text(e.decision);
  text(e.reason);
  text(e.statement);
  text(e.statementHash);
  list(e.objects);
  list(e.rules);
  list(e.tags);
  if (e.rows === null) appender.appendNull();
  else appender.appendInteger(e.rows);
  appender.appendDouble(e.durationMs);
  text(e.prevHash);
  text(e.hash);
  appender.appendBoolean(e.decision === 'deny');
  appender.endRow();
}

function engineInfo(lake: NativeLake, version: string): EngineInfo {
  return {
    dialect: 'duckdb',
    runsIn: 'server',
    enforcesPolicy: true,
    version,
    threads: lake.threads,
    view: lake.view,
    manifest: lake.manifest,
    ...(lake.view.can.readAudit ? { audit: { persistent: true } } : {}),
  };
}

function auditInput(session: Session, outcome: QueryOutcome): AuditInput {
  return {
    action: 'query',
    user: session.user,
    role: session.role,
    time: new Date().toISOString(),
    statement: outcome.sql,
    decision: outcome.decision,
    reason: outcome.reason,
    objects: outcome.objects,
    rules: outcome.rules,
    tags: outcome.tags,
    rows: outcome.rows,
    durationMs: outcome.durationMs,
  };
}

/** A request refused before any engine saw it: who it claimed to be, what it asked, why it was refused. */
function refusal(who: string, asked: string, reason: string, role = '(not signed in)'): AuditInput {
  return {
    action: 'query',
    user: who,
    role,
    time: new Date().toISOString(),
    statement: asked,
    decision: 'deny',
    reason,
    objects: [],
    rules: [],
    tags: [],
    rows: null,
    durationMs: 0,
  };
}

function signInHint(status: number): string {
  return status === 401
    ? 'Open the address the server printed for you (it carries your token), or sign in again.'
    : 'Reach the server through the signing-in proxy.';
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, error: EngineError): void {
  sendJson(response, STATUS[error.code], error);
}

const MAX_BODY = 8 * 1024 * 1024;

async function readJson(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_BODY) return undefined;
    parts.push(part);
  }
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Writes one message, waiting when the page reads slower than DuckDB produces. */
function write(response: ServerResponse, bytes: Uint8Array): Promise<void> {
  if (response.destroyed)
    return Promise.reject(new EngineFailure({ code: 'CANCELLED', message: 'The query was cancelled.' }));
  if (response.write(bytes)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    response.once('drain', resolve);
    response.once('close', () =>
      reject(new EngineFailure({ code: 'CANCELLED', message: 'The query was cancelled.' })),
    );
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.ttf': 'font/ttf',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
};

/**
 * The built site, minus its lake folders: on the server the data comes through `/api/query` only, so the
 * static role folders a site build leaves in `sample-lake/roles/` are never served.
 */
function serveSite(
  pathname: string,
  request: IncomingMessage,
  response: ServerResponse,
  siteDir?: string,
): void {
  if (!siteDir)
    return sendJson(response, 404, { code: 'NOT_FOUND', message: 'This server serves the API only.' });
  const relative = decodeURIComponent(pathname).replace(/^\/+/, '');
  const withheld = /^sample-lake\/(roles\/|site\.json$)/.test(relative);
  let file = path.resolve(siteDir, relative === '' ? 'index.html' : relative);
  if (withheld || !file.startsWith(path.resolve(siteDir) + path.sep)) {
    return sendJson(response, 404, { code: 'NOT_FOUND', message: `No ${pathname} here.` });
  }
  if (!existsSync(file) || statSync(file).isDirectory()) file = path.join(siteDir, 'index.html');
  const headers: Record<string, string> = {
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    // Hashed assets never change under their name; the rest is checked each time.
    'Cache-Control': file.includes(`${path.sep}assets${path.sep}`)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
    // The threaded engine needs a cross-origin isolated page, as under the site's own host.
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  };
  response.writeHead(200, headers);
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file).pipe(response);
}
