/**
 * Two tabs of one browser on one notebook: a save never silently overwrites what the other tab saved; the
 * tab that would overwrite is told, and its user keeps either version.
 */
import { cell, expect, setSql, test, waitForEngine, waitForSaved } from './support/notebook';
import { openBlank } from './support/reliability';

test('two tabs on one notebook: no lost update, either version can be kept', async ({ page, context }) => {
  const a = page;
  await openBlank(a);
  await setSql(a, 'cell_1', 'SELECT 1 AS base');
  await waitForSaved(a);

  const b = await context.newPage();
  await openBlank(b);
  await expect(cell(b, 'cell_1')).toContainText('base');

  await setSql(a, 'cell_1', 'SELECT 2 AS from_a');
  await waitForSaved(a);
  await setSql(b, 'cell_1', 'SELECT 3 AS from_b');
  const choice = b.getByRole('dialog', { name: 'Notebook changed in another tab' });
  await expect(choice).toBeVisible();
  await expect(
    b.getByRole('alert').filter({ hasText: 'Not saved: this notebook was changed in another tab' }),
  ).toBeVisible();
  await expect(choice).toContainText('This tab:');
  await expect(choice).toContainText('Other tab:');

  // What the other tab saved is still what is stored: a third tab opens it.
  const c = await context.newPage();
  await c.goto('./');
  await waitForEngine(c);
  await expect(cell(c, 'cell_1')).toContainText('from_a');
  await c.close();

  await choice.getByRole('button', { name: 'Keep the other tab’s version' }).click();
  await expect(choice).toHaveCount(0);
  await expect(cell(b, 'cell_1')).toContainText('from_a');
  await setSql(b, 'cell_1', 'SELECT 4 AS from_b_again');
  await waitForSaved(b);

  await setSql(a, 'cell_1', 'SELECT 5 AS from_a_again');
  const choiceA = a.getByRole('dialog', { name: 'Notebook changed in another tab' });
  await expect(choiceA).toBeVisible();
  await choiceA.getByRole('button', { name: 'Keep this tab’s version' }).click();
  await expect(choiceA).toHaveCount(0);
  await waitForSaved(a);

  await b.reload();
  await waitForEngine(b);
  await expect(cell(b, 'cell_1')).toContainText('from_a_again');
});
