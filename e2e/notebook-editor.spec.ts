import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { columnTags, parseManifest } from '../src/lake/manifest';
import { cell, editor, expect, expectStatus, openNotebook, runCell, setSql, test } from './support/notebook';

const manifest = parseManifest(JSON.parse(readFileSync('public/sample-lake/catalog.json', 'utf8')));

function catalogColumn(table: string, column: string) {
  const entry = manifest.tables.find((t) => t.name === table)!;
  const col = entry.columns.find((c) => c.name === column)!;
  return { type: col.type, tags: columnTags(entry, col) };
}

/** Replaces the SQL of a cell and opens the completion list at its end (Ctrl+Space). */
async function complete(page: Page, sql: string, name = 'cell_1') {
  await setSql(page, name, sql);
  await page.keyboard.press('Control+Space');
}

const suggestions = (page: Page) => page.getByRole('listbox', { name: /Suggest/ });
const suggestion = (page: Page, label: string) =>
  suggestions(page).getByRole('option', { name: new RegExp(`^${label}\\b`) });

test.describe('editor help', () => {
  test('completion offers the tables, columns and cells the role may see, tables and cells first after FROM', async ({
    page,
  }) => {
    await openNotebook(page, 'DataAnalyst');
    const tables = new Set(manifest.tables.map((t) => t.name));
    for (const sql of ['SELECT * FROM ', 'SELECT * FROM admissions a JOIN ']) {
      await complete(page, sql);
      const first = await suggestions(page).getByRole('option').first().getAttribute('aria-label');
      expect(tables.has(String(first).split(/[\s,]/)[0]!), `${sql}→ ${first}`).toBe(true);
      await page.keyboard.press('Escape');
    }
    await complete(page, 'SELECT * FROM admissions WHERE ');
    const first = await suggestions(page).getByRole('option').first().getAttribute('aria-label');
    expect(tables.has(String(first).split(/[\s,]/)[0]!), String(first)).toBe(false);
    await page.keyboard.press('Escape');

    await complete(page, 'SELECT * FROM admiss');
    await expect(suggestion(page, 'admissions')).toBeVisible();
    await page.keyboard.press('Escape');

    await complete(page, 'SELECT admissions.admission_t');
    await expect(suggestion(page, 'admission_type')).toBeVisible();
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: '+ SQL cell' }).click();
    await expect(editor(page, 'cell_2')).toBeFocused();
    await complete(page, 'SELECT * FROM cell_', 'cell_2');
    await expect(suggestion(page, 'cell_1')).toBeVisible();
  });

  test('completion offers nothing the role may not see', async ({ page }) => {
    await openNotebook(page, 'Public');
    await complete(page, 'SELECT * FROM cms_h');
    await expect(suggestion(page, 'cms_hrrp')).toBeVisible();
    await page.keyboard.press('Escape');

    // Columns of published metrics still match "admiss"; the PHI table itself is not offered.
    await complete(page, 'SELECT * FROM admiss');
    await expect(suggestion(page, 'admission_type')).toBeVisible();
    await expect(suggestion(page, 'admissions')).toHaveCount(0);
    await page.keyboard.press('Escape');

    await complete(page, 'SELECT cms_hrrp.sta');
    await expect(suggestion(page, 'state')).toBeVisible();
    await page.keyboard.press('Escape');

    await complete(page, 'SELECT patients.gend');
    await expect(cell(page, 'cell_1').getByText('No suggestions.')).toBeVisible();
  });

  test('hover on a column shows its type and tags', async ({ page }) => {
    await openNotebook(page, 'DataAnalyst');
    await setSql(page, 'cell_1', 'SELECT admission_type FROM admissions');
    await page.keyboard.press('Escape');
    const word = editor(page, 'cell_1')
      .locator('xpath=ancestor::div[contains(@class,"monaco-editor")]')
      .locator('.view-line span', { hasText: 'admission_type' })
      .first();
    await word.hover();
    const hover = page.locator('.monaco-hover-content:visible');
    const expected = catalogColumn('admissions', 'admission_type');
    await expect(hover).toContainText('admissions.admission_type');
    await expect(hover).toContainText(expected.type);
    for (const tag of expected.tags) await expect(hover).toContainText(tag);
  });

  test('a DuckDB error with a position is marked at its line and column', async ({ page }) => {
    await openNotebook(page, 'DataAnalyst', './?testHooks');
    await setSql(page, 'cell_1', 'SELECT admission_type,\n       no_such_column\nFROM admissions');
    await runCell(page, 'cell_1');
    await expectStatus(page, 'cell_1', 'Error');
    await expect(cell(page, 'cell_1').getByRole('alert')).toContainText('Line 2, column 8');
    await expect(cell(page, 'cell_1').locator('.squiggly-error')).toHaveCount(1);
    const markers = await page.evaluate(() =>
      (window as unknown as { __lakebook: { editor: { markers(): unknown[] } } }).__lakebook.editor.markers(),
    );
    expect(markers).toEqual([
      expect.objectContaining({ line: 2, column: 8, endColumn: 8 + 'no_such_column'.length }),
    ]);

    // Fixing the SQL and running again clears the marker.
    await setSql(page, 'cell_1', 'SELECT admission_type\nFROM admissions');
    await runCell(page, 'cell_1');
    await expectStatus(page, 'cell_1', 'Done');
    await expect(cell(page, 'cell_1').locator('.squiggly-error')).toHaveCount(0);
  });
});
