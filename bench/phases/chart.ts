/**
 * (e) A line chart over every admission (length of stay against admit time). The notebook opens from a share
 * link holding a SQL cell and a chart cell that draws it; the chart aggregates in DuckDB (M4, on a grid of
 * at least 8 buckets per pixel column) for its width. The first drawing includes loading the table. Then:
 * - each run narrows the window: resize to the frame after the chart says it is done at the new width. The
 *   kept grid draws narrower widths, so these runs count the engine queries they needed (none expected);
 * - the window then widens beyond what the kept grid can draw, so the chart queries every row again: resize
 *   to the frame after "done", split into the engine's own time for the query (`elapsedMs`, guard
 *   included), and the rest (message, Arrow decode, reduction to the width, React, SVG, frame).
 * After each fresh drawing, "Zoom in" is clicked: click to the frame showing the window drawn from the
 * whole line's grid, and to the frame showing the window's own chart; "Reset zoom" then shows the whole line.
 * Marks are the points the chart reports (`data-points`), compared with the pixel width of the drawn line.
 */
import { ADMISSIONS } from '../lake/queries.ts';
import { newNotebook } from '../../src/notebook/model/notebook.ts';
import { makeChartCell, makeSqlCell } from '../../src/notebook/model/cells.ts';
import { shareFragment } from '../../src/notebook/model/share.ts';
import { runCell, waitForEngine } from '../browser/app-driver.ts';
import { instrumentApp, readProbe } from '../browser/app-instrument.ts';
import { freshPage } from '../browser/launch.ts';
import type { ChartFigures, Figure } from '../report/results.ts';
import { median } from '../report/stats.ts';
import type { Page } from '@playwright/test';

const PANEL = 'figure.chart-panel';
/** The SQL cell the chart draws. */
const SOURCE_CELL = 'stays';
/** A window this wide gives a plot whose grid is finer than the one drawn at the narrower sizes. */
const WIDE_VIEWPORT = 2400;

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
    const key = [status, panel.getAttribute('data-points'), panel.getAttribute('data-plot-width')].join('|');
    if (key === last) return;
    last = key;
    const points = Number(panel.getAttribute('data-points') || 0);
    log.states.push({ at: performance.now(), status, points });
    if (status === 'done' || status === 'refining') {
      const drawn = status === 'done' ? 'painted' : 'painted-coarse';
      requestAnimationFrame(() => log.states.push({ at: performance.now(), status: drawn, points }));
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status', 'data-points', 'data-plot-width'] });
})();`;

interface ChartLog {
  states: { at: number; status: string; points?: number }[];
  resizes: number[];
}

export function chartNotebookFragment(): string {
  const nb = newNotebook('Chart benchmark');
  nb.cells = [
    makeSqlCell(SOURCE_CELL, `SELECT admit_time, los_hours FROM ${ADMISSIONS}`),
    makeChartCell({
      source: SOURCE_CELL,
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
    // A notebook from a link runs nothing until the reader confirms it.
    await page.getByRole('button', { name: /^Run this notebook as / }).click({ timeout: 60_000 });
    const readLog = () => page.evaluate(() => (window as unknown as { __benchChart: ChartLog }).__benchChart);
    const painted = async (after: number, timeout: number) =>
      page.waitForFunction(
        (n) =>
          (window as unknown as { __benchChart: ChartLog }).__benchChart.states
            .slice(n)
            .find((s) => s.status === 'painted' || s.status === 'error'),
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
    await painted(0, 1_800_000).catch(async (e: Error) => {
      const states = (await readLog()).states.map((x) => x.status).join(', ');
      throw new Error(`no first drawing (${e.message.split('\n')[0]}); the chart's states: ${states}`);
    });
    if ((await readLog()).states.some((s) => s.status === 'error')) {
      throw new Error(`the chart failed: ${await page.locator(`${PANEL} [role=alert]`).textContent()}`);
    }
    const redraws: number[] = [];
    let queries = 0;
    for (let i = 0; i < runs; i++) {
      const run = await resizeAndWait(page, 1240 - 40 * i, painted, readLog);
      if (run.total !== undefined) redraws.push(run.total);
      queries += run.engine.length;
      log(`chart redraw ${i + 1}/${runs}: ${run.total?.toFixed(0)} ms, ${run.engine.length} engine queries`);
    }
    const { marks, pixelColumns } = await marksDrawn(page);
    log(`chart: ${marks} points over ${pixelColumns} px`);
    const wide = await resizeAndWait(page, WIDE_VIEWPORT, painted, readLog);
    const engineMs = wide.engine.reduce((a, b) => a + b, 0);
    log(
      `chart over a new grid: ${wide.total?.toFixed(0)} ms, of which ${engineMs.toFixed(0)} ms in ${wide.engine.length} engine queries`,
    );
    const afresh: FreshDraw[] = [];
    const zooms: ZoomDraw[] = [];
    for (let i = 0; i < runs; i++) {
      const run = await freshDraw(page, readLog);
      afresh.push(run);
      log(
        `chart drawn afresh ${i + 1}/${runs}: coarse on screen ${run.coarse?.toFixed(0) ?? '–'} ms (${run.coarseMarks ?? '?'} marks), exact ${run.exact.toFixed(0)} ms, ${run.queries} engine queries`,
      );
      const zoom = await zoomDraw(page, readLog);
      zooms.push(zoom);
      log(
        `chart zoomed in ${i + 1}/${runs}: drawn from the whole line ${zoom.preview?.toFixed(0) ?? '–'} ms (${zoom.previewMarks ?? '?'} marks), exact ${zoom.exact.toFixed(0)} ms`,
      );
    }
    const one = (v: number): Figure => ({ runs: [v], median: v });
    const figure = (vs: (number | undefined)[]): Figure | undefined => {
      const known = vs.filter((v): v is number => v !== undefined);
      return known.length > 0 ? { runs: known, median: median(known) } : undefined;
    };
    const freshCoarse = figure(afresh.map((f) => f.coarse));
    const coarseMarks = afresh.map((f) => f.coarseMarks).filter((v): v is number => v !== undefined);
    const zoomPreview = figure(zooms.map((z) => z.preview));
    const previewMarks = zooms.map((z) => z.previewMarks).filter((v): v is number => v !== undefined);
    const plotWidth = Number(await page.locator(PANEL).getAttribute('data-plot-width'));
    return {
      rows,
      ...(redraws.length > 0 ? { queryAndRender: { runs: redraws, median: median(redraws) } } : {}),
      redrawQueries: queries,
      ...(wide.total !== undefined && wide.engine.length > 0
        ? {
            newGrid: {
              total: one(wide.total),
              engine: one(engineMs),
              ...(wide.settle !== undefined ? { settle: one(wide.settle) } : {}),
              ...(wide.render !== undefined ? { render: one(wide.render) } : {}),
              ...(wide.coarse !== undefined ? { coarse: one(wide.coarse) } : {}),
              plotWidth: Number(await page.locator(PANEL).getAttribute('data-plot-width')),
            },
          }
        : {}),
      marks,
      pixelColumns,
      fresh: {
        ...(freshCoarse ? { coarse: freshCoarse } : {}),
        exact: figure(afresh.map((f) => f.exact))!,
        ...(coarseMarks.length > 0 ? { coarseMarks: Math.max(...coarseMarks) } : {}),
        plotWidth,
        queries: median(afresh.map((f) => f.queries)),
      },
      zoom: {
        ...(zoomPreview ? { preview: zoomPreview } : {}),
        exact: figure(zooms.map((z) => z.exact))!,
        ...(previewMarks.length > 0 ? { previewMarks: Math.max(...previewMarks) } : {}),
        plotWidth,
      },
    };
  } finally {
    await fresh.close();
  }
}

type Painted = (after: number, timeout: number) => Promise<unknown>;

/**
 * Sets the window width and waits for the chart's next drawing: total from the resize event to the frame
 * after "done"; the engine time (`elapsedMs`) of each query answered in between; the wait for the size to
 * settle (resize to "running"); and from the last answer to the frame (decode, reduction, React, SVG).
 */
async function resizeAndWait(
  page: Page,
  width: number,
  painted: Painted,
  readLog: () => Promise<ChartLog>,
): Promise<{ total?: number; engine: number[]; settle?: number; render?: number; coarse?: number }> {
  const before = (await readLog()).states.length;
  const answered = (await readProbe(page)).results.length;
  await page.setViewportSize({ width, height: 800 });
  await painted(before, 600_000);
  const after = await readLog();
  const resizeAt = after.resizes.at(-1) ?? 0;
  if (after.states.slice(before).some((s) => s.status === 'error')) {
    const message = await page.locator(`${PANEL} [role=alert]`).textContent();
    throw new Error(`the chart failed at a window ${width} px wide: ${message ?? 'no message'}`);
  }
  const done = after.states.slice(before).find((s) => s.status === 'painted');
  const answers = (await readProbe(page)).results
    .slice(answered)
    .filter((r) => r.at >= resizeAt && (!done || r.at <= done.at));
  const started = after.states.slice(before).find((s) => s.status === 'running');
  const coarse = after.states.slice(before).find((s) => s.status === 'painted-coarse');
  const lastAnswer = answers.at(-1);
  return {
    coarse: coarse ? coarse.at - resizeAt : undefined,
    total: done ? done.at - resizeAt : undefined,
    engine: answers.map((r) => r.elapsedMs ?? 0),
    settle: started ? started.at - resizeAt : undefined,
    render: done && lastAnswer ? done.at - lastAnswer.at : undefined,
  };
}

interface FreshDraw {
  /** The chart's start to the frame showing its coarse drawing. */
  coarse?: number;
  /** The chart's start to the frame showing the exact chart. */
  exact: number;
  coarseMarks?: number;
  /** Engine queries from the chart's start to the exact chart (its source's own run not counted). */
  queries: number;
}

/**
 * Runs the source cell again, so the chart starts afresh over the same loaded table: nothing kept, not even
 * the source's columns and row count. Times from the chart's start (its last "running" before it drew) to the
 * frame after its coarse drawing ("refining") and to the frame after the exact one ("done").
 */
async function freshDraw(page: Page, readLog: () => Promise<ChartLog>): Promise<FreshDraw> {
  const before = (await readLog()).states.length;
  const answered = (await readProbe(page)).results.length;
  await runCell(page, SOURCE_CELL);
  const states = await nextDrawing(page, readLog, before, 'the chart');
  const done = states.findIndex((s) => s.status === 'painted');
  const refining = states.findIndex((s) => s.status === 'refining');
  const drawnFirst = refining >= 0 && refining < done ? refining : done;
  const start = states.slice(0, drawnFirst).findLast((s) => s.status === 'running');
  if (!start) throw new Error('the chart drew afresh without saying it was running');
  const coarse = states.find((s) => s.status === 'painted-coarse');
  const answers = (await readProbe(page)).results
    .slice(answered)
    .filter((r) => r.at >= start.at && r.at <= states[done]!.at);
  return {
    coarse: coarse && refining < done ? coarse.at - start.at : undefined,
    exact: states[done]!.at - start.at,
    coarseMarks: refining >= 0 ? states[refining]!.points : undefined,
    queries: answers.length,
  };
}

/** Waits for the chart's next exact drawing after log entry `before`: the states since, or its failure. */
async function nextDrawing(
  page: Page,
  readLog: () => Promise<ChartLog>,
  before: number,
  what: string,
): Promise<ChartLog['states']> {
  await page.waitForFunction(
    (n) =>
      (window as unknown as { __benchChart: ChartLog }).__benchChart.states
        .slice(n)
        .find((s) => s.status === 'painted' || s.status === 'error'),
    before,
    { timeout: 600_000, polling: 100 },
  );
  const states = (await readLog()).states.slice(before);
  if (states.some((s) => s.status === 'error')) {
    throw new Error(`${what} failed: ${await page.locator(`${PANEL} [role=alert]`).textContent()}`);
  }
  return states;
}

interface ZoomDraw {
  /** The click to the frame showing the window drawn from the whole line's grid. */
  preview?: number;
  /** The click to the frame showing the window's own chart. */
  exact: number;
  previewMarks?: number;
}

/** Clicks "Zoom in" and times the window's two drawings, then shows the whole line again. */
async function zoomDraw(page: Page, readLog: () => Promise<ChartLog>): Promise<ZoomDraw> {
  const before = (await readLog()).states.length;
  const panel = page.locator(PANEL);
  const clickedAt = await panel
    .getByRole('button', { name: 'Zoom in' })
    .evaluate((b: HTMLButtonElement) => (b.click(), performance.now()));
  const states = await nextDrawing(page, readLog, before, 'the zoomed chart');
  const preview = states.find((s) => s.status === 'painted-coarse');
  const refining = states.find((s) => s.status === 'refining');
  const done = states.find((s) => s.status === 'painted')!;
  await panel.getByRole('button', { name: 'Reset zoom' }).click();
  await page.waitForFunction(
    (sel) => {
      const f = document.querySelector(sel);
      return f?.getAttribute('data-status') === 'done' && !f.textContent?.includes('Zoomed to');
    },
    PANEL,
    { timeout: 600_000, polling: 100 },
  );
  return {
    preview: preview && preview.at < done.at ? preview.at - clickedAt : undefined,
    exact: done.at - clickedAt,
    previewMarks: refining?.points,
  };
}

/** Points the chart reports and the pixel width of its drawn line. */
async function marksDrawn(page: Page): Promise<{ marks: number; pixelColumns: number }> {
  const marks = Number(await page.locator(PANEL).getAttribute('data-points'));
  const pixelColumns = Math.round(
    await page.evaluate(
      (sel) =>
        document.querySelector(sel)?.querySelector('.recharts-line-curve')?.getBoundingClientRect().width ??
        0,
      PANEL,
    ),
  );
  return { marks, pixelColumns };
}
