/** Helpers shared by the reliability specs. */
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { cell, expect, test, waitForEngine } from './notebook';

/**
 * Opens the page as `role` with a blank notebook that has a cell_1 (a first visit may open a shipped
 * notebook instead). `query` may add `?testHooks` for the page's test hooks.
 */
export async function openBlank(page: Page, role = 'DataAnalyst', query = ''): Promise<void> {
  await page.addInitScript((r) => {
    if (!sessionStorage.getItem('lakebook.e2e.role-set')) {
      localStorage.setItem('lakebook.role', r);
      sessionStorage.setItem('lakebook.e2e.role-set', '1');
    }
  }, role);
  await page.goto(`./${query}`);
  await waitForEngine(page);
  if ((await cell(page, 'cell_1').count()) === 0) {
    await page.getByRole('button', { name: '+ New notebook' }).click();
    await expect(cell(page, 'cell_1')).toBeVisible();
  }
}

export function toolbarButton(page: Page, name: string) {
  return page.getByRole('toolbar', { name: 'Notebook actions' }).getByRole('button', { name, exact: true });
}

/**
 * Picks a file holding `content` to import, through the Import button and the browser's file chooser. The
 * file is written to the test's output folder first: Playwright refuses in-memory files over 50 MB.
 */
export async function importFile(page: Page, name: string, content: string): Promise<void> {
  const file = test.info().outputPath(name);
  writeFileSync(file, content);
  const chooser = page.waitForEvent('filechooser');
  await toolbarButton(page, 'Import').click();
  await (await chooser).setFiles(file);
}

/** Exports the notebook through the toolbar and returns the downloaded file's text. */
export async function exportText(page: Page): Promise<string> {
  const download = page.waitForEvent('download');
  await toolbarButton(page, 'Export').click();
  const stream = await (await download).createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
