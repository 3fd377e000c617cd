/**
 * (e) A line chart over every admission (length of stay against admit time). The notebook opens from a share
 * link holding a SQL cell and a chart cell that draws it; the chart aggregates in DuckDB (M4) for its width.
 * The first drawing includes loading the table; each measured run then narrows the window, which makes the
 * chart query again for the new width: resize to the frame after the chart says it is done. Marks are the
 * points the chart reports (`data-points`), compared with the pixel width of the drawn line.
 */
import { ADMISSIONS } from '../lake/queries.ts';
import { newNotebook } from '../../src/notebook/model/notebook.ts';
import { makeChartCell, makeSqlCell } from '../../src/notebook/model/cells.ts';
import { shareFragment } from '../../src/notebook/model/share.ts';
import { waitForEngine } from '../browser/app-driver.ts';
import { instrumentApp } from '../browser/app-instrument.ts';
import { freshPage } from '../browser/launch.ts';
import type { ChartFigures } from '../report/results.ts';
import { median } from '../report/stats.ts';

const PANEL = 'figure.chart-panel';

/** Notes each change of the chart's status, the frame after "done", and each window resize (as text, see paint-watch.ts). */
const WATCH = `(() => {
  const log = { states: [], resizes: [] };
  window.__benchChart = log;
  window.addEventListener('resize', () => log.resizes.push(performance.now()));
  let last = '';
  new MutationObserver(() => {
    const panel = document.querySelector(${JSON.stringify(PANEL)});
    if (!panel) return;
    const status = panel.getAttribute('data-status') || '';
    const key = status + '|' + (panel.getAttribute('data-points') || '');
    if (key === last) return;
    last = key;
    log.states.push({ at: performance.now(), status });
    if (status === 'done') {
      requestAnimationFrame(() => log.states.push({ at: performance.now(), status: 'painted' }));
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status', 'data-points'] });
})();`;

interface ChartLog {
  states: { at: number; status: string }[];
  resizes: number[];
}

export function chartNotebookFragment(): string {
  const nb = newNotebook('Chart benchmark');
  nb.cells = [
    makeSqlCell('stays', `SELECT admit_time, los_hours FROM ${ADMISSIONS}`),
    makeChartCell({
      source: 'stays',
      type: 'line',
      x: 'admit_time',
      y: 'los_hours',
      title: 'Length of stay',
    }),
  ];
  const link = shareFragment(nb);
  if (!link.ok) throw new Error(link.message);
  return link.fragment;
}

export async function measureChart(
  origin: string,
  rows: number,
  runs: number,
  log: (s: string) => void,
): Promise<ChartFigures> {
  const fresh = await freshPage();
  try {
    const page = fresh.page;
    await instrumentApp(page);
    await page.addInitScript({ content: WATCH });
    await page.goto(`${origin}/${chartNotebookFragment()}`);
    await waitForEngine(page, 180_000);
    const readLog = () => page.evaluate(() => (window as unknown as { __benchChart: ChartLog }).__benchChart);
    const painted = async (after: number, timeout: number) =>
      page.waitForFunction(
        (n) =>
          (window as unknown as { __benchChart: ChartLog }).__benchChart.states
            .slice(n)
            .find((s) => s.status === 'painted'),
        after,
        { timeout, polling: 100 },
      );
    if ((await page.locator(PANEL).count()) === 0) {
      await page
        .locator(PANEL)
        .waitFor({ timeout: 30_000 })
        .catch(() => undefined);
    }
    if ((await page.locator(PANEL).count()) === 0) {
      return { rows, problem: 'not yet measured: the notebook shows no chart drawing for a chart cell yet' };
    }
    // The first drawing loads the table (minutes at 10M rows on a busy machine).
    await painted(0, 900_000);
    const times: number[] = [];
    let marks = 0;
    let pixelColumns = 0;
    for (let i = 0; i < runs; i++) {
      const before = (await readLog()).states.length;
      await page.setViewportSize({ width: 1240 - 40 * i, height: 800 });
      await painted(before, 120_000);
      const after = await readLog();
      const resizeAt = after.resizes.at(-1) ?? 0;
      const done = after.states.slice(before).find((s) => s.status === 'painted');
      if (done) times.push(done.at - resizeAt);
      marks = Number(await page.locator(PANEL).getAttribute('data-points'));
      pixelColumns = Math.round(
        await page.evaluate(
          (sel) =>
            document.querySelector(sel)?.querySelector('.recharts-line-curve')?.getBoundingClientRect()
              .width ?? 0,
          PANEL,
        ),
      );
      log(`chart ${i + 1}/${runs}: ${times.at(-1)?.toFixed(0)} ms, ${marks} points over ${pixelColumns} px`);
    }
    return {
      rows,
      ...(times.length > 0 ? { queryAndRender: { runs: times, median: median(times) } } : {}),
      marks,
      pixelColumns,
    };
  } finally {
    await fresh.close();
  }
}
