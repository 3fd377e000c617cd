/**
 * (d) A 1M-row result in the notebook: click to the frame showing the grid, then scripted scrolling with the
 * gap between animation frames recorded (a steady fast scroll, then jumps across the whole result as a
 * scrollbar drag does), and the page's JS heap afterwards.
 */
import type { Page } from '@playwright/test';
import { FIRST_CELL, openApp, runSql } from '../browser/app-driver.ts';
import { usedJsHeap } from '../browser/launch.ts';
import { WIDE_RESULT_QUERY } from '../lake/queries.ts';
import type { GridFigures } from '../report/results.ts';
import { median } from '../report/stats.ts';

const STEADY_FRAMES = 240;
const STEADY_STEP_PX = 600;
const JUMP_FRAMES = 60;

/** Runs in the page as text (see paint-watch.ts for why): returns the frame gaps in ms. */
function scrollScript(selector: string): string {
  return `(async () => {
    const el = document.querySelector(${JSON.stringify(selector)});
    if (!el) throw new Error('no result grid to scroll');
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const gaps = [];
    let last = await frame();
    const max = el.scrollHeight - el.clientHeight;
    let seed = 12345;
    for (let i = 0; i < ${STEADY_FRAMES + JUMP_FRAMES}; i++) {
      if (i < ${STEADY_FRAMES}) el.scrollTop = Math.min(max, el.scrollTop + ${STEADY_STEP_PX});
      else {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        el.scrollTop = Math.floor((seed / 2147483648) * max);
      }
      const now = await frame();
      gaps.push(now - last);
      last = now;
    }
    return gaps;
  })()`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function oneRun(page: Page) {
  const run = await runSql(page, FIRST_CELL, WIDE_RESULT_QUERY.sql);
  if (run.status !== 'Done') throw new Error(`the cell ended as ${run.status}`);
  const selector = `[role="grid"][aria-label="Result of ${FIRST_CELL}"]`;
  await page.locator(selector).waitFor();
  const gaps = (await page.evaluate(scrollScript(selector))) as number[];
  return { run, gaps, heap: await usedJsHeap(page) };
}

export async function measureGrid(
  origin: string,
  runs: number,
  log: (s: string) => void,
): Promise<GridFigures> {
  const paint: number[] = [];
  const worst: number[] = [];
  const p95: number[] = [];
  const worstSteady: number[] = [];
  const worstJump: number[] = [];
  const engine: number[] = [];
  const heap: number[] = [];
  const out: GridFigures = {};
  for (let i = 0; i < runs; i++) {
    const session = await openApp(origin);
    try {
      // A fresh page per run; the first query loads every column, so the timed one does not include the load.
      const warm = await runSql(session.page, FIRST_CELL, WIDE_RESULT_QUERY.sql);
      if (warm.status !== 'Done') throw new Error(`the cell ended as ${warm.status}`);
      const r = await oneRun(session.page);
      paint.push(r.run.uiMs);
      worst.push(Math.max(...r.gaps));
      worstSteady.push(Math.max(...r.gaps.slice(0, STEADY_FRAMES)));
      worstJump.push(Math.max(...r.gaps.slice(STEADY_FRAMES)));
      p95.push(percentile(r.gaps, 0.95));
      if (r.run.worker?.elapsedMs !== undefined) engine.push(r.run.worker.elapsedMs);
      if (r.heap !== undefined) heap.push(r.heap);
      out.rows = r.run.worker?.rowCount;
      out.truncated = r.run.worker?.truncated;
      out.frames = r.gaps.length;
      log(
        `grid ${i + 1}/${runs}: paint ${r.run.uiMs.toFixed(0)} ms, worst frame ${Math.max(...r.gaps).toFixed(1)} ms`,
      );
    } finally {
      await session.fresh.close();
    }
  }
  const fig = (v: number[]) => (v.length > 0 ? { runs: v, median: median(v) } : undefined);
  return {
    ...out,
    ...(fig(paint) ? { firstPaint: fig(paint) } : {}),
    ...(fig(worst) ? { worstFrame: fig(worst) } : {}),
    ...(fig(p95) ? { p95Frame: fig(p95) } : {}),
    ...(fig(worstSteady) ? { worstSteadyFrame: fig(worstSteady) } : {}),
    ...(fig(worstJump) ? { worstJumpFrame: fig(worstJump) } : {}),
    ...(fig(engine) ? { engine: fig(engine) } : {}),
    ...(fig(heap) ? { heapAfterBytes: fig(heap) } : {}),
  };
}
