/**
 * The two pages of the first-answer phase, each in a new browser (an empty profile and HTTP cache):
 * - the notebook as a new visitor of the shipped site opens it (the role chosen beforehand, as a returning
 *   demo user would have it), then a reload in the same context, then role switches;
 * - the bare DuckDB-WASM page running the same first query over the same role folder, then a reload in
 *   its own context, then new database instances over another role's folder (the reference for a switch).
 * Every time is the page's own clock; see first-answer-watch.ts and paint-watch.ts.
 */
import type { Page } from '@playwright/test';
import { freshPage, type FreshPage } from './launch.ts';
import { firstMatchAt, recordFirstMatch } from './paint-watch.ts';
import { instrumentApp, readProbe, type BenchProbe } from './app-instrument.ts';
import { readMarks, waitForMark, watchFirstAnswer, type FirstAnswerMarks } from './first-answer-watch.ts';

const TIMEOUT = 180_000;

export interface FirstQuery {
  cell: string;
  sql: string;
  tables: string[];
}

export interface AppVisit {
  marks: FirstAnswerMarks;
  /** Status changes and worker messages, for where the time went. */
  probe: BenchProbe;
}

export interface AppSide {
  fresh: FreshPage;
  visit(): Promise<AppVisit>;
  reload(): Promise<AppVisit>;
  /** Chooses the role in the header: the change to the frame showing "Engine ready", and to the catalog step. */
  switchRole(role: string): Promise<{ ms: number; toCatalogMs?: number }>;
}

export async function openAppSide(origin: string, role: string, first: FirstQuery): Promise<AppSide> {
  const fresh = await freshPage();
  const { page } = fresh;
  // Before the first navigation only: a reload must find the role the page itself remembered.
  await page.addInitScript(
    (r) => localStorage.getItem('lakebook.role') ?? localStorage.setItem('lakebook.role', r),
    role,
  );
  await instrumentApp(page);
  await watchFirstAnswer(page, first.cell, true);
  const settled = async (): Promise<AppVisit> => {
    const marks = await waitForMark(page, 'gridAt', TIMEOUT);
    await waitForMark(page, 'readyAt', TIMEOUT);
    const probe = await readProbe(page);
    await allCellsSettled(page);
    return { marks: { ...marks, ...(await readMarks(page)) }, probe };
  };
  return {
    fresh,
    async visit() {
      await page.goto(`${origin}/`);
      return settled();
    },
    async reload() {
      await page.reload();
      return settled();
    },
    async switchRole(next) {
      await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption(next);
      const marks = await waitForMark(page, 'switchReadyAt', TIMEOUT);
      const { switchAt, switchReadyAt } = marks;
      if (switchAt === undefined || switchReadyAt === undefined)
        throw new Error('the role switch was not seen');
      const catalog = (await readProbe(page)).progress.find((p) => p.phase === 'catalog' && p.at >= switchAt);
      return {
        ms: switchReadyAt - switchAt,
        ...(catalog ? { toCatalogMs: catalog.at - switchAt } : {}),
      };
    },
  };
}

/**
 * Waits until no cell is queued or running, so that a reload or a switch starts from a quiet page and
 * whatever the app keeps of the results has been kept.
 */
async function allCellsSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('[role="status"][aria-label^="Cell "]')].every(
        (s) => !/: (Running|Queued)$/.test(s.getAttribute('aria-label') ?? ''),
      ),
    undefined,
    { timeout: TIMEOUT, polling: 200 },
  );
}

export interface BareSide {
  fresh: FreshPage;
  /** Navigation start to the frame showing the result table, on a first visit and on a reload. */
  visit(): Promise<number>;
  reload(): Promise<number>;
  /** A new database instance over another lake folder, loading the tables: its time in the page. */
  reopen(lake: string): Promise<number>;
}

export async function openBareSide(origin: string, lake: string, first: FirstQuery): Promise<BareSide> {
  const fresh = await freshPage();
  const { page } = fresh;
  await recordFirstMatch(page, '#result td', '');
  const url =
    `${origin}/bare/?sql=${encodeURIComponent(first.sql)}&tables=${first.tables.join(',')}` +
    `&lake=${encodeURIComponent(lake)}`;
  const shown = async () => {
    await page.waitForFunction(
      () =>
        window.__benchFirstMatchAt !== undefined ||
        document.getElementById('status')?.textContent !== 'starting',
      undefined,
      { timeout: TIMEOUT, polling: 50 },
    );
    const at = await firstMatchAt(page, 5_000).catch(() => undefined);
    if (at !== undefined) return at;
    const status = await page.locator('#status').textContent();
    const cells = await page.locator('#result td').count();
    throw new Error(`status "${status}", ${cells} result cells shown`);
  };
  return {
    fresh,
    async visit() {
      await page.goto(url);
      return shown();
    },
    async reload() {
      await page.reload();
      return shown();
    },
    reopen: (other) =>
      page.evaluate(([l, t]) => window.bareBench.reopen(l, t), [other, first.tables] as const),
  };
}
