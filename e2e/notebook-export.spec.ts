import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { nativeScalar } from './support/lake-facts';
import { makeChartCell, makeSqlCell } from '../src/notebook/model/cells';
import { serializeNotebook } from '../src/notebook/model/file-format';
import { newNotebook } from '../src/notebook/model/notebook';
import {
  cell,
  chooseImportFile,
  expect,
  expectStatus,
  gridCell,
  openNotebook,
  runCell,
  runSql,
  test,
  trustNotebook,
} from './support/notebook';
import { sharePage } from './support/shared-page';

const PHI_QUERY = 'SELECT admission_type, count(*) AS n FROM admissions GROUP BY admission_type';

const button = (page: Page, format: 'CSV' | 'Parquet') =>
  cell(page, 'cell_1').getByRole('button', { name: `Download result of cell_1 as ${format}` });

async function download(page: Page, format: 'CSV' | 'Parquet') {
  const event = page.waitForEvent('download');
  await button(page, format).click();
  const file = await event;
  return { name: file.suggestedFilename(), path: await file.path() };
}

test.describe('downloading a result', () => {
  const onPage = sharePage();

  test('as Parquet and as CSV, read back by native DuckDB', async ({ browser, baseURL }) => {
    const page = await onPage(browser, baseURL, 'DataAnalyst');
    await runSql(
      page,
      'cell_1',
      "SELECT range AS i, 'r' || range AS label, NULL::INT AS nothing FROM range(100000)",
    );

    const parquet = await download(page, 'Parquet');
    expect(parquet.name).toBe('cell_1.parquet');
    expect(readFileSync(parquet.path).subarray(0, 4).toString()).toBe('PAR1');
    const where = `read_parquet('${parquet.path}')`;
    expect(await nativeScalar(`SELECT count(*) FROM ${where}`)).toBe('100000');
    expect(await nativeScalar(`SELECT sum(i) FROM ${where}`)).toBe(String((99_999 * 100_000) / 2));
    expect(await nativeScalar(`SELECT max(label) FROM ${where} WHERE i = 4242`)).toBe('r4242');
    expect(await nativeScalar(`SELECT count(nothing) FROM ${where}`)).toBe('0');

    const csv = await download(page, 'CSV');
    expect(csv.name).toBe('cell_1.csv');
    const lines = readFileSync(csv.path, 'utf8').split('\r\n');
    expect(lines[0]).toBe('i,label,nothing');
    expect(lines[1]).toBe('0,r0,');
    expect(lines.filter((l) => l !== '')).toHaveLength(100_001);
    const table = `read_csv('${csv.path}', header = true)`;
    expect(await nativeScalar(`SELECT sum(i) FROM ${table}`)).toBe(String((99_999 * 100_000) / 2));
  });

  test('a result tagged PHI cannot be downloaded by a role without the export permission', async ({
    browser,
    baseURL,
  }) => {
    const page = await onPage(browser, baseURL, 'DataAnalyst');
    await runSql(page, 'cell_1', PHI_QUERY);
    await expect(cell(page, 'cell_1').getByText('PHI', { exact: true })).toBeVisible();
    await expect(button(page, 'CSV')).toBeDisabled();
    await expect(button(page, 'Parquet')).toBeDisabled();
    await expect(cell(page, 'cell_1').getByText('PHI: export not allowed for your role')).toBeVisible();
  });

  test('a role that may export PHI downloads it', async ({ browser, baseURL }) => {
    const page = await onPage(browser, baseURL, 'Admin');
    await runSql(page, 'cell_1', PHI_QUERY);
    const parquet = await download(page, 'Parquet');
    const expected = await nativeScalar('SELECT count(*) FROM {admissions}');
    expect(await nativeScalar(`SELECT sum(n) FROM read_parquet('${parquet.path}')`)).toBe(expected);
    const kinds = await nativeScalar('SELECT count(DISTINCT admission_type) FROM {admissions}');
    expect(await nativeScalar(`SELECT count(*) FROM read_parquet('${parquet.path}')`)).toBe(kinds);
  });
});

test.describe('importing a notebook', () => {
  test('a cell named like a lake table is renamed, says so, and its readers follow', async ({ page }) => {
    await openNotebook(page, 'DataAnalyst');
    const nb = newNotebook('Invented rates');
    nb.cells = [
      makeSqlCell('readmission_30d', 'SELECT 0.01 AS rate'),
      makeSqlCell('headline', 'SELECT rate * 100 AS percent FROM readmission_30d'),
      makeChartCell({ source: 'readmission_30d', type: 'kpi', y: 'rate', title: 'Rate' }),
    ];
    await chooseImportFile(page, 'invented.lakebook.json', serializeNotebook(nb));
    await expect(
      page.getByText(/Opened "Invented rates"\. A cell had the name of a table in the lake/),
    ).toBeVisible();
    await expect(page.getByText(/"readmission_30d" is now "readmission_30d_cell"/)).toBeVisible();
    await expect(page.getByRole('region', { name: 'Cell readmission_30d', exact: true })).toHaveCount(0);
    await expect(cell(page, 'readmission_30d_cell')).toContainText('SELECT 0.01 AS rate');
    await expect(cell(page, 'headline')).toContainText('FROM readmission_30d_cell');

    // Nothing of the author's is lost: the notebook computes what it did, under names that hide no table.
    await trustNotebook(page);
    await runCell(page, 'headline');
    await expectStatus(page, 'headline', 'Done');
    await expect(gridCell(page, 'headline', 0, 0)).toHaveText(/^1(\.0+)?$/);
  });
});
