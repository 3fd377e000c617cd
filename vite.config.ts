import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// A relative base lets dist/ be served from any folder of a static host.
export default defineConfig({
  base: './',
  plugins: [react()],
  resolve: {
    alias: {
      // duckdb-wasm ships its synchronous browser build but leaves it out of its package exports.
      '@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs': fileURLToPath(
        new URL('./node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url),
      ),
    },
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  preview: { port: 5173, strictPort: true },
  server: { port: 5173, strictPort: true },
});
