/**
 * The Fast-Track Discharge review ships with Lakebook: a new browser opens it, and it runs top to bottom
 * without an error under DataAnalyst.
 */
import { readLakeNotebook } from '../scripts/lake/check-notebooks';
import { REVIEW_NOTEBOOK_PATH } from '../src/notebook/notebook-url';
import { expect, status, test, waitForEngine } from './support/notebook';

const review = readLakeNotebook('public/sample-lake', REVIEW_NOTEBOOK_PATH);

test.describe('Fast-Track review notebook', () => {
  test('opens for a new user and runs top to bottom under DataAnalyst', async ({ page }) => {
    test.setTimeout(240_000);
    await page.addInitScript(() => localStorage.setItem('lakebook.role', 'DataAnalyst'));
    await page.goto('./');
    await waitForEngine(page);
    await expect(page.getByRole('textbox', { name: 'Notebook title' })).toHaveValue(review.title);

    const names = review.cells.flatMap((c) => (c.kind === 'sql' ? [c.name] : []));
    await page
      .getByRole('toolbar', { name: 'Notebook actions' })
      .getByRole('button', { name: 'Run all' })
      .click();
    for (const name of names)
      await expect(status(page, name), name).toHaveAccessibleName(`Cell ${name}: Done`, { timeout: 120_000 });
    // Empty live regions are the editor's; an alert with text is an error shown at a cell.
    await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveCount(0);
  });
});
