import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';
import { E2E_MASK_SECRET } from './e2e/support/mask-secret';

// The browser comes from LAKEBOOK_CHROMIUM, else Debian's Chromium, else Playwright's own download.
const chromium =
  process.env.LAKEBOOK_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const port = Number(process.env.E2E_PORT ?? 4173);
const outDir = process.env.E2E_OUT_DIR ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['line']] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--enable-precise-memory-info',
      ],
    },
  },
  // The site as it ships: one lake folder per role, masked with a secret known to the tests only.
  webServer: {
    command: `node --import tsx scripts/site/build-site.ts --outDir ${outDir} && npx vite preview --outDir ${outDir} --port ${port} --strictPort --host 127.0.0.1`,
    env: { LAKEBOOK_MASK_SECRET: E2E_MASK_SECRET },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
  },
});
