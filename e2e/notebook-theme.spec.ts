import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { cell, expect, openNotebook, runSql, test } from './support/notebook';

const background = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => getComputedStyle(el).backgroundColor);

/** Relative luminance of an `rgb(...)` colour, 0 (black) to 1 (white). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

test.describe('themes', () => {
  test('the page and the editor follow the system between light and dark', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await openNotebook(page);
    await runSql(page, 'cell_1', 'SELECT 1 AS n');
    const lightRoot = await background(page, 'html');
    const lightEditor = await background(page, '.monaco-editor-background');
    expect(luminance(lightRoot)).toBeGreaterThan(0.8);

    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => background(page, 'html')).not.toBe(lightRoot);
    expect(luminance(await background(page, 'html'))).toBeLessThan(0.1);
    await expect.poll(() => background(page, '.monaco-editor-background')).not.toBe(lightEditor);
    expect(luminance(await background(page, '.monaco-editor-background'))).toBeLessThan(0.1);

    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => background(page, 'html')).toBe(lightRoot);
  });

  test('no serious or critical accessibility problem in dark mode', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await openNotebook(page);
    await runSql(page, 'cell_1', 'SELECT * FROM patients LIMIT 50');
    await page.getByRole('button', { name: 'Columns of patients' }).click();
    await expect(cell(page, 'cell_1').getByRole('grid')).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});
