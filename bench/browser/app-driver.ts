/**
 * Drives the real notebook as a user does: wait for the engine, type SQL into a cell, click "Run cell", wait
 * until the status says Done and the frame showing it has been drawn. Timings come from the page's own clock
 * (see app-instrument.ts), so Playwright's polling does not add to them.
 */
import type { Page } from '@playwright/test';
import { newNotebook } from '../../src/notebook/model/notebook.ts';
import { shareFragment } from '../../src/notebook/model/share.ts';
import { freshPage, type FreshPage } from './launch.ts';
import { instrumentApp, readProbe, type BenchProbe, type WorkerResult } from './app-instrument.ts';

export const FIRST_CELL = 'cell_1';

export interface AppRun {
  /** Click on "Run cell" to the frame that shows the final status (and the result grid). */
  uiMs: number;
  status: string;
  worker?: WorkerResult;
}

export interface AppSession {
  fresh: FreshPage;
  page: Page;
  /** Page time at which "Engine ready" was first seen. */
  readyAt: number;
  /** The engine as the page names it: DuckDB's version and threads. */
  engine: string;
}

/**
 * A share link holding one empty SQL cell: a first visit would otherwise open the review notebook that ships
 * with the product, which runs its own queries on open and would compete with the ones being timed. A
 * notebook from a link runs nothing until its reader confirms it, so `openApp` confirms it, as a reader would.
 */
export function emptyNotebookFragment(): string {
  const link = shareFragment(newNotebook('Benchmark'));
  if (!link.ok) throw new Error(link.message);
  return link.fragment;
}

export async function openApp(origin: string, timeoutMs = 180_000): Promise<AppSession> {
  const fresh = await freshPage();
  await instrumentApp(fresh.page);
  await fresh.page.goto(`${origin}/${emptyNotebookFragment()}`);
  const readyAt = await waitForEngine(fresh.page, timeoutMs);
  const confirm = fresh.page.getByRole('button', { name: /^Run this notebook as / });
  await confirm.click({ timeout: timeoutMs });
  await confirm.waitFor({ state: 'detached', timeout: timeoutMs });
  // Going to type, a reader clicks the cell's SQL, shown as text until the editors load: that loads them at
  // once (unasked, they load after the engine has been idle for a second).
  const text = fresh.page.getByRole('region', { name: `Cell ${FIRST_CELL}` }).locator('pre.sql-fallback');
  if ((await text.count()) > 0) await text.click({ timeout: 5_000 }).catch(() => undefined);
  await editor(fresh.page, FIRST_CELL).waitFor({ timeout: timeoutMs });
  const status = (await fresh.page.getByText(/Engine ready/).textContent()) ?? '';
  const engine = status.replace(/^Engine ready · DuckDB /, '').replace(' · ', ', ');
  return { fresh, page: fresh.page, readyAt, engine };
}

export async function waitForEngine(page: Page, timeoutMs: number): Promise<number> {
  await page.getByText(/Engine ready/).waitFor({ timeout: timeoutMs });
  return page.evaluate(() => performance.now());
}

function editor(page: Page, cell: string) {
  return page.getByRole('textbox', { name: `SQL of cell ${cell}` });
}

/**
 * Replaces the cell's SQL as typing would. The text goes in as one line: the editor auto-indents and
 * auto-closes brackets after a typed line break, which would change multi-line SQL. The statement means the
 * same either way (line breaks in these queries are only whitespace).
 */
export async function setSql(page: Page, cell: string, sql: string): Promise<void> {
  const box = editor(page, cell);
  await box.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql.replace(/\s*\n\s*/g, ' '));
}

const FINAL = new Set(['Done', 'Error', 'Denied']);

/** Clicks "Run cell" and waits for the frame that shows the cell's final status. */
export async function runCell(page: Page, cell: string, timeoutMs = 300_000): Promise<AppRun> {
  const before = await readProbe(page);
  await page
    .getByRole('region', { name: `Cell ${cell}` })
    .getByRole('button', { name: 'Run cell' })
    .click();
  const handle = await page.waitForFunction(
    ({ cell, statusesBefore }) => {
      const probe = (window as unknown as { __benchProbe: BenchProbe }).__benchProbe;
      const fresh = probe.statuses.slice(statusesBefore).filter((s) => s.cell === cell);
      const started = fresh.findIndex((s) => !s.painted && (s.status === 'Running' || s.status === 'Queued'));
      if (started < 0) return undefined;
      return fresh.slice(started).find((s) => s.painted) ?? undefined;
    },
    { cell, statusesBefore: before.statuses.length },
    { timeout: timeoutMs, polling: 100 },
  );
  const painted = (await handle.jsonValue()) as { at: number; status: string };
  const after = await readProbe(page);
  const clickAt = after.clicks[after.clicks.length - 1] ?? painted.at;
  const worker =
    after.results.length > before.results.length ? after.results[after.results.length - 1] : undefined;
  if (!FINAL.has(painted.status)) throw new Error(`cell ${cell} ended as ${painted.status}`);
  return { uiMs: painted.at - clickAt, status: painted.status, ...(worker ? { worker } : {}) };
}

export async function runSql(page: Page, cell: string, sql: string): Promise<AppRun> {
  await setSql(page, cell, sql);
  return runCell(page, cell);
}

/** The error text shown under a cell, for reports when a query did not finish as Done. */
export async function cellError(page: Page, cell: string): Promise<string> {
  const alert = page.getByRole('region', { name: `Cell ${cell}` }).getByRole('alert');
  return (await alert.count()) > 0 ? ((await alert.first().textContent()) ?? '') : '';
}
