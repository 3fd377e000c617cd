/** Drives the bare DuckDB-WASM page: cold start to a result on screen, table loads, and query timings. */
import type { Page } from '@playwright/test';
import type { BenchQuery } from '../lake/queries.ts';
import { timeRuns } from '../report/stats.ts';
import { freshPage, type FreshPage } from './launch.ts';
import { recordFirstMatch, firstMatchAt } from './paint-watch.ts';

declare global {
  interface Window {
    bareBench: {
      init(): Promise<number>;
      load(tables: string[]): Promise<number>;
      query(sql: string): Promise<{ ms: number; rows: number }>;
      version(): Promise<string>;
      reopen(lake: string, tables: string[]): Promise<number>;
    };
  }
}

/** Navigation start to the frame after the result table appears, in a fresh browser. */
export async function bareColdStart(origin: string, q: BenchQuery, marker: string): Promise<number> {
  const fresh = await freshPage();
  try {
    await recordFirstMatch(fresh.page, '#result table', marker);
    const url = `${origin}/bare/?sql=${encodeURIComponent(q.sql)}&tables=${q.tables.join(',')}`;
    await fresh.page.goto(url);
    return await firstMatchAt(fresh.page, 180_000);
  } finally {
    await fresh.close();
  }
}

export interface BareSession {
  fresh: FreshPage;
  page: Page;
  initMs: number;
  version: string;
}

export async function openBare(origin: string): Promise<BareSession> {
  const fresh = await freshPage();
  await fresh.page.goto(`${origin}/bare/`);
  await fresh.page.waitForFunction(() => 'bareBench' in window);
  const initMs = await fresh.page.evaluate(() => window.bareBench.init());
  const version = await fresh.page.evaluate(() => window.bareBench.version());
  return { fresh, page: fresh.page, initMs, version };
}

export function bareLoad(s: BareSession, tables: string[]): Promise<number> {
  return s.page.evaluate((t) => window.bareBench.load(t), tables);
}

export async function bareQueryRuns(
  s: BareSession,
  q: BenchQuery,
  runs: number,
): Promise<{ runs: number[]; rows: number }> {
  let rows = 0;
  const kept = await timeRuns(runs, 1, async () => {
    const r = await s.page.evaluate((sql) => window.bareBench.query(sql), q.sql);
    rows = r.rows;
    return r.ms;
  });
  return { runs: kept, rows };
}
