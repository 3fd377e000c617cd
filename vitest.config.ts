import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/**/*.test.ts', 'server/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest leaves one core idle by default, which on a 2-core machine runs one file at a time; the test
    // files are independent (each starts its own engines and servers on free ports), so use every core.
    maxWorkers: availableParallelism(),
  },
});
