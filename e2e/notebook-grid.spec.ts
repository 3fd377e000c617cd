import { cell, expect, grid, gridCell, openNotebook, runSql, test } from './support/notebook';

test.describe('result grid', () => {
  test('is sized to its result: one row takes one row, and values are not cut', async ({ page }) => {
    await openNotebook(page);
    await runSql(
      page,
      'cell_1',
      "SELECT 42 AS n, TIMESTAMP '2026-03-01 12:34:56.789' AS at, 'Surgical same-day admission' AS kind",
    );
    const box = (await grid(page, 'cell_1').boundingBox())!;
    expect(box.height).toBeLessThan(100);
    for (const col of [1, 2]) {
      const cut = await gridCell(page, 'cell_1', 0, col).evaluate((el) => el.scrollWidth > el.clientWidth);
      expect(cut, `column ${col}`).toBe(false);
    }
  });

  test("a number column's format is chosen at its header, kept in the cell, and needs no re-run", async ({
    page,
  }) => {
    await openNotebook(page);
    await runSql(page, 'cell_1', 'SELECT 0.1234 AS rate, 1234567 AS stays');
    const result = grid(page, 'cell_1');
    await result.getByRole('combobox', { name: 'Format of rate' }).selectOption({ label: '12.3%' });
    await result.getByRole('combobox', { name: 'Format of stays' }).selectOption('compact');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText('12.3%');
    await expect(gridCell(page, 'cell_1', 0, 1)).toHaveText('1.2M');
    await expect(cell(page, 'cell_1').locator('.view-lines')).toContainText(
      '-- format: rate percent:1, stays compact',
    );
    await expect(cell(page, 'cell_1').getByText('Out of date: run again')).toHaveCount(0);

    await result.getByRole('combobox', { name: 'Format of rate' }).selectOption('auto');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText('0.1234');
    await expect(cell(page, 'cell_1').locator('.view-lines')).toContainText('-- format: stays compact');
  });

  test('a million-row result reaches its last row, by keyboard and by scrolling', async ({ page }) => {
    await openNotebook(page);
    await runSql(
      page,
      'cell_1',
      "SELECT range AS i, range * 2 AS twice, 'row ' || range AS label FROM range(1000000)",
    );
    await expect(cell(page, 'cell_1').getByText('1,000,000 rows')).toBeVisible();
    const result = grid(page, 'cell_1');
    await expect(result).toHaveAttribute('aria-rowcount', '1000001');

    // The body the browser lays out stays far below what it can handle, whatever the row count.
    const height = await result.evaluate((el) => el.scrollHeight);
    expect(height).toBeLessThan(16_000_000);

    await gridCell(page, 'cell_1', 0, 0).click();
    await page.keyboard.press('ControlOrMeta+End');
    await expect(gridCell(page, 'cell_1', 999_999, 0)).toHaveText('999999');
    await expect(gridCell(page, 'cell_1', 999_999, 2)).toHaveText('row 999999');
    await expect(gridCell(page, 'cell_1', 999_999, 0)).toHaveAttribute('aria-selected', 'true');
    await expect(gridCell(page, 'cell_1', 999_999, 0)).toBeInViewport();

    await page.keyboard.press('ControlOrMeta+Home');
    await expect(gridCell(page, 'cell_1', 0, 0)).toHaveText('0');

    // Dragging the scroll bar to the very end, as a mouse would.
    await result.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(gridCell(page, 'cell_1', 999_999, 0)).toHaveText('999999');
    await expect(gridCell(page, 'cell_1', 999_999, 0)).toBeInViewport();

    // Half way down shows the rows half way through the result.
    await result.evaluate((el) => el.scrollTo({ top: (el.scrollHeight - el.clientHeight) / 2 }));
    const middleRow = async () =>
      Number(await grid(page, 'cell_1').getByRole('row').nth(10).getAttribute('aria-rowindex')) - 2;
    // Before this scroll the grid showed the last rows: wait for the re-render, then check where it landed.
    await expect.poll(middleRow).toBeLessThan(600_000);
    expect(await middleRow()).toBeGreaterThan(400_000);

    // A new result starts at its top, with nothing selected.
    await gridCell(page, 'cell_1', await middleRow(), 1).click();
    await runSql(page, 'cell_1', "SELECT range AS i, 'next ' || range AS label FROM range(500000)");
    await expect(cell(page, 'cell_1').getByText('500,000 rows')).toBeVisible();
    await expect(gridCell(page, 'cell_1', 0, 1)).toHaveText('next 0');
    await expect(gridCell(page, 'cell_1', 0, 1)).toBeInViewport();
    await expect(result.locator('[aria-selected="true"]')).toHaveCount(0);
  });

  test('a cell and a selection are copied as text, tab-separated', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await openNotebook(page);
    await runSql(
      page,
      'cell_1',
      "SELECT * FROM (VALUES (1, 'a', NULL), (2, '', 'x'), (3, 'c', 'y')) t(n, s, z) ORDER BY n",
    );
    await expect(cell(page, 'cell_1').getByText('3 rows')).toBeVisible();
    await expect(gridCell(page, 'cell_1', 0, 2)).toHaveText('NULL');

    await gridCell(page, 'cell_1', 2, 1).click();
    await page.keyboard.press('ControlOrMeta+C');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('c');

    await gridCell(page, 'cell_1', 1, 1).click();
    await page.keyboard.press('ControlOrMeta+C');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('');

    await gridCell(page, 'cell_1', 0, 0).click();
    await gridCell(page, 'cell_1', 1, 2).click({ modifiers: ['Shift'] });
    await expect(gridCell(page, 'cell_1', 1, 1)).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ControlOrMeta+C');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('1\ta\t\n2\t\tx');

    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('ControlOrMeta+C');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('1\ta\t\n2\t\tx\n3\tc\ty');
  });
});
