/**
 * Helpers for end-to-end tests of the notebook page, all through accessible names: what a keyboard or
 * screen-reader user would reach is what the tests reach.
 */
import { expect, test as base, type Locator, type Page } from '@playwright/test';
import { serializeNotebook } from '../../src/notebook/model/file-format';
import type { Notebook } from '../../src/notebook/model/notebook';
import { welcomeNotebook } from '../../src/notebook/model/welcome-notebook';

/** Every test records every request the page makes and fails if one leaves the page's own origin. */
export const test = base.extend<{ foreignRequests: string[] }>({
  foreignRequests: [
    async ({ page, baseURL }, use) => {
      const own = new URL(baseURL!).origin;
      const foreign: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.protocol === 'data:' || url.protocol === 'blob:') return;
        if (url.origin !== own) foreign.push(request.url());
      });
      await use(foreign);
      expect(foreign, 'requests to other origins').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Opens the notebook page as `role`; `path` may add `?testHooks` for the page's test hooks. */
export async function openNotebook(page: Page, role = 'DataAnalyst', path = './'): Promise<void> {
  await page.addInitScript((r) => {
    if (!sessionStorage.getItem('lakebook.e2e.role-set')) {
      localStorage.setItem('lakebook.role', r);
      sessionStorage.setItem('lakebook.e2e.role-set', '1');
    }
  }, role);
  await page.goto(path);
  await waitForEngine(page);
  // A new browser opens the Fast-Track review; these tests start from the welcome notebook instead.
  if ((await cell(page, 'cell_1').count()) === 0) await importNotebook(page, welcomeNotebook());
}

/** Picks a file with the toolbar's Import button, as a user would. */
export async function chooseImportFile(page: Page, name: string, text: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page
    .getByRole('toolbar', { name: 'Notebook actions' })
    .getByRole('button', { name: 'Import' })
    .click();
  await (await chooser).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

/**
 * Imports a notebook through the toolbar's Import button, waits for it to open and confirms that it may run,
 * as its author would (tests of notebooks from outside that are not confirmed use `chooseImportFile`).
 */
export async function importNotebook(page: Page, notebook: Notebook): Promise<void> {
  await chooseImportFile(page, 'notebook.lakebook.json', serializeNotebook(notebook));
  await expect(page.getByRole('textbox', { name: 'Notebook title' })).toHaveValue(notebook.title);
  await trustNotebook(page);
}

/** Answers the question a notebook from a link or a file asks before anything in it runs. */
export async function trustNotebook(page: Page): Promise<void> {
  const confirm = page.getByRole('button', { name: /^Run this notebook as \w+\?$/ });
  await confirm.click();
  await expect(confirm).toHaveCount(0);
}

export async function waitForEngine(page: Page): Promise<void> {
  await expect(page.getByText(/Engine ready/)).toBeVisible({ timeout: 60_000 });
}

export function cell(page: Page, name: string): Locator {
  return page.getByRole('region', { name: `Cell ${name}` });
}

export function editor(page: Page, name: string): Locator {
  return page.getByRole('textbox', { name: `SQL of cell ${name}` });
}

/** Replaces a SQL cell's text as typing would (insertText avoids the editor's auto-closing of brackets). */
export async function setSql(page: Page, name: string, sql: string): Promise<void> {
  const box = editor(page, name);
  await box.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql);
}

export async function runCell(page: Page, name: string): Promise<void> {
  await cell(page, name).getByRole('button', { name: 'Run cell' }).click();
}

export function status(page: Page, name: string): Locator {
  return page.getByRole('status', { name: new RegExp(`^Cell ${name}: `) });
}

export async function expectStatus(page: Page, name: string, text: string, timeout = 60_000): Promise<void> {
  await expect(status(page, name)).toHaveAccessibleName(`Cell ${name}: ${text}`, { timeout });
}

export function grid(page: Page, name: string): Locator {
  return page.getByRole('grid', { name: `Result of ${name}` });
}

/** The text of a result cell (row and column counted from 0, header excluded). */
export function gridCell(page: Page, name: string, row: number, col: number): Locator {
  return grid(page, name)
    .locator(`[role="row"][aria-rowindex="${row + 2}"]`)
    .locator(`[role="gridcell"][aria-colindex="${col + 2}"]`);
}

export async function runSql(page: Page, name: string, sql: string, expected = 'Done'): Promise<void> {
  await setSql(page, name, sql);
  await runCell(page, name);
  await expectStatus(page, name, expected);
}

/** Runs a command from the palette (Ctrl/Cmd+K), as the command registry serves it. */
export async function command(page: Page, title: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+K');
  const input = page.getByRole('combobox', { name: 'Type a command' });
  await input.fill(title);
  await expect(
    page.getByRole('option', { name: new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).first(),
  ).toBeVisible();
  await input.press('Enter');
}

export async function waitForSaved(page: Page): Promise<void> {
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved');
}
