/**
 * Bad input and a browser that will not keep data, in Chromium: a broken lake file, storage that is missing
 * or full, and notebook files that are cut short, too new, wrongly typed or huge. Each time the page says
 * what happened, and nothing the user had is replaced or lost.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { nativeScalar } from './support/lake-facts';
import {
  cell,
  expect,
  expectStatus,
  gridCell,
  runSql,
  setSql,
  test,
  waitForEngine,
  waitForSaved,
} from './support/notebook';
import { exportText, importFile, openBlank } from './support/reliability';

const BAD_DATA = path.resolve('tests/fixtures/parquet/bad_data');

test.describe('bad input and storage faults', () => {
  test('a broken lake file gives an error naming it, and the engine goes on', async ({ page }) => {
    const target = 'phi/curated/patients/part-000.parquet';
    // The file as it sits in the role's own lake folder.
    await page.route(`**/sample-lake/roles/*/${target}`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/octet-stream',
        body: readFileSync(path.join(BAD_DATA, 'ARROW-RS-GH-6229-LEVELS.parquet')),
      }),
    );
    await openBlank(page);
    await setSql(page, 'cell_1', 'SELECT count(*) AS n FROM patients');
    await cell(page, 'cell_1').getByRole('button', { name: 'Run cell' }).click();
    await expectStatus(page, 'cell_1', 'Error');
    const alert = cell(page, 'cell_1').getByRole('alert');
    await expect(alert).toContainText(`Could not load table patients from ${target}`);
    await expect(alert).toContainText('Other tables still work');

    await runSql(page, 'cell_1', 'SELECT count(*) AS n FROM admissions');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText(
      await nativeScalar('SELECT count(*) FROM {admissions}'),
    );
  });

  test('IndexedDB refused: a visible warning, editing goes on, export still works', async ({ page }) => {
    await page.addInitScript(() => {
      indexedDB.open = () => {
        throw new DOMException('IndexedDB is disabled in this profile', 'SecurityError');
      };
    });
    await openBlank(page);
    await expect(
      page.getByRole('alert').filter({ hasText: 'does not let Lakebook save here' }),
    ).toBeVisible();
    await runSql(page, 'cell_1', 'SELECT 41 + 1 AS kept_in_memory');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText('42');
    const exported = JSON.parse(await exportText(page)) as { cells: { sql?: string }[] };
    expect(exported.cells.some((c) => c.sql === 'SELECT 41 + 1 AS kept_in_memory')).toBe(true);
  });

  test('storage full: a visible warning, editing goes on, export works, saving resumes when there is room', async ({
    page,
  }) => {
    await page.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
        if ((window as { storageFull?: boolean }).storageFull && this.name === 'notebooks')
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    await openBlank(page);
    await page.evaluate(() => ((window as { storageFull?: boolean }).storageFull = true));
    await setSql(page, 'cell_1', 'SELECT 1 AS written_while_full');
    const warning = page.getByRole('alert').filter({ hasText: 'Changes are not being saved' });
    await expect(warning).toContainText('quota has been exceeded');
    await expect(warning).toContainText('export the notebook');
    await runSql(page, 'cell_1', 'SELECT 2 AS still_editing');
    const exported = JSON.parse(await exportText(page)) as { cells: { sql?: string }[] };
    expect(exported.cells.some((c) => c.sql === 'SELECT 2 AS still_editing')).toBe(true);

    await page.evaluate(() => ((window as { storageFull?: boolean }).storageFull = false));
    await setSql(page, 'cell_1', 'SELECT 3 AS saved_again');
    await waitForSaved(page);
    await expect(warning).toHaveCount(0);
    await page.reload();
    await waitForEngine(page);
    await expect(cell(page, 'cell_1')).toContainText('saved_again');
  });

  test('broken notebook files are refused with a clear message and replace nothing', async ({ page }) => {
    await openBlank(page);
    await setSql(page, 'cell_1', 'SELECT 7 AS kept');
    await page.getByRole('textbox', { name: 'Notebook title' }).fill('Keep me');
    await page.getByRole('textbox', { name: 'Notebook title' }).press('Enter');
    await waitForSaved(page);
    const main = page.getByRole('main', { name: 'Notebook' });
    const list = page.getByRole('navigation', { name: 'Notebooks' });
    const before = { main: await main.innerText(), list: await list.innerText() };

    const valid = {
      format: 'lakebook-notebook',
      version: 2,
      id: 'imported-nb',
      title: 'Imported',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      settings: { runMode: 'auto' },
      cells: [{ id: 'c1', kind: 'sql', name: 'cell_1', sql: 'SELECT 1' }],
    };
    const text = JSON.stringify(valid);
    const cases: [string, string, RegExp][] = [
      ['truncated', text.slice(0, Math.floor(text.length * 0.6)), /not valid JSON \(it may be cut short/],
      [
        'newer version',
        JSON.stringify({ ...valid, version: 99 }),
        /saved by a newer Lakebook \(file version 99/,
      ],
      ['version as text', JSON.stringify({ ...valid, version: '2' }), /no valid version number/],
      [
        'cells not a list',
        JSON.stringify({ ...valid, cells: 'SELECT 1' }),
        /damaged or was changed by hand: cells/,
      ],
      [
        'SQL as a number',
        JSON.stringify({ ...valid, cells: [{ ...valid.cells[0], sql: 42 }] }),
        /damaged or was changed by hand: cells\.0\.sql/,
      ],
      ['not a notebook', JSON.stringify({ cells: [] }), /not a Lakebook notebook/],
      // 50 MB: a valid start, then a huge cell.
      [
        '50 MB',
        JSON.stringify({ ...valid, cells: [{ ...valid.cells[0], sql: 'x'.repeat(50 * 1024 * 1024) }] }),
        /This file is 50\.0 MB; a notebook file may be at most 20 MB/,
      ],
    ];
    for (const [name, content, message] of cases) {
      await importFile(page, `${name.replaceAll(' ', '-')}.lakebook.json`, content);
      const alert = page.getByRole('alert').filter({ hasText: 'Nothing was changed' });
      await expect(alert, name).toContainText(message);
      expect(await main.innerText(), name).toBe(before.main);
      expect(await list.innerText(), name).toBe(before.list);
      await page.getByRole('button', { name: 'Dismiss message' }).click();
    }
    await expect(page.getByRole('textbox', { name: 'Notebook title' })).toHaveValue('Keep me');
    await page.reload();
    await waitForEngine(page);
    await expect(page.getByRole('textbox', { name: 'Notebook title' })).toHaveValue('Keep me');
    await expect(cell(page, 'cell_1')).toContainText('SELECT 7 AS kept');
  });
});
