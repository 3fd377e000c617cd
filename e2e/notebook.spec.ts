import { readFileSync } from 'node:fs';
import { z } from 'zod';
import AxeBuilder from '@axe-core/playwright';
import { nativeScalar } from './support/lake-facts';
import {
  cell,
  chooseImportFile,
  command,
  editor,
  expect,
  expectStatus,
  grid,
  gridCell,
  openNotebook,
  runSql,
  setSql,
  test,
  waitForEngine,
  waitForSaved,
} from './support/notebook';

/** The parts of nbformat 4's schema that JupyterLab needs to open a notebook. */
const source = z.union([z.string(), z.array(z.string())]);
const nbformat4 = z.object({
  nbformat: z.literal(4),
  nbformat_minor: z.number().int().min(0),
  metadata: z.record(z.string(), z.unknown()),
  cells: z.array(
    z.discriminatedUnion('cell_type', [
      z
        .object({
          cell_type: z.literal('code'),
          id: z.string().regex(/^[a-zA-Z0-9-_]{1,64}$/),
          metadata: z.record(z.string(), z.unknown()),
          source,
          outputs: z.array(z.unknown()),
          execution_count: z.number().int().nullable(),
        })
        .strict(),
      z
        .object({
          cell_type: z.literal('markdown'),
          id: z.string().regex(/^[a-zA-Z0-9-_]{1,64}$/),
          metadata: z.record(z.string(), z.unknown()),
          source,
        })
        .strict(),
    ]),
  ),
});

test.describe('notebook', () => {
  test('a renamed cell is queried from another cell', async ({ page }) => {
    await openNotebook(page);
    const name = cell(page, 'cell_1').getByRole('textbox', { name: 'Cell name' });
    await name.fill('select');
    await name.press('Enter');
    await expect(cell(page, 'cell_1').getByRole('alert')).toContainText('keyword');
    await name.fill('adm_count');
    await name.press('Enter');
    await expect(cell(page, 'adm_count')).toBeVisible();
    await runSql(page, 'adm_count', 'SELECT count(*) AS n FROM admissions');

    await cell(page, 'adm_count').focus();
    await page.keyboard.press('b');
    await expect(editor(page, 'cell_1')).toBeFocused();
    await page.keyboard.insertText('SELECT n * 2 AS doubled FROM adm_count');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expectStatus(page, 'cell_1', 'Done');
    const expected = await nativeScalar('SELECT count(*) * 2 FROM {admissions}');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText(expected);
  });

  test('an edit survives a reload', async ({ page }) => {
    await openNotebook(page);
    await setSql(page, 'cell_1', 'SELECT 1 AS draft_reload_check');
    await waitForSaved(page);
    await page.reload();
    await waitForEngine(page);
    await expect(cell(page, 'cell_1')).toContainText('draft_reload_check');
  });

  test('a corrupt notebook file is refused and the notebook stays as it was', async ({ page }) => {
    await openNotebook(page);
    await setSql(page, 'cell_1', 'SELECT 7 AS kept');
    await waitForSaved(page);
    const main = page.getByRole('main', { name: 'Notebook' });
    const before = await main.innerText();
    await chooseImportFile(
      page,
      'broken.lakebook.json',
      '{"format":"lakebook-notebook","version":2,"cells":[{"id":',
    );
    await expect(page.getByRole('alert').filter({ hasText: 'Nothing was changed' })).toBeVisible();
    expect(await main.innerText()).toBe(before);
    await expect(page.getByRole('textbox', { name: 'Notebook title' })).toHaveValue('Welcome to Lakebook');
  });

  test('export to Jupyter writes valid nbformat 4', async ({ page }) => {
    await openNotebook(page);
    await setSql(page, 'cell_1', 'SELECT count(*) FROM admissions');
    const download = page.waitForEvent('download');
    await command(page, 'Export to Jupyter');
    const file = await (await download).path();
    const notebook = nbformat4.parse(JSON.parse(readFileSync(file, 'utf8')));
    const code = notebook.cells.filter((c) => c.cell_type === 'code');
    expect(code).toHaveLength(1);
    expect([code[0]!.source].flat().join('')).toBe('%%sql --save cell_1\nSELECT count(*) FROM admissions');
    expect(notebook.cells.some((c) => c.cell_type === 'markdown')).toBe(true);
  });

  test('keys: command mode inserts, deletes with D D and undoes with Z', async ({ page }) => {
    await openNotebook(page);
    await editor(page, 'cell_1').focus();
    await page.keyboard.press('Escape');
    await expect(cell(page, 'cell_1')).toBeFocused();
    await page.keyboard.press('a');
    await expect(editor(page, 'cell_2')).toBeFocused();
    await page.keyboard.press('Escape');
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect(cell(page, 'cell_2')).toHaveCount(0);
    await page.keyboard.press('z');
    await expect(cell(page, 'cell_2')).toBeVisible();
  });

  test('the cell buttons duplicate, move and delete a cell', async ({ page }) => {
    await openNotebook(page);
    await setSql(page, 'cell_1', 'SELECT 1 AS one');
    const sqlCells = page.getByRole('region', { name: /^Cell cell_/ });
    const names = () => sqlCells.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    await cell(page, 'cell_1').getByRole('button', { name: 'Duplicate cell' }).click();
    await expect(sqlCells).toHaveCount(2);
    const copy = (await names())[1]!.replace('Cell ', '');
    await expect(cell(page, copy).locator('.view-lines')).toContainText('SELECT 1 AS one');
    await cell(page, copy).getByRole('button', { name: 'Move cell up' }).click();
    await expect.poll(names).toEqual([`Cell ${copy}`, 'Cell cell_1']);
    await cell(page, copy).getByRole('button', { name: 'Move cell down' }).click();
    await expect.poll(names).toEqual(['Cell cell_1', `Cell ${copy}`]);
    await cell(page, copy).getByRole('button', { name: 'Delete cell' }).click();
    await expect(sqlCells).toHaveCount(1);
  });

  test('run all runs every SQL cell in order', async ({ page }) => {
    await openNotebook(page);
    await setSql(page, 'cell_1', 'SELECT count(*) AS n FROM patients');
    await command(page, 'Insert SQL cell below');
    // The new cell's editor loads asynchronously: type into it once it is there, not wherever focus is.
    await setSql(page, 'cell_2', 'SELECT n + 1 AS m FROM cell_1');
    // Run all reads what the editor has handed to the notebook: wait until the new editor shows the text.
    await expect(cell(page, 'cell_2')).toContainText('SELECT n + 1 AS m FROM cell_1');
    await page.getByRole('button', { name: 'Run all' }).click();
    await expectStatus(page, 'cell_2', 'Done');
    const expected = await nativeScalar('SELECT count(*) + 1 FROM {patients}');
    await expect(gridCell(page, 'cell_2', 0, 0)).toHaveText(expected);
  });

  test('sorting a column is done by the engine', async ({ page }) => {
    await openNotebook(page);
    await runSql(page, 'cell_1', 'SELECT x FROM (VALUES (2), (3), (1)) t(x)');
    await grid(page, 'cell_1').getByRole('button', { name: 'Sort by x' }).click();
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText('1');
    await grid(page, 'cell_1').getByRole('button', { name: 'Sort by x' }).click();
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText('3');
  });

  test('a click in the catalog inserts the table name at the cursor', async ({ page }) => {
    await openNotebook(page);
    await setSql(page, 'cell_1', 'SELECT count(*) FROM ');
    await page
      .getByRole('navigation', { name: 'Lake catalog' })
      .getByRole('button', { name: 'Insert patients' })
      .click();
    await expect(cell(page, 'cell_1')).toContainText('FROM patients');
  });

  test('no serious or critical accessibility problem in the notebook, catalog and result views', async ({
    page,
  }) => {
    await openNotebook(page);
    await runSql(page, 'cell_1', 'SELECT * FROM patients LIMIT 50');
    await page.getByRole('button', { name: 'Columns of patients' }).click();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  test('usable on a 768-pixel-wide tablet', async ({ page }) => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await openNotebook(page);
    await runSql(page, 'cell_1', 'SELECT count(*) AS n FROM admissions');
    await expect(gridCell(page, 'cell_1', 0, 0)).toBeVisible();
    await page.getByRole('button', { name: 'Show or hide the side panel' }).click();
    await expect(page.getByRole('navigation', { name: 'Lake catalog' })).toBeVisible();
  });
});
