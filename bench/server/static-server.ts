/**
 * A small static server for the benchmark: serves the built site, the bare DuckDB-WASM page and a lake
 * folder from one origin on 127.0.0.1, answers Range requests, gzips text and wasm like a static host would,
 * optionally sends the cross-origin-isolation headers, and counts every byte it sends so the benchmark can
 * compare what a query fetched with what the files weigh.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync, createReadStream } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

export interface Mount {
  /** URL prefix, starting and ending with `/`. */
  prefix: string;
  dir: string;
}

export interface ServedRequest {
  method: string;
  path: string;
  status: number;
  /** Bytes of body sent (after compression). */
  bytes: number;
  range?: string;
  gzip: boolean;
}

export interface StaticServerOptions {
  port: number;
  mounts: Mount[];
  crossOriginIsolated?: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.md': 'text/markdown; charset=utf-8',
  '.parquet': 'application/octet-stream',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg', '.ttf', '.md']);

export class StaticServer {
  readonly log: ServedRequest[] = [];
  private readonly server: Server;
  private readonly gzipCache = new Map<string, Buffer>();

  constructor(private readonly options: StaticServerOptions) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  get origin(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** Changes what a mount serves (e.g. the 1M lake, then the 10M lake) without restarting. */
  remount(prefix: string, dir: string): void {
    const mount = this.options.mounts.find((m) => m.prefix === prefix);
    if (!mount) throw new Error(`no mount at ${prefix}`);
    mount.dir = dir;
  }

  resetLog(): void {
    this.log.length = 0;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, '127.0.0.1', () => resolve());
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private resolve(urlPath: string): string | undefined {
    const mounts = [...this.options.mounts].sort((a, b) => b.prefix.length - a.prefix.length);
    for (const m of mounts) {
      if (!urlPath.startsWith(m.prefix)) continue;
      const rel = decodeURIComponent(urlPath.slice(m.prefix.length)) || 'index.html';
      const abs = path.resolve(m.dir, rel);
      if (!abs.startsWith(path.resolve(m.dir) + path.sep)) return undefined;
      if (existsSync(abs) && statSync(abs).isDirectory()) return path.join(abs, 'index.html');
      return abs;
    }
    return undefined;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const urlPath = new URL(req.url ?? '/', this.origin).pathname;
    const method = req.method ?? 'GET';
    const record = (status: number, bytes: number, gzip: boolean, range?: string) =>
      this.log.push({ method, path: urlPath, status, bytes, gzip, ...(range ? { range } : {}) });
    if (this.options.crossOriginIsolated) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    }
    const file = this.resolve(urlPath);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      record(404, 9, false);
      return;
    }
    const ext = path.extname(file);
    const size = statSync(file).size;
    const isLakeData = ext === '.parquet';
    res.setHeader('Content-Type', TYPES[ext] ?? 'application/octet-stream');
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Cache-Control', isLakeData ? 'no-store' : 'max-age=3600');
    const range = req.headers.range;
    if (range) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range);
      let start = m && m[1] ? Number(m[1]) : NaN;
      let end = m && m[2] ? Number(m[2]) : size - 1;
      if (m && !m[1] && m[2]) {
        start = Math.max(0, size - Number(m[2]));
        end = size - 1;
      }
      end = Math.min(end, size - 1);
      if (!Number.isFinite(start) || start > end) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
        record(416, 0, false, range);
        return;
      }
      const length = end - start + 1;
      res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': length });
      if (method === 'HEAD') res.end();
      else createReadStream(file, { start, end }).pipe(res);
      record(206, method === 'HEAD' ? 0 : length, false, range);
      return;
    }
    const gzip = COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) {
      const body = this.gzipped(file);
      res.writeHead(200, {
        'Content-Encoding': 'gzip',
        'Content-Length': body.length,
        Vary: 'Accept-Encoding',
      });
      res.end(method === 'HEAD' ? undefined : body);
      record(200, method === 'HEAD' ? 0 : body.length, true);
      return;
    }
    res.writeHead(200, { 'Content-Length': size });
    if (method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    record(200, method === 'HEAD' ? 0 : size, false);
  }

  private gzipped(file: string): Buffer {
    const key = `${file}:${statSync(file).mtimeMs}`;
    let body = this.gzipCache.get(key);
    if (!body) {
      body = gzipSync(readFileSync(file), { level: 6 });
      this.gzipCache.set(key, body);
    }
    return body;
  }
}

/** Bytes served per path (GET bodies only), for "fetched vs file size". */
export function bytesByPath(log: readonly ServedRequest[], prefix = '/'): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of log) {
    if (r.path.startsWith(prefix)) out.set(r.path, (out.get(r.path) ?? 0) + r.bytes);
  }
  return out;
}
