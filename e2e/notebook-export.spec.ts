import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { nativeScalar } from './support/lake-facts';
import { cell, expect, openNotebook, runSql, test } from './support/notebook';

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
  test('as Parquet and as CSV, read back by native DuckDB', async ({ page }) => {
    await openNotebook(page, 'DataAnalyst');
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
    page,
  }) => {
    await openNotebook(page, 'DataAnalyst');
    await runSql(page, 'cell_1', PHI_QUERY);
    await expect(cell(page, 'cell_1').getByText('PHI', { exact: true })).toBeVisible();
    await expect(button(page, 'CSV')).toBeDisabled();
    await expect(button(page, 'Parquet')).toBeDisabled();
    await expect(cell(page, 'cell_1').getByText('PHI: export not allowed for your role')).toBeVisible();
  });

  test('a role that may export PHI downloads it', async ({ page }) => {
    await openNotebook(page, 'Admin');
    await runSql(page, 'cell_1', PHI_QUERY);
    const parquet = await download(page, 'Parquet');
    const expected = await nativeScalar('SELECT count(*) FROM {admissions}');
    expect(await nativeScalar(`SELECT sum(n) FROM read_parquet('${parquet.path}')`)).toBe(expected);
    const kinds = await nativeScalar('SELECT count(DISTINCT admission_type) FROM {admissions}');
    expect(await nativeScalar(`SELECT count(*) FROM read_parquet('${parquet.path}')`)).toBe(kinds);
  });
});
