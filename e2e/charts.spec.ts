import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { makeChartCell, makeMarkdownCell, makeSqlCell } from '../src/notebook/model/cells';
import { newNotebook, type Notebook } from '../src/notebook/model/notebook';
import { switchRole } from './support/governance';
import { expect, importNotebook, openNotebook, runCell, test } from './support/notebook';

/** One SQL cell over the Evergreen admissions and a chart cell of every type drawn from it. */
const CHARTS: Record<string, Record<string, unknown>> = {
  'Mean length of stay by week': {
    type: 'line',
    x: 'admit_time',
    y: 'los_hours',
    aggregate: 'avg',
    timeUnit: 'week',
    yTitle: 'Hours',
    unit: 'h',
    marks: [{ axis: 'x', value: '2025-03-01', label: 'Fast-Track rule' }],
  },
  'Admissions per month': { type: 'area', x: 'admit_time', aggregate: 'count', timeUnit: 'month' },
  'Long stays by ward (grouped)': { type: 'bar', x: 'ward', series: 'long_stay', aggregate: 'count' },
  'Long stays by ward (stacked)': {
    type: 'bar',
    barMode: 'stacked',
    x: 'ward',
    series: 'long_stay',
    aggregate: 'count',
  },
  'Length of stay against admission time': { type: 'scatter', x: 'admit_time', y: 'los_hours' },
  'Distribution of length of stay': { type: 'histogram', x: 'los_hours', bins: 40, yFormat: 'integer' },
  'Share of long stays, latest month': {
    type: 'kpi',
    x: 'admit_time',
    y: 'long_stay',
    aggregate: 'rate',
    timeUnit: 'month',
    yFormat: 'percent',
    decimals: 1,
  },
  'Mean stay by ward, with its 95% interval': {
    source: 'ward_means',
    type: 'bar',
    x: 'ward',
    y: 'mean_hours',
    aggregate: 'avg',
    interval: { low: 'ci_low', high: 'ci_high' },
  },
  'Mean stay by week, with its 95% interval': {
    source: 'weekly_means',
    type: 'line',
    x: 'week',
    y: 'mean_hours',
    interval: { low: 'ci_low', high: 'ci_high' },
  },
};

function chartNotebook(): Notebook {
  const nb = newNotebook('Chart gallery');
  nb.cells = [
    makeMarkdownCell('# Chart gallery'),
    makeSqlCell(
      'stays',
      'SELECT ward, admit_time, los_hours, los_hours > 120 AS long_stay FROM evergreen_admissions',
    ),
    ...Object.entries(CHARTS).map(([title, c]) => makeChartCell({ source: 'stays', title, ...c })),
    // Last, so that the charts above keep the places their screenshots were taken at.
    makeSqlCell(
      'ward_means',
      `SELECT ward, avg(los_hours) AS mean_hours,
         avg(los_hours) - 1.96 * stddev(los_hours) / sqrt(count(*)) AS ci_low,
         avg(los_hours) + 1.96 * stddev(los_hours) / sqrt(count(*)) AS ci_high
       FROM stays GROUP BY ward`,
    ),
    makeSqlCell(
      'weekly_means',
      `SELECT date_trunc('week', admit_time) AS week, avg(los_hours) AS mean_hours,
         avg(los_hours) - 1.96 * stddev(los_hours) / sqrt(count(*)) AS ci_low,
         avg(los_hours) + 1.96 * stddev(los_hours) / sqrt(count(*)) AS ci_high
       FROM stays GROUP BY 1`,
    ),
  ];
  return nb;
}

const figure = (page: Page, title: string) => page.getByRole('figure', { name: title, exact: true });

async function drawn(page: Page, title: string) {
  const f = figure(page, title);
  await f.scrollIntoViewIfNeeded();
  await expect(f).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  return f;
}

test.describe('charts', () => {
  test.beforeEach(async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await openNotebook(page, 'DataAnalyst');
    await importNotebook(page, chartNotebook());
    await page.getByRole('button', { name: 'Dismiss message' }).click();
  });

  test('every chart type draws from a SQL cell, with few marks, and looks as it should', async ({ page }) => {
    for (const [title, c] of Object.entries(CHARTS)) {
      const f = await drawn(page, title);
      await page.mouse.move(0, 0);
      const points = Number(await f.getAttribute('data-points'));
      expect(points, title).toBeGreaterThan(0);
      // Never more than a few points per pixel column, whatever the rows behind them.
      const width = (await f.boundingBox())!.width;
      expect(points, title).toBeLessThanOrEqual(4 * width * 2);
      if (c.marks) await expect(f.getByText('Fast-Track rule')).toBeVisible();
      if (c.type === 'kpi') await expect(f.getByText(/%/).first()).toBeVisible();
      else await expect(f.locator('.recharts-wrapper > svg.recharts-surface')).toBeVisible();
      if (c.interval && c.type === 'bar') {
        // One error bar per ward's bar.
        const bars = await f.locator('.recharts-bar-rectangle').count();
        expect(bars, title).toBeGreaterThan(1);
        await expect(f.locator('.recharts-errorBar'), title).toHaveCount(bars);
        continue;
      }
      if (c.interval) {
        // The line, and the band of its interval around it.
        await expect(f.locator('.recharts-line-curve'), title).toHaveCount(1);
        await expect(f.locator('.recharts-area-area'), title).toHaveCount(1);
        continue;
      }
      await expect(f).toHaveScreenshot(`chart-${c.type}${c.barMode ? `-${c.barMode}` : ''}.png`, {
        maxDiffPixelRatio: 0.01,
      });
    }
  });

  test('a chart offers its data as a table and as CSV, and itself as SVG and PNG', async ({ page }) => {
    const f = await drawn(page, 'Long stays by ward (grouped)');
    await f.getByRole('button', { name: 'Show data table' }).click();
    const table = f.getByRole('table');
    await expect(table.getByRole('columnheader')).toHaveText(['long_stay', 'ward', 'rows']);
    const rowCount = await table.getByRole('row').count();
    expect(rowCount).toBeGreaterThan(2);

    const csvDownload = page.waitForEvent('download');
    await f.getByRole('button', { name: 'Download CSV' }).click();
    const csv = await readFile(await (await csvDownload).path(), 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('long_stay,ward,rows');
    expect(lines.length).toBe(rowCount);

    const svgDownload = page.waitForEvent('download');
    await f.getByRole('button', { name: 'Download SVG' }).click();
    const svg = await readFile(await (await svgDownload).path(), 'utf8');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<title>Long stays by ward (grouped)</title>');
    expect(svg).not.toContain('var(--');

    const pngDownload = page.waitForEvent('download');
    await f.getByRole('button', { name: 'Download PNG' }).click();
    const png = await readFile(await (await pngDownload).path());
    expect([...png.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
  });

  test('a chart further down draws only once it comes into view', async ({ page }) => {
    const last = figure(page, 'Mean stay by week, with its 95% interval');
    await expect(figure(page, Object.keys(CHARTS)[0]!)).toHaveAttribute('data-status', 'done', {
      timeout: 90_000,
    });
    await expect(last).toHaveAttribute('data-status', 'idle');
    await expect(last.getByText('Drawn when scrolled into view.')).toBeAttached();
    await drawn(page, 'Mean stay by week, with its 95% interval');
  });

  test('the settings form changes the chart, and the change is kept in the notebook', async ({ page }) => {
    const f = await drawn(page, 'Long stays by ward (grouped)');
    const cell = page.getByRole('region').filter({ has: f });
    await cell.getByRole('button', { name: 'Chart settings' }).click();
    const form = cell.getByRole('form', { name: 'Chart settings' });
    await form.getByRole('combobox', { name: 'Bars', exact: true }).selectOption('stacked');
    await form.getByRole('textbox', { name: 'Title', exact: true }).fill('Stays by ward');
    await expect(figure(page, 'Stays by ward')).toHaveAttribute('data-status', 'done');
    await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved');
    await page.reload();
    await drawn(page, 'Stays by ward');
  });

  test('a chart drawn again keeps its drawing, hidden, until the new one, but never a drawing of the role before', async ({
    page,
  }) => {
    const title = 'Mean length of stay by week';
    await drawn(page, title);
    // Every state of the figure, noted as it changes: its status and whether a plot is mounted, hidden or shown.
    await figure(page, title).evaluate((f) => {
      const log: { status: string; hidden: boolean; shown: boolean; switched: boolean }[] = [];
      const w = window as unknown as { chartLog: typeof log; switched: boolean };
      w.chartLog = log;
      w.switched = false;
      const note = () =>
        log.push({
          status: f.getAttribute('data-status') ?? '',
          hidden: f.querySelector('.chart-plot[aria-hidden="true"]') !== null,
          shown: f.querySelector('.chart-plot:not([aria-hidden])') !== null,
          switched: w.switched,
        });
      new MutationObserver(note).observe(f, { subtree: true, childList: true, attributes: true });
    });
    const log = () =>
      page.evaluate(
        () =>
          (
            window as unknown as {
              chartLog: { status: string; hidden: boolean; shown: boolean; switched: boolean }[];
            }
          ).chartLog,
      );

    await runCell(page, 'stays');
    await expect(figure(page, title)).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await expect.poll(async () => (await log()).some((e) => e.status === 'running')).toBe(true);
    const redraw = await log();
    expect(redraw.filter((e) => e.status === 'running').every((e) => e.hidden && !e.shown)).toBe(true);

    await page.evaluate(() => ((window as unknown as { switched: boolean }).switched = true));
    await switchRole(page, 'Clinician');
    await expect(figure(page, title)).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    const after = (await log()).filter((e) => e.switched);
    expect(after.length).toBeGreaterThan(0);
    expect(after.some((e) => e.hidden)).toBe(false);
  });

  test('a line zooms and pans, by buttons or by a drag across it, and shows the whole line again', async ({
    page,
  }) => {
    const title = 'Mean length of stay by week';
    const f = await drawn(page, title);
    const caption = f.locator('figcaption');
    const ticks = () =>
      f.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents();
    const whole = await ticks();
    const points = Number(await f.getAttribute('data-points'));
    await expect(f.getByRole('button', { name: 'Reset zoom' })).toBeDisabled();
    await expect(f.getByRole('button', { name: 'Pan left' })).toBeDisabled();

    await f.getByRole('button', { name: 'Zoom in' }).click();
    await expect(caption).toContainText('Zoomed to');
    await expect(f).toHaveAttribute('data-status', 'done');
    const half = Number(await f.getAttribute('data-points'));
    expect(half).toBeLessThan(points);
    expect(half).toBeGreaterThan(points / 4);
    expect(await ticks()).not.toEqual(whole);
    // The rule's date lies in the window's middle half, so its mark is still drawn.
    await expect(f.getByText('Fast-Track rule')).toBeVisible();

    const zoomed = await caption.textContent();
    await f.getByRole('button', { name: 'Pan left' }).click();
    await expect(caption).not.toHaveText(zoomed ?? '');
    await expect(f).toHaveAttribute('data-status', 'done');
    await f.getByRole('button', { name: 'Pan right' }).click();
    await expect(caption).toHaveText(zoomed ?? '');

    // A drag across a third of the plot shows that third.
    const box = (await f.locator('.recharts-cartesian-grid').boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width / 3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, y, { steps: 5 });
    await expect(f.locator('.chart-pick')).toBeVisible();
    await page.mouse.move(box.x + (2 * box.width) / 3, y, { steps: 5 });
    await page.mouse.up();
    await expect(caption).not.toHaveText(zoomed ?? '');
    await expect(f).toHaveAttribute('data-status', 'done');
    expect(Number(await f.getAttribute('data-points'))).toBeLessThan(half);

    await f.locator('.chart-plot').dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
    await expect(caption).not.toContainText('Zoomed to');
    await expect(f).toHaveAttribute('data-status', 'done');
    expect(Number(await f.getAttribute('data-points'))).toBe(points);
    expect(await ticks()).toEqual(whole);
    await expect(f.getByRole('button', { name: 'Reset zoom' })).toBeDisabled();

    // With the plot focused, keys do the same: + zooms in, Shift with an arrow pans, 0 shows the whole line.
    await f.locator('.recharts-surface').focus();
    await page.keyboard.press('+');
    await expect(caption).toContainText('Zoomed to');
    const byKey = await caption.textContent();
    await page.keyboard.press('Shift+ArrowLeft');
    await expect(caption).not.toHaveText(byKey ?? '');
    await expect(f.getByRole('button', { name: 'Pan right' })).toBeEnabled();
    await page.keyboard.press('0');
    await expect(caption).not.toContainText('Zoomed to');
    await expect(f).toHaveAttribute('data-status', 'done');
    expect(await ticks()).toEqual(whole);

    // A zoom is the reader's view of one run: a new run of the source shows the whole line again.
    await f.getByRole('button', { name: 'Zoom in' }).click();
    await expect(caption).toContainText('Zoomed to');
    await runCell(page, 'stays');
    await expect(caption).not.toContainText('Zoomed to');
    await expect.poll(ticks, { timeout: 60_000 }).toEqual(whole);
    await expect(f).toHaveAttribute('data-status', 'done');
  });

  test('charts follow the dark theme', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const f = await drawn(page, 'Distribution of length of stay');
    const fill = await f.locator('.recharts-bar-rectangle path').first().getAttribute('fill');
    expect(fill).toBe('#4aa3ff');
  });
});
