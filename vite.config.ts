import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { duckdbThreadedGlue } from './scripts/site/duckdb-threads-plugin.ts';

/**
 * The built page lets the browser load scripts, workers, wasm and data from its own origin only, so no
 * request can leave for another host whatever the code does. Monaco sets inline styles. Only the build
 * gets it: the dev server injects inline scripts of its own.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const contentSecurityPolicy: Plugin = {
  name: 'lakebook-content-security-policy',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
      injectTo: 'head-prepend',
    },
  ],
};

/**
 * Cross-origin isolation gives the page SharedArrayBuffer, which DuckDB's multi-threaded build needs; a
 * host that does not send these headers gets the single-threaded build (README, "Hosting").
 */
const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * duckdb-wasm's bundles call `eval` directly (Emscripten's glue); the bundler's warning about it cannot be
 * acted on here and printed four screens of escape codes on every build. Plugin timings are noise too.
 */
const QUIET_CHECKS = { checks: { eval: false, pluginTimings: false } };

// A relative base lets dist/ be served from any folder of a static host.
export default defineConfig({
  base: './',
  plugins: [react(), contentSecurityPolicy, duckdbThreadedGlue()],
  resolve: {
    alias: {
      // duckdb-wasm ships its synchronous browser build but leaves it out of its package exports.
      '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs': fileURLToPath(
        new URL('./node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url),
      ),
    },
  },
  // The engine worker is bundled on its own, with its own plugins.
  worker: { format: 'es', plugins: () => [duckdbThreadedGlue()], rolldownOptions: QUIET_CHECKS },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rolldownOptions: QUIET_CHECKS,
  },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  preview: { port: 5173, strictPort: true, headers: CROSS_ORIGIN_ISOLATION },
  server: { port: 5173, strictPort: true, headers: CROSS_ORIGIN_ISOLATION },
});
