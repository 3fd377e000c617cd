import {
  cell,
  editor,
  expect,
  expectStatus,
  gridCell,
  openNotebook,
  runSql,
  setSql,
  test,
  waitForEngine,
  waitForSaved,
} from './support/notebook';

test.describe('what a cell says when it did not give a result', () => {
  test('a statement DuckDB cannot parse names the syntax error and where it is, not a refusal; a new chart draws the cell above it', async ({
    page,
  }) => {
    await openNotebook(page);
    await runSql(page, 'cell_1', 'SELEC 1', 'Error');
    const alert = cell(page, 'cell_1').getByRole('alert');
    await expect(alert).toContainText('Line 1, column 1');
    await expect(alert).toContainText('syntax error at or near "SELEC"');
    await expect(alert).not.toContainText('Rule:');

    await runSql(page, 'cell_1', 'SELECT 1 AS v');
    await page.getByRole('button', { name: '+ Chart cell' }).click();
    await expect(page.getByRole('combobox', { name: 'Source cell' })).toHaveValue('cell_1');
  });

  test('Run all skips the cells that read a denied cell, naming it, runs the others; a reload shows the result that was there and says what did not run', async ({
    page,
  }) => {
    await openNotebook(page, 'Public');
    await setSql(page, 'cell_1', 'SELECT ssn FROM synthea_patients');
    for (const [name, sql] of [
      ['cell_2', 'SELECT count(*) AS n FROM cell_1'],
      ['cell_3', 'SELECT * FROM cell_2'],
      ['cell_4', 'SELECT 42 AS answer'],
    ] as const) {
      await page.getByRole('button', { name: '+ SQL cell' }).click();
      await expect(editor(page, name)).toBeFocused();
      await page.keyboard.insertText(sql);
    }
    await page.getByRole('button', { name: 'Run all' }).click();
    await expectStatus(page, 'cell_1', 'Denied');
    await expectStatus(page, 'cell_2', 'Skipped');
    await expectStatus(page, 'cell_3', 'Skipped');
    await expectStatus(page, 'cell_4', 'Done');
    await expect(cell(page, 'cell_3')).toContainText('Skipped: it reads cell_1, which was denied.');

    await waitForSaved(page);
    await page.reload();
    // The cell that ran shows its last result again, said to be from the last run; the others did not run.
    const restored = cell(page, 'cell_4').getByText(/^From the last run, .+ · Run to refresh$/);
    await expectStatus(page, 'cell_4', 'Restored');
    await expect(gridCell(page, 'cell_4', 0, 0)).toHaveText('42');
    await expect(restored).toBeVisible();
    await waitForEngine(page);
    for (const name of ['cell_1', 'cell_2', 'cell_3']) await expectStatus(page, name, 'Not run yet');
    await expectStatus(page, 'cell_4', 'Restored');
    await cell(page, 'cell_4').getByRole('button', { name: 'Run cell' }).click();
    await expectStatus(page, 'cell_4', 'Done');
    await expect(restored).toHaveCount(0);
  });
});
