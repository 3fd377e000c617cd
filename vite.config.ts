import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// A relative base lets dist/ be served from any folder of a static host.
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  preview: { port: 5173, strictPort: true },
  server: { port: 5173, strictPort: true },
});
