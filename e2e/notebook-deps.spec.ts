import type { Page } from '@playwright/test';
import {
  cell,
  editor,
  expect,
  expectStatus,
  gridCell,
  runCell,
  runSql,
  setSql,
  test,
} from './support/notebook';
import { sharePage } from './support/shared-page';

/** cell_1 yields v; cell_2 reads it. Both are run once, so cell_2 shows v * 10. */
async function twoCells(page: Page): Promise<void> {
  await setSql(page, 'cell_1', 'SELECT 1 AS v');
  await page.getByRole('button', { name: '+ SQL cell' }).click();
  await expect(editor(page, 'cell_2')).toBeFocused();
  await page.keyboard.insertText('SELECT v * 10 AS w FROM cell_1');
  await page.getByRole('button', { name: 'Run all' }).click();
  await expectStatus(page, 'cell_2', 'Done');
  await expect(gridCell(page, 'cell_2', 0, 0)).toHaveText('10');
}

const autoRerun = (page: Page) => page.getByRole('button', { name: 'Auto re-run' });

test.describe('cells that query cells', () => {
  const onPage = sharePage();

  test('in auto mode, a changed cell re-runs the cells that read it', async ({ browser, baseURL }) => {
    const page = await onPage(browser, baseURL, 'DataAnalyst');
    await expect(autoRerun(page)).toHaveAttribute('aria-pressed', 'true');
    await twoCells(page);
    await runSql(page, 'cell_1', 'SELECT 2 AS v');
    await expect(gridCell(page, 'cell_2', 0, 0)).toHaveText('20');
    await expectStatus(page, 'cell_2', 'Done');
    await expect(cell(page, 'cell_2').getByText(/Out of date/)).toHaveCount(0);
  });

  test('in lazy mode, the cells that read a changed cell are marked stale, not re-run', async ({
    browser,
    baseURL,
  }) => {
    const page = await onPage(browser, baseURL, 'DataAnalyst');
    await twoCells(page);
    await autoRerun(page).click();
    await expect(autoRerun(page)).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByText(/marked stale/)).toBeVisible();

    await runSql(page, 'cell_1', 'SELECT 3 AS v');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText('3');
    await expect(cell(page, 'cell_2').getByText('Out of date: run again')).toBeVisible();
    await expect(gridCell(page, 'cell_2', 0, 0)).toHaveText('10');

    await runCell(page, 'cell_2');
    await expect(gridCell(page, 'cell_2', 0, 0)).toHaveText('30');
    await expect(cell(page, 'cell_2').getByText('Out of date: run again')).toHaveCount(0);
  });

  test('a cycle between cells is reported and never run', async ({ browser, baseURL }) => {
    const page = await onPage(browser, baseURL, 'DataAnalyst');
    await twoCells(page);
    await setSql(page, 'cell_1', 'SELECT w AS v FROM cell_2');
    await runCell(page, 'cell_1');
    await expectStatus(page, 'cell_1', 'Error');
    const alert = cell(page, 'cell_1').getByRole('alert');
    await expect(alert).toContainText('cycle: cell_1 → cell_2 → cell_1');
    await expect(alert).toContainText('no longer reads');

    await page.getByRole('button', { name: 'Run all' }).click();
    await expectStatus(page, 'cell_1', 'Error');
    await expectStatus(page, 'cell_2', 'Error');
    await expect(cell(page, 'cell_2').getByRole('alert')).toContainText('cycle');

    // Breaking the cycle makes both cells run again.
    await setSql(page, 'cell_1', 'SELECT 4 AS v');
    await page.getByRole('button', { name: 'Run all' }).click();
    await expectStatus(page, 'cell_2', 'Done');
    await expect(gridCell(page, 'cell_2', 0, 0)).toHaveText('40');
  });

  test('renaming a cell offers to update the cells that read it', async ({ browser, baseURL }) => {
    const page = await onPage(browser, baseURL, 'DataAnalyst');
    await twoCells(page);
    const name = cell(page, 'cell_1').getByRole('textbox', { name: 'Cell name' });
    await name.fill('base_value');
    await name.press('Enter');
    const offer = page.getByRole('group', { name: 'Update references to cell_1' });
    await expect(offer).toContainText('Cell cell_2 reads cell_1. Update it to read base_value?');
    await offer.getByRole('button', { name: 'Update references' }).click();
    await expect(offer).toHaveCount(0);
    await expect(cell(page, 'cell_2')).toContainText('SELECT v * 10 AS w FROM base_value');

    await runSql(page, 'base_value', 'SELECT 5 AS v');
    await expect(gridCell(page, 'cell_2', 0, 0)).toHaveText('50');
  });

  test('keeping the old name leaves the readers as they are', async ({ browser, baseURL }) => {
    const page = await onPage(browser, baseURL, 'DataAnalyst');
    await twoCells(page);
    const name = cell(page, 'cell_1').getByRole('textbox', { name: 'Cell name' });
    await name.fill('base_value');
    await name.press('Enter');
    const offer = page.getByRole('group', { name: 'Update references to cell_1' });
    await offer.getByRole('button', { name: 'Keep as is' }).click();
    await expect(offer).toHaveCount(0);
    await expect(cell(page, 'cell_2')).toContainText('FROM cell_1');
  });
});
