import type { Locator, Page } from '@playwright/test';
import { makeChartCell, makeMarkdownCell, makeSqlCell } from '../src/notebook/model/cells';
import { newNotebook, type Notebook } from '../src/notebook/model/notebook';
import { expect, importNotebook, openNotebook, test, waitForSaved } from './support/notebook';

const SECRET_SQL = 'SELECT careunit AS ward, intime FROM transfers WHERE careunit IS NOT NULL';

/** A notebook with one published chart and its published explanation, an unpublished chart and note, and SQL. */
function wardNotebook(): Notebook {
  const nb = newNotebook('Ward review');
  nb.id = 'ward-review-e2e';
  nb.cells = [
    makeMarkdownCell('## Stays per ward\n\nEach bar counts the stays (transfers) of one care unit.', true),
    makeSqlCell('stays', SECRET_SQL),
    makeChartCell({
      source: 'stays',
      type: 'bar',
      x: 'ward',
      aggregate: 'count',
      topN: 40,
      title: 'Stays per ward',
      published: true,
    }),
    makeMarkdownCell('Internal note: not for the view.'),
    makeChartCell({ source: 'stays', type: 'histogram', x: 'intime', title: 'Unpublished histogram' }),
  ];
  return nb;
}

/** The published chart's data table as [ward, count] pairs. */
async function wardCounts(chart: Locator): Promise<string[][]> {
  await expect(chart).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  const toggle = chart.getByRole('button', { name: /data table/ });
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  const rows = chart.getByRole('table').getByRole('row');
  await expect(rows.first()).toBeVisible();
  const cells = await rows.evaluateAll((trs) =>
    trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
  );
  return cells;
}

async function switchRole(page: Page, role: string) {
  await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption(role);
  await expect(page.getByText(`Shown for the ${role} role`)).toBeVisible({ timeout: 120_000 });
}

test('the read-only view shows published charts without code, and each role sees only its data', async ({
  page,
}) => {
  await openNotebook(page, 'DataAnalyst');
  await importNotebook(page, wardNotebook());
  await page.goto('./#/view/ward-review-e2e');

  const view = page.getByRole('main', { name: 'Published charts' });
  const chart = view.getByRole('figure', { name: 'Stays per ward', exact: true });
  await expect(view.getByRole('heading', { name: 'Stays per ward' }).first()).toBeVisible();
  await expect(view.getByText('Each bar counts the stays (transfers) of one care unit.')).toBeVisible();
  await expect(view.getByText('Internal note')).toHaveCount(0);
  await expect(view.getByRole('figure', { name: 'Unpublished histogram' })).toHaveCount(0);
  await expect(page.getByText(SECRET_SQL)).toHaveCount(0);
  await expect(page.getByRole('textbox')).toHaveCount(0);

  const analyst = await wardCounts(chart);
  await expect(chart.getByText(/Data as of \d+ \w+ \d{4}/)).toBeVisible();
  await expect(chart.getByText(/^Your rows only/)).toHaveCount(0);
  await expect(chart.getByText(/Sources: transfers \(/)).toBeVisible();
  expect(analyst.length).toBeGreaterThan(1);

  await switchRole(page, 'Clinician');
  const clinician = await wardCounts(chart);
  // A figure that is the reader's own slice says so, with the attributes it was cut by.
  await expect(chart.getByText(/^Your rows only \(wards: .+\): transfers on own wards$/)).toBeVisible();
  // The clinician's engine holds only the stays of their own wards: fewer wards, none of the others' counts.
  expect(clinician.length).toBeGreaterThan(0);
  expect(clinician.length).toBeLessThan(analyst.length);
  const analystWards = new Map(analyst.map(([w, n]) => [w, n]));
  for (const [ward, n] of clinician) expect(analystWards.get(ward)).toBe(n);
  expect(new Set(clinician.map(([w]) => w))).not.toEqual(new Set(analyst.map(([w]) => w)));

  await switchRole(page, 'DataAnalyst');
  expect(await wardCounts(chart)).toEqual(analyst);
});

test('a notebook that is not in this browser says so', async ({ page }) => {
  await openNotebook(page, 'DataAnalyst');
  await page.goto('./#/view/no-such-notebook');
  await expect(page.getByText('This notebook is not saved in this browser.')).toBeVisible();
});

test('a Markdown cell is in the read-only view exactly while it is published', async ({ page }) => {
  await openNotebook(page, 'DataAnalyst');
  const nb = newNotebook('Discharge notes');
  nb.id = 'discharge-notes-e2e';
  nb.cells = [
    makeMarkdownCell('## Before you read\n\nCompare each ward with its own previous year.'),
    makeSqlCell('stays', SECRET_SQL),
  ];
  await importNotebook(page, nb);

  const note = page.getByRole('region', { name: 'Markdown cell 1' });
  const publish = note.getByRole('checkbox', { name: 'Publish in read-only view' });
  await expect(publish).not.toBeChecked();
  await publish.check();
  await waitForSaved(page);
  await note.getByRole('link', { name: 'Open read-only view' }).click();

  const view = page.getByRole('main', { name: 'Published charts' });
  const shown = async () => {
    await expect(view.getByRole('heading', { name: 'Before you read' })).toBeVisible();
    await expect(view.getByText('Compare each ward with its own previous year.')).toBeVisible();
    await expect(page.getByText(SECRET_SQL)).toHaveCount(0);
  };
  await shown();
  // The choice was saved with the notebook: a fresh page shows the same view.
  await page.reload();
  await shown();

  await page.getByRole('link', { name: 'Open the notebook' }).click();
  await expect(publish).toBeChecked();
  await publish.uncheck();
  await waitForSaved(page);
  await page.goto('./#/view/discharge-notes-e2e');
  await expect(
    view.getByText(/Nothing is published .* In a chart cell or a Markdown cell, tick/),
  ).toBeVisible();
  await expect(view.getByRole('heading', { name: 'Before you read' })).toHaveCount(0);
  await expect(view.getByText('Compare each ward with its own previous year.')).toHaveCount(0);
});

test('Markdown stays inside its cell and shows where links to other sites lead', async ({ page }) => {
  await openNotebook(page, 'DataAnalyst');
  const nb = newNotebook('Phishing attempt');
  nb.id = 'phishing-e2e';
  nb.cells = [
    makeMarkdownCell(
      'Please read.\n\n<a href="https://evil.example/login" class="notice" style="position:fixed;inset:0;z-index:2147483647;background:#fff;font-size:48px">Your session expired, sign in again</a>',
      true,
    ),
  ];
  await importNotebook(page, nb);

  const check = async (scope: Locator) => {
    const link = scope.getByRole('link', { name: 'Your session expired, sign in again (evil.example)' });
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(link).not.toHaveAttribute('style');
    await expect(link).not.toHaveAttribute('class');
    const box = (await link.boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.width * box.height).toBeLessThan((viewport.width * viewport.height) / 4);
    // The page's own controls are not covered: a click would reach them.
    await page.getByRole('combobox', { name: 'Role', exact: true }).click({ trial: true, timeout: 2000 });
  };
  await check(page.getByRole('region', { name: 'Markdown cell 1' }));
  await page.goto('./#/view/phishing-e2e');
  await check(page.getByRole('main', { name: 'Published charts' }));
});
