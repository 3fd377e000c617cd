/**
 * Faults of the engine, in Chromium: the worker dies mid-query, a long query is cancelled, a runaway query
 * meets the time limit, a result outgrows the budget, a lake file is broken. In each case the page says what
 * happened, nothing in the notebook is lost, and the engine answers the next query.
 */
import { nativeScalar } from './support/lake-facts';
import {
  cell,
  command,
  expect,
  expectStatus,
  gridCell,
  runCell,
  runSql,
  setSql,
  test,
  waitForEngine,
  waitForSaved,
} from './support/notebook';
import type { Page } from '@playwright/test';

/** A query that keeps the engine busy far longer than any test waits, and can be interrupted. */
const RUNAWAY = 'SELECT sum(x % 7) AS s FROM range(100000000000) t(x)';

/** Opens the page with the test hooks on (`?testHooks`): the only way a page can kill its own engine. */
async function openWithHooks(page: Page, role = 'DataAnalyst'): Promise<void> {
  await page.addInitScript((r) => localStorage.setItem('lakebook.role', r), role);
  await page.goto('./?testHooks');
  await waitForEngine(page);
  // A browser's first visit may open a shipped notebook; these tests start from a blank one.
  if ((await cell(page, 'cell_1').count()) === 0) {
    await page.getByRole('button', { name: '+ New notebook' }).click();
    await expect(cell(page, 'cell_1')).toBeVisible();
  }
}

async function setLimits(page: Page, limits: { time?: string; rows?: string; mb?: string }): Promise<void> {
  await page
    .getByRole('toolbar', { name: 'Notebook actions' })
    .getByRole('button', { name: 'Settings' })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Query limits' });
  if (limits.time !== undefined)
    await dialog.getByRole('textbox', { name: /Time limit per query/ }).fill(limits.time);
  if (limits.rows !== undefined)
    await dialog.getByRole('textbox', { name: 'Rows kept per result' }).fill(limits.rows);
  if (limits.mb !== undefined)
    await dialog.getByRole('textbox', { name: /Result size limit/ }).fill(limits.mb);
  await dialog.getByRole('button', { name: 'Save limits' }).click();
  await expect(dialog).toHaveCount(0);
}

async function killEngine(page: Page): Promise<void> {
  await page.evaluate(() => {
    const hooks = (window as { __lakebook?: { engine?: { crashForTest(): void } } }).__lakebook;
    if (!hooks?.engine) throw new Error('test hooks are not on');
    hooks.engine.crashForTest();
  });
}

test.describe('engine faults', () => {
  test('a worker killed mid-query: the page says so, a new engine serves the role, every edit is kept and the cell is not re-run', async ({
    page,
  }) => {
    await openWithHooks(page);
    await setSql(page, 'cell_1', 'SELECT count(*) AS n FROM admissions');
    await command(page, 'Insert SQL cell below');
    await setSql(page, 'cell_2', RUNAWAY);
    await waitForSaved(page);
    await page.getByRole('textbox', { name: 'Notebook title' }).fill('Crash drill');
    await page.getByRole('textbox', { name: 'Notebook title' }).press('Enter');

    await runCell(page, 'cell_2');
    await expectStatus(page, 'cell_2', 'Running');
    await killEngine(page);

    await expectStatus(page, 'cell_2', 'Error');
    const marked = cell(page, 'cell_2').getByRole('alert');
    await expect(marked).toContainText('engine worker was stopped');
    await expect(marked).toContainText('not re-run');
    await expect(page.getByRole('alert').filter({ hasText: 'was restarted' })).toBeVisible();

    // Every edit is still there, on screen and in storage.
    await expect(page.getByRole('textbox', { name: 'Notebook title' })).toHaveValue('Crash drill');
    await expect(cell(page, 'cell_1')).toContainText('SELECT count(*) AS n FROM admissions');
    await expect(cell(page, 'cell_2')).toContainText('range(100000000000)');
    await expect(cell(page, 'cell_1')).not.toContainText('Running');

    // The new engine holds the role's data again.
    await waitForEngine(page);
    await runCell(page, 'cell_1');
    await expectStatus(page, 'cell_1', 'Done');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText(
      await nativeScalar('SELECT count(*) FROM {admissions}'),
    );
    // Still not re-run behind the user's back.
    await expectStatus(page, 'cell_2', 'Error');

    await waitForSaved(page);
    await page.reload();
    await waitForEngine(page);
    await expect(page.getByRole('textbox', { name: 'Notebook title' })).toHaveValue('Crash drill');
    await expect(cell(page, 'cell_2')).toContainText('range(100000000000)');
  });

  test('a long query is cancelled and the next one runs', async ({ page }) => {
    await openWithHooks(page);
    await setSql(page, 'cell_1', RUNAWAY);
    await runCell(page, 'cell_1');
    await expectStatus(page, 'cell_1', 'Running');
    const clicked = Date.now();
    await cell(page, 'cell_1').getByRole('button', { name: 'Cancel query' }).click();
    await expectStatus(page, 'cell_1', 'Error');
    test.info().annotations.push({ type: 'cancel latency (ms)', description: String(Date.now() - clicked) });
    await expect(cell(page, 'cell_1').getByRole('alert')).toContainText(/cancel/i);
    await runSql(page, 'cell_1', 'SELECT 40 + 2 AS answer');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText('42');
  });

  test('the time limit set under Settings stops a runaway query with a message', async ({ page }) => {
    await openWithHooks(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Query limits' });
    await dialog.getByRole('textbox', { name: /Time limit/ }).fill('soon');
    await dialog.getByRole('button', { name: 'Save limits' }).click();
    await expect(dialog.getByRole('alert')).toContainText('The time limit must be a whole number');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await setLimits(page, { time: '2' });

    await setSql(page, 'cell_1', RUNAWAY);
    await runCell(page, 'cell_1');
    await expectStatus(page, 'cell_1', 'Error');
    const alert = cell(page, 'cell_1').getByRole('alert');
    await expect(alert).toContainText('longer than the time limit of 2 s');
    await expect(alert).toContainText('raise the time limit');
    await runSql(page, 'cell_1', 'SELECT 6 * 7 AS answer');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText('42');

    // The setting outlives the page.
    await page.reload();
    await waitForEngine(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('textbox', { name: /Time limit/ })).toHaveValue('2');
  });

  test('a result over the memory budget keeps its first rows with a message, and the tab goes on', async ({
    page,
  }) => {
    await openWithHooks(page);
    await setLimits(page, { mb: '8' });
    // About 2 GB if it were kept whole.
    await runSql(page, 'cell_1', "SELECT range AS i, repeat('x', 1000) AS s FROM range(2000000)");
    const note = cell(page, 'cell_1').getByRole('note');
    await expect(note).toContainText('larger than the result size limit (8 MB)');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText('0');

    await setLimits(page, { rows: '1000', mb: '256' });
    await runSql(page, 'cell_1', 'SELECT range AS i FROM range(50000000)');
    await expect(cell(page, 'cell_1').getByRole('note')).toContainText(
      'Showing the first 1,000 rows only: the result has more rows than the row limit (1,000)',
    );
    await runSql(page, 'cell_1', 'SELECT count(*) AS n FROM admissions');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText(
      await nativeScalar('SELECT count(*) FROM {admissions}'),
    );
  });
});
