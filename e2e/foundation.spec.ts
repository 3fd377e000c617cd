import type { Page } from '@playwright/test';
import { nativeScalar } from './support/lake-facts';
import {
  cell,
  expect,
  expectStatus,
  gridCell,
  openNotebook,
  runCell,
  runSql,
  setSql,
  test,
} from './support/notebook';

/**
 * The lake's catalog as a larger lake's would read: one table the tests do not query counts two million
 * rows, so the role's view passes the million rows from which the engine asks for DuckDB's threads.
 */
async function asIfLarge(page: Page): Promise<void> {
  await page.route(/\/catalog\.json$/, async (route) => {
    const response = await route.fetch();
    const catalog = (await response.json()) as { tables: { name: string; rowCount: number }[] };
    for (const t of catalog.tables) if (t.name === 'd_icd_diagnoses') t.rowCount = 2_000_000;
    await route.fulfill({ response, json: catalog });
  });
}

test.describe('foundation', () => {
  test('the page loads, the engine starts and counts the admissions', async ({ page }) => {
    await openNotebook(page);
    const expected = await nativeScalar('SELECT count(*) FROM {admissions}');
    await runSql(page, 'cell_1', 'SELECT count(*) AS n FROM admissions');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText(expected);
    expect(expected).toBe('275');
  });

  test('a join of admissions and patients returns what native DuckDB returns', async ({ page }) => {
    const expected = await nativeScalar(
      'SELECT count(*) FROM {admissions} a JOIN {patients} p USING (subject_id)',
    );
    await openNotebook(page);
    await runSql(page, 'cell_1', 'SELECT count(*) AS n FROM admissions a JOIN patients p USING (subject_id)');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText(expected);
  });

  test("a syntax error shows DuckDB's message at the cell", async ({ page }) => {
    await openNotebook(page);
    await setSql(page, 'cell_1', 'SELECT count(*) FROM admissions WHERE');
    await runCell(page, 'cell_1');
    await expectStatus(page, 'cell_1', 'Error');
    await expect(cell(page, 'cell_1').getByRole('alert')).toContainText(/syntax error/i);
  });

  test('a long query is cancelled and the engine stays usable', async ({ page }) => {
    await openNotebook(page);
    await setSql(page, 'cell_1', 'SELECT sum(x % 7) AS s FROM range(100000000000) t(x)');
    await runCell(page, 'cell_1');
    await expectStatus(page, 'cell_1', 'Running');
    await cell(page, 'cell_1').getByRole('button', { name: 'Cancel query' }).click();
    await expectStatus(page, 'cell_1', 'Error', 5_000);
    await expect(cell(page, 'cell_1').getByRole('alert')).toContainText(/cancel/i);
    await runSql(page, 'cell_1', 'SELECT 40 + 2 AS answer');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText('42');
  });

  test('a lake under a million rows runs on one DuckDB thread', async ({ page }) => {
    await openNotebook(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(page.getByText(/Engine ready/)).toHaveText(/· 1 thread$/);
  });

  test('a larger lake on a cross-origin-isolated page runs on every core, at least three threads, and a cancelled statement leaves it usable', async ({
    page,
  }) => {
    await asIfLarge(page);
    await openNotebook(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const threads = Math.max(3, await page.evaluate(() => navigator.hardwareConcurrency));
    await expect(page.getByText(/Engine ready/)).toHaveText(new RegExp(`· ${threads} threads$`));
    const expected = await nativeScalar('SELECT count(DISTINCT subject_id) FROM {admissions}');
    await runSql(page, 'cell_1', 'SELECT count(DISTINCT subject_id) AS n FROM admissions');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText(expected);
    // Stopped mid-flight, a threaded statement keeps DuckDB's threads busy: the engine moves to a new instance.
    await setSql(page, 'cell_1', 'SELECT sum(x % 7) AS s FROM range(100000000000) t(x)');
    await runCell(page, 'cell_1');
    await expectStatus(page, 'cell_1', 'Running');
    await cell(page, 'cell_1').getByRole('button', { name: 'Cancel query' }).click();
    await expectStatus(page, 'cell_1', 'Error', 5_000);
    await runSql(page, 'cell_1', 'SELECT count(DISTINCT subject_id) AS n FROM admissions');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText(expected, { timeout: 30_000 });
  });

  test('a host that does not isolate the page gets one thread, and answers the same', async ({ page }) => {
    // The page's own headers decide isolation: served without them, as many static hosts serve files.
    await page.route(/\/(index\.html)?$/, async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
    await asIfLarge(page);
    await openNotebook(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await expect(page.getByText(/Engine ready/)).toHaveText(/· 1 thread$/);
    const expected = await nativeScalar('SELECT count(DISTINCT subject_id) FROM {admissions}');
    await runSql(page, 'cell_1', 'SELECT count(DISTINCT subject_id) AS n FROM admissions');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText(expected);
  });
});
