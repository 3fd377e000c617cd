/**
 * Watches the notebook for the first-answer phase without changing it, via an init script that runs again
 * on every navigation of the page (so a reload starts a new record on the new page's clock):
 * - the first animation frame in which the header says "Engine ready";
 * - the first frame in which the result grid of the named cell shows a cell with text, whatever put it
 *   there (a run, or results the app kept from before the reload);
 * - with `runAllWhenReady`, a click on "Run all" in the first frame where the engine is ready and the
 *   named cell is on screen, idle and without a result (the shipped notebook does not run on open);
 * - a role switch: the page time of the Role combobox's change, and the first frame after it in which
 *   the header says "Engine ready" again after it had stopped saying so.
 * Passed as text because functions would be serialised from the TypeScript loader's output.
 */
import type { Page } from '@playwright/test';

export interface FirstAnswerMarks {
  readyAt?: number;
  gridAt?: number;
  /** When the script clicked "Run all"; absent when the grid was on screen first or the cell ran by itself. */
  runAllAt?: number;
  switchAt?: number;
  switchReadyAt?: number;
  switchFailed?: string;
}

declare global {
  interface Window {
    __firstAnswer?: FirstAnswerMarks;
  }
}

export async function watchFirstAnswer(page: Page, cell: string, runAllWhenReady: boolean): Promise<void> {
  await page.addInitScript({
    content: `(() => {
      const cell = ${JSON.stringify(cell)};
      const runAllWhenReady = ${JSON.stringify(runAllWhenReady)};
      const marks = {};
      window.__firstAnswer = marks;
      const toolbar = () => document.querySelector('[role="toolbar"][aria-label="Notebook actions"]');
      const ready = () => (toolbar()?.textContent ?? '').includes('Engine ready');
      const gridShown = () => {
        const grid = document.querySelector('[role="grid"][aria-label="Result of ' + cell + '"]');
        if (!grid) return false;
        for (const c of grid.querySelectorAll('[role="gridcell"]')) if (c.textContent) return true;
        return false;
      };
      const cellIdle = () => {
        const s = document.querySelector('[role="status"][aria-label^="Cell ' + cell + ': "]');
        return s !== null && !/: (Running|Queued|Done)/.test(s.getAttribute('aria-label'));
      };
      let readyGone = false;
      new MutationObserver(() => {
        if (marks.switchAt !== undefined && marks.switchReadyAt === undefined && !ready()) readyGone = true;
      }).observe(document, { subtree: true, childList: true, characterData: true });
      document.addEventListener('change', (event) => {
        const t = event.target;
        if (t instanceof HTMLSelectElement && t.getAttribute('aria-label') === 'Role') {
          marks.switchAt = performance.now();
          marks.switchReadyAt = undefined;
          marks.switchFailed = undefined;
          readyGone = false;
        }
      }, true);
      const frame = () => {
        const at = performance.now();
        const isReady = ready();
        if (marks.readyAt === undefined && isReady) marks.readyAt = at;
        if (marks.gridAt === undefined && gridShown()) marks.gridAt = at;
        if (runAllWhenReady && isReady && marks.runAllAt === undefined && marks.gridAt === undefined && cellIdle()) {
          const button = [...(toolbar()?.querySelectorAll('button') ?? [])].find((b) => b.textContent === 'Run all');
          if (button) {
            marks.runAllAt = performance.now();
            button.click();
          }
        }
        if (marks.switchAt !== undefined && marks.switchReadyAt === undefined) {
          if (!isReady) readyGone = true;
          else if (readyGone) marks.switchReadyAt = at;
          const failed = (toolbar()?.textContent ?? '').match(/Engine failed: .*/);
          if (failed) marks.switchFailed = failed[0];
        }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    })();`,
  });
}

export async function readMarks(page: Page): Promise<FirstAnswerMarks> {
  return page.evaluate(() => ({ ...window.__firstAnswer }));
}

/** Waits until the page has recorded the mark (or a failed role switch), and returns the marks. */
export async function waitForMark(
  page: Page,
  mark: keyof FirstAnswerMarks,
  timeoutMs: number,
): Promise<FirstAnswerMarks> {
  await page.waitForFunction(
    (m) => {
      const marks = window.__firstAnswer;
      return marks !== undefined && (marks[m] !== undefined || marks.switchFailed !== undefined);
    },
    mark,
    { timeout: timeoutMs, polling: 50 },
  );
  const marks = await readMarks(page);
  if (marks.switchFailed) throw new Error(marks.switchFailed);
  return marks;
}
