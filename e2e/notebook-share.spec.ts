import { makeChartCell, makeSqlCell } from '../src/notebook/model/cells';
import { newNotebook, type Notebook } from '../src/notebook/model/notebook';
import { shareFragment } from '../src/notebook/model/share';
import {
  cell,
  expect,
  openNotebook,
  runCell,
  runSql,
  setSql,
  test,
  trustNotebook,
  waitForEngine,
  waitForSaved,
} from './support/notebook';

/** A notebook someone else wrote: a lazy one, whose chart reads identifiers only an Admin may see. */
function identifiersNotebook(): Notebook {
  const nb = newNotebook('Gender mix');
  nb.id = 'gender-mix-e2e';
  nb.settings = { runMode: 'lazy' };
  nb.cells = [
    makeSqlCell('people', 'SELECT ssn, gender FROM synthea_patients'),
    makeChartCell({
      source: 'people',
      type: 'bar',
      x: 'gender',
      aggregate: 'count',
      title: 'People by gender',
      published: true,
    }),
  ];
  return nb;
}

test.describe('share link', () => {
  test('a notebook travels inside a link and opens in another browser', async ({
    page,
    browser,
    baseURL,
  }) => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await openNotebook(page);
    const title = page.getByRole('textbox', { name: 'Notebook title' });
    await title.fill('Readmissions for the ward meeting');
    await title.press('Enter');
    await setSql(page, 'cell_1', "SELECT 'shared ' || 42 AS greeting");
    await waitForSaved(page);

    await page.getByRole('button', { name: 'Share link' }).click();
    await expect(page.getByText(/Link copied/)).toBeVisible();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    const url = new URL(link);
    expect(url.origin).toBe(new URL(baseURL!).origin);
    // The notebook is in the fragment, which browsers never send to a server; nothing else carries it.
    expect(url.hash).toMatch(/^#\/share\/[A-Za-z0-9_-]+$/);
    expect(url.search).toBe('');
    expect(link).not.toContain('greeting');

    // A fresh browser profile: no storage shared with the first page.
    const other = await browser.newContext({ baseURL });
    try {
      const reader = await other.newPage();
      const sent: string[] = [];
      reader.on('request', (r) => sent.push(r.url()));
      await reader.goto(link);
      await waitForEngine(reader);
      await expect(reader.getByRole('textbox', { name: 'Notebook title' })).toHaveValue(
        'Readmissions for the ward meeting',
      );
      await expect(cell(reader, 'cell_1')).toContainText("SELECT 'shared ' || 42 AS greeting");
      await expect(reader.getByText(/Opened "Readmissions for the ward meeting"/)).toBeVisible();
      // The long link leaves the address bar once the notebook is kept in this browser.
      expect(new URL(reader.url()).hash).toBe('');
      await trustNotebook(reader);
      await runSql(reader, 'cell_1', "SELECT 'shared ' || 42 AS greeting");
      await expect(cell(reader, 'cell_1').getByRole('gridcell', { name: 'shared 42' })).toBeVisible();
      expect(sent.filter((u) => u.includes('#') || u.includes(url.hash.slice(8, 40)))).toEqual([]);
    } finally {
      await other.close();
    }
  });

  test('a link opened in a tab that shows Lakebook opens its notebook there', async ({ page }) => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await openNotebook(page);
    await setSql(page, 'cell_1', 'SELECT 1 AS from_the_link');
    await page.getByRole('button', { name: 'Share link' }).click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    await page.getByRole('button', { name: '+ New notebook' }).click();
    await expect(cell(page, 'cell_1')).not.toContainText('from_the_link');
    await page.goto(link);
    await expect(cell(page, 'cell_1')).toContainText('SELECT 1 AS from_the_link');
    expect(new URL(page.url()).hash).toBe('');
  });

  test("nothing in a link runs in the reader's name until the reader says so", async ({ page }) => {
    const link = shareFragment(identifiersNotebook());
    if (!link.ok) throw new Error(link.message);
    await openNotebook(page, 'Admin');
    await page.goto(`./${link.fragment}`);
    await expect(page.getByRole('textbox', { name: 'Notebook title' })).toHaveValue('Gender mix');
    const confirm = page.getByRole('button', { name: 'Run this notebook as Admin?' });
    await expect(confirm).toBeVisible();
    await expect(cell(page, 'people')).toContainText('SELECT ssn, gender FROM synthea_patients');

    const chart = page.getByRole('figure', { name: 'People by gender' });
    await expect(chart).toContainText('Not drawn: this notebook has not been confirmed to run yet.');
    await runCell(page, 'people');
    await expect(page.getByText(/Nothing ran: this notebook came from a link or a file/)).toBeVisible();
    // The engine is ready, so a chart that were allowed to query would have started by now.
    await page.waitForTimeout(1500);
    await expect(chart).toHaveAttribute('data-status', 'idle');
    await expect(cell(page, 'people').getByRole('grid')).toHaveCount(0);

    // The read-only view of the same notebook asks too, and draws nothing meanwhile.
    await page.goto('./#/view/gender-mix-e2e');
    const view = page.getByRole('main', { name: 'Published charts' });
    const viewChart = view.getByRole('figure', { name: 'People by gender' });
    await expect(viewChart).toContainText('Not drawn');
    await page.waitForTimeout(1500);
    await expect(viewChart).toHaveAttribute('data-status', 'idle');

    // The answer is kept with the notebook: once confirmed, it runs, now and after a reload.
    await view.getByRole('button', { name: 'Run this notebook as Admin?' }).click();
    await expect(viewChart).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    await page.reload();
    await expect(viewChart).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    await expect(page.getByRole('button', { name: /Run this notebook as/ })).toHaveCount(0);
  });

  test('a damaged link says so and opens nothing', async ({ page }) => {
    await openNotebook(page);
    await setSql(page, 'cell_1', 'SELECT 7 AS kept');
    await waitForSaved(page);
    // Pasted into the address bar of the open tab: only the fragment changes, the page is not reloaded.
    await page.goto('./#/share/eJzLSM3JyVc');
    await expect(page.getByRole('alert').filter({ hasText: /damaged or cut short/ })).toBeVisible();
    await expect(cell(page, 'cell_1')).toContainText('SELECT 7 AS kept');
  });
});
