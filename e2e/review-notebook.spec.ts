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

    // The read-only view states the answers first, from published figures: a Clinician whose rows are their
    // own wards reads the same sentences as the analyst, and the figures cut to their wards say so.
    await page.goto(`./#/view/${review.id}`);
    const view = page.getByRole('main', { name: 'Published charts' });
    const answers = view
      .getByRole('listitem')
      .filter({ hasText: /^Hospital-wide, the 30-day|is the ward whose 7-day readmission rate rose most/ });
    await expect(answers.first()).toContainText(/from \d+\.\d%\s+before the rule to \d+\.\d%\s+after it/, {
      timeout: 60_000,
    });
    await expect(answers.nth(1)).toContainText(
      /^Respiratory\s+is the ward whose 7-day readmission rate\s+rose most/,
    );
    const read = async () => (await answers.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    const analystReads = await read();
    expect(analystReads[0]).toMatch(/over \d{1,3}(,\d{3})+ discharges from \w+ \d{4} to \w+ \d{4}/);
    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('Clinician');
    await expect(view.getByText('Shown for the Clinician role').first()).toBeVisible({ timeout: 120_000 });
    await expect.poll(read, { timeout: 60_000 }).toEqual(analystReads);
    const published = view.getByRole('figure', { name: /published figures, the same for every reader/ });
    const ownWards = view.getByRole('figure', {
      name: '30-day readmission rate by ward, before and after the rule',
    });
    // Charts further down draw as they come into view.
    await ownWards.scrollIntoViewIfNeeded();
    await expect(ownWards.getByText(/^Your rows only \(wards: .*General Medicine.*\)/)).toBeVisible({
      timeout: 60_000,
    });
    await expect(published.getByText('Shown for the Clinician role')).toBeVisible();
    await expect(published.getByText(/^Your rows only/)).toHaveCount(0);
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
      await expect(page.getByRole('combobox', { name: 'Role', exact: true })).toHaveCount(0);
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
