import { defineConfig } from 'vite';

// The baseline page: DuckDB-WASM and parquet-wasm only, built and served like the app (relative base).
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 8192, emptyOutDir: true },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
});
