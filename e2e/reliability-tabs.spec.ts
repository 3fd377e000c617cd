/**
 * Two tabs of one browser on one notebook: a tab with no unsaved edits follows what the other saved; when
 * both edit at once, a save never silently overwrites the other's, and the tab that would overwrite is
 * offered either version.
 */
import type { Page } from '@playwright/test';
import { cell, editor, expect, setSql, test, waitForEngine, waitForSaved } from './support/notebook';
import { openBlank } from './support/reliability';

const choiceIn = (page: Page) => page.getByRole('dialog', { name: 'Notebook changed in another tab' });

test('two tabs on one notebook: live follow, no lost update, either version can be kept', async ({
  page,
  context,
}) => {
  const a = page;
  await openBlank(a);
  await setSql(a, 'cell_1', 'SELECT 1 AS base');
  await waitForSaved(a);

  const b = await context.newPage();
  await openBlank(b);
  await expect(cell(b, 'cell_1')).toContainText('base');

  // b has no unsaved edits: it shows what a saved, without a reload.
  await setSql(a, 'cell_1', 'SELECT 2 AS from_a');
  await waitForSaved(a);
  await expect(cell(b, 'cell_1')).toContainText('from_a');
  await expect(b.getByText('Updated with the changes saved in another tab.')).toBeVisible();

  // Both edit before either saves: whichever saves second is refused and offered the choice. Both editors
  // must be loaded first (a page loads them once its engine is idle), or one tab would type later.
  await expect(editor(a, 'cell_1')).toBeAttached();
  await expect(editor(b, 'cell_1')).toBeAttached();
  await Promise.all([
    setSql(a, 'cell_1', 'SELECT 5 AS edit_in_a'),
    setSql(b, 'cell_1', 'SELECT 6 AS edit_in_b'),
  ]);
  await expect
    .poll(async () => (await choiceIn(a).count()) + (await choiceIn(b).count()), { timeout: 10_000 })
    .toBe(1);
  const [refused, saved] = (await choiceIn(a).count()) > 0 ? [a, b] : [b, a];
  const stored = saved === a ? 'edit_in_a' : 'edit_in_b';
  const choice = choiceIn(refused);
  await expect(choice).toContainText('This tab:');
  await expect(choice).toContainText('Other tab:');
  await expect(
    refused.getByRole('alert').filter({ hasText: 'Not saved: this notebook was changed in another tab' }),
  ).toBeVisible();

  // What the other tab saved is still what is stored: a third tab opens it.
  const c = await context.newPage();
  await c.goto('./');
  await waitForEngine(c);
  await expect(cell(c, 'cell_1')).toContainText(stored);
  await c.close();

  await choice.getByRole('button', { name: 'Keep the other tab’s version' }).click();
  await expect(choice).toHaveCount(0);
  await expect(cell(refused, 'cell_1')).toContainText(stored);

  // Settled: an edit in either tab now saves, and the other follows it.
  await setSql(refused, 'cell_1', 'SELECT 7 AS settled');
  await waitForSaved(refused);
  await expect(cell(saved, 'cell_1')).toContainText('settled');
  await saved.reload();
  await waitForEngine(saved);
  await expect(cell(saved, 'cell_1')).toContainText('settled');
});
