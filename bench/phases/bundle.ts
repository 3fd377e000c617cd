/**
 * (g) What a first visit costs: the JS the HTML loads up front (entry script and the modules it preloads),
 * gzip-compressed as the server sends it, whether Monaco stays out of it, and everything the server sent
 * during a first visit until the engine was ready.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { openApp } from '../browser/app-driver.ts';
import type { StaticServer } from '../server/static-server.ts';
import type { BundleFigures } from '../report/results.ts';

/** Script and modulepreload URLs of the built index.html (the JS a visit needs before anything else). */
export function initialScripts(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) found.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) found.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*href="([^"]+)"[^>]*rel="modulepreload"/g)) found.add(m[1]!);
  return [...found].filter((u) => u.endsWith('.js'));
}

export function staticBundle(distDir: string): BundleFigures {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const files = initialScripts(html);
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const body = readFileSync(path.join(distDir, f.replace(/^\.?\//, '')));
    raw += body.length;
    gz += gzipSync(body, { level: 6 }).length;
  }
  const assets = path.join(distDir, 'assets');
  const duckdbWasmBytes: Record<string, number> = {};
  for (const f of readdirSync(assets)) {
    if (f.endsWith('.wasm')) duckdbWasmBytes[f] = statSync(path.join(assets, f)).size;
  }
  return {
    initialJsGzip: gz,
    initialJsRaw: raw,
    initialFiles: files,
    monacoDeferred: !files.some((f) => /monaco|editor\.main/i.test(f)),
    duckdbWasmBytes,
  };
}

export async function measureFirstVisit(server: StaticServer, into: BundleFigures): Promise<void> {
  server.resetLog();
  const session = await openApp(server.origin);
  try {
    const log = [...server.log];
    into.firstVisitBytes = log.reduce((n, r) => n + r.bytes, 0);
    into.firstVisitRequests = log.length;
    into.firstVisitWasmBytes = log.filter((r) => r.path.endsWith('.wasm')).reduce((n, r) => n + r.bytes, 0);
    into.firstVisitLakeBytes = log
      .filter((r) => r.path.startsWith('/sample-lake/'))
      .reduce((n, r) => n + r.bytes, 0);
    into.foreignRequests = session.fresh.foreignRequests;
  } finally {
    await session.fresh.close();
  }
}
