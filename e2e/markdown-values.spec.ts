import { makeMarkdownCell, makeSqlCell } from '../src/notebook/model/cells';
import { newNotebook, type Notebook } from '../src/notebook/model/notebook';
import { nativeScalar } from './support/lake-facts';
import { expect, expectStatus, gridCell, importNotebook, openNotebook, test } from './support/notebook';

/** A stated answer whose numbers come from a cell, and one from a cell only some roles may run. */
function answerNotebook(): Notebook {
  const nb = newNotebook('Stated answers');
  nb.id = 'stated-answers-e2e';
  nb.cells = [
    makeMarkdownCell(
      'Of **{{ stays.n | integer }}** Evergreen stays, {{ stays.long_share | percent:1 }} lasted over five days. ' +
        'Patients on record: {{ registry.n | integer }}.',
      true,
    ),
    makeSqlCell(
      'stays',
      '-- format: long_share percent:1\nSELECT count(*) AS n, avg((los_hours > 120)::INT) AS long_share FROM evergreen_admissions',
    ),
    makeSqlCell('registry', 'SELECT count(*) AS n FROM synthea_patients'),
  ];
  return nb;
}

test('Markdown states the numbers its cells computed, and shows a value the role may not see as withheld', async ({
  page,
}) => {
  const n = Number(await nativeScalar('SELECT count(*) FROM {evergreen_admissions}'));
  const share = Number(await nativeScalar('SELECT avg((los_hours > 120)::INT) FROM {evergreen_admissions}'));
  const patients = Number(await nativeScalar('SELECT count(*) FROM {synthea_patients}'));
  const text = (count: string, rest: string) => `Of ${count} Evergreen stays, ${rest}`;

  await openNotebook(page, 'DataAnalyst');
  await importNotebook(page, answerNotebook());
  await expect(page.getByText('[stays not run yet]').first()).toBeVisible();
  await page.getByRole('button', { name: 'Run all' }).click();
  await expectStatus(page, 'registry', 'Done');
  const expected = text(
    n.toLocaleString('en-US'),
    `${(share * 100).toFixed(1)}% lasted over five days. Patients on record: ${patients.toLocaleString('en-US')}.`,
  );
  await expect(page.getByText(expected)).toBeVisible();
  // The grid shows the column in the format the cell sets, the same text the Markdown states.
  await expect(gridCell(page, 'stays', 0, 1)).toHaveText(`${(share * 100).toFixed(1)}%`);

  // The read-only view runs the cells its text reads, under the reader's role: Public may not read either.
  await page.goto('./#/view/stated-answers-e2e');
  const view = page.getByRole('main', { name: 'Published charts' });
  await expect(view.getByText(expected)).toBeVisible({ timeout: 60_000 });
  await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('Public');
  await expect(view.getByText('[withheld: stays was denied for your role]')).toBeVisible({
    timeout: 120_000,
  });
  await expect(view.getByText('[withheld: registry was denied for your role]')).toBeVisible();
  await expect(view.getByText(n.toLocaleString('en-US'))).toHaveCount(0);
});
