/**
 * The Fast-Track Discharge review ships with Lakebook: a new browser opens it, and it runs top to bottom
 * without an error under DataAnalyst, in the page's own engine and on the Lakebook server, with the same
 * numbers in both.
 */
import type { Page } from '@playwright/test';
import { readLakeNotebook } from '../scripts/lake/check-notebooks';
import { REVIEW_NOTEBOOK_PATH } from '../src/notebook/notebook-url';
import { startLakebookServer, type RunningServer } from './support/lakebook-server';
import { expect, grid, status, test, waitForEngine } from './support/notebook';

const review = readLakeNotebook('public/sample-lake', REVIEW_NOTEBOOK_PATH);
const names = review.cells.flatMap((c) => (c.kind === 'sql' ? [c.name] : []));
/** The cells whose results the review's stated answers come from. */
const ANSWERS = ['before_after', 'p_chart_summary', 'interrupted_time_series', 'screen_answer', 'ward_did'];

async function runReview(page: Page): Promise<Record<string, string>> {
  await waitForEngine(page);
  await expect(page.getByRole('textbox', { name: 'Notebook title' })).toHaveValue(review.title);
  await page
    .getByRole('toolbar', { name: 'Notebook actions' })
    .getByRole('button', { name: 'Run all' })
    .click();
  for (const name of names)
    await expect(status(page, name), name).toHaveAccessibleName(`Cell ${name}: Done`, { timeout: 120_000 });
  // Empty live regions are the editor's; an alert with text is an error shown at a cell.
  await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveCount(0);
  const results: Record<string, string> = {};
  for (const name of ANSWERS) results[name] = await grid(page, name).innerText();
  return results;
}

/** Numbers equal to 12 significant digits (the engines may sum in another order); text exactly. */
function expectSameNumbers(server: string, tab: string, name: string): void {
  const split = (text: string) => text.split(/\s+/).filter(Boolean);
  const [a, b] = [split(server), split(tab)];
  expect(a.length, name).toBe(b.length);
  a.forEach((word, i) => {
    const [x, y] = [Number(word), Number(b[i])];
    if (Number.isFinite(x) && Number.isFinite(y)) expect(x, `${name}: ${word} vs ${b[i]}`).toBeCloseTo(y, 12);
    else expect(word, name).toBe(b[i]);
  });
}

test.describe('Fast-Track review notebook', () => {
  test.describe.configure({ mode: 'serial' });
  let inTab: Record<string, string> | undefined;

  test('opens for a new user and runs top to bottom under DataAnalyst', async ({ page }) => {
    test.setTimeout(240_000);
    await page.addInitScript(() => localStorage.setItem('lakebook.role', 'DataAnalyst'));
    await page.goto('./');
    inTab = await runReview(page);
  });

  test('gives the same numbers on the Lakebook server, where the user signs in and has no role switcher', async ({
    browser,
  }) => {
    test.setTimeout(300_000);
    let server: RunningServer | undefined;
    try {
      server = await startLakebookServer();
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();

      // Without a token the server asks for one; a Public token signs in as its user, with no switcher.
      await page.goto(server.base);
      await expect(page.getByRole('alert')).toContainText('needs an access token');
      await page.getByLabel('Access token').fill(server.tokens.get('visitor')!);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('status', { name: 'Signed in' })).toHaveText('visitor as Public');
      await expect(page.getByRole('combobox', { name: 'Role' })).toHaveCount(0);
      await expect(page.getByText(/Engine ready · DuckDB v[\d.]+ on the server/)).toBeVisible();

      // The analyst opens the address the server printed for them, and runs the review there.
      await context.clearCookies();
      await page.evaluate(() => localStorage.clear());
      await page.goto(`${server.base}?token=${server.tokens.get('ana.lyst')!}`);
      await expect(page.getByRole('status', { name: 'Signed in' })).toHaveText('ana.lyst as DataAnalyst');
      expect(new URL(page.url()).search, 'the token is taken out of the address').toBe('');
      const onServer = await runReview(page);
      expect(inTab, 'the review ran in the tab first').toBeDefined();
      for (const name of ANSWERS) expectSameNumbers(onServer[name]!, inTab![name]!, name);
      await context.close();
    } finally {
      await server?.stop();
    }
  });
});
