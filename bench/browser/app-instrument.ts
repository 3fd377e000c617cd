/**
 * Instruments the notebook page without changing it, via an init script:
 * - every Worker the page creates gets one more message listener, which notes query results (elapsedMs,
 *   guardMs, rowCount, truncated) and load-progress messages, with the page time they arrived;
 * - a capture-phase click listener notes when a "Run cell" button was clicked;
 * - a MutationObserver notes every change of a cell's status (`role=status`, `aria-label="Cell x: Done"`),
 *   and for a final status also the next animation frame, i.e. the frame that shows it.
 * Passed as text because functions would be serialised from the TypeScript loader's output.
 */
import type { Page } from '@playwright/test';

export interface WorkerResult {
  at: number;
  elapsedMs?: number;
  guardMs?: number;
  guardReused?: boolean;
  rowCount?: number;
  truncated?: boolean;
}

export interface WorkerProgress {
  at: number;
  phase: string;
  name?: string;
  done: number;
  total: number;
}

export interface StatusChange {
  at: number;
  cell: string;
  status: string;
  /** True for the animation frame after a final status (Done, Error, Denied) appeared. */
  painted?: boolean;
}

export interface BenchProbe {
  results: WorkerResult[];
  progress: WorkerProgress[];
  statuses: StatusChange[];
  clicks: number[];
}

const SCRIPT = `(() => {
  const probe = { results: [], progress: [], statuses: [], clicks: [] };
  window.__benchProbe = probe;
  const Native = window.Worker;
  if (Native) {
    window.Worker = class extends Native {
      constructor(url, options) {
        super(url, options);
        this.addEventListener('message', (event) => {
          const at = performance.now();
          const data = event.data;
          if (!data || typeof data !== 'object') return;
          if (data.progress) {
            const p = data.progress;
            probe.progress.push({ at, phase: p.phase, name: p.name, done: p.done, total: p.total });
          } else if (data.ok && data.value && data.value.ipc) {
            const v = data.value;
            probe.results.push({ at, elapsedMs: v.elapsedMs, guardMs: v.guardMs, guardReused: v.guardReused, rowCount: v.rowCount, truncated: v.truncated });
          }
        });
      }
    };
  }
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (button && button.getAttribute('aria-label') === 'Run cell') probe.clicks.push(performance.now());
  }, true);
  const last = new Map();
  const FINAL = /: (Done|Error|Denied)$/;
  const scan = () => {
    for (const el of document.querySelectorAll('[role="status"][aria-label^="Cell "]')) {
      const label = el.getAttribute('aria-label');
      const m = /^Cell (.+): (.+)$/.exec(label);
      if (!m || last.get(el) === label) continue;
      last.set(el, label);
      const at = performance.now();
      probe.statuses.push({ at, cell: m[1], status: m[2] });
      if (FINAL.test(label)) {
        requestAnimationFrame(() => probe.statuses.push({ at: performance.now(), cell: m[1], status: m[2], painted: true }));
      }
    }
  };
  const start = () => new MutationObserver(scan).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  start();
})();`;

export async function instrumentApp(page: Page): Promise<void> {
  await page.addInitScript({ content: SCRIPT });
}

export async function readProbe(page: Page): Promise<BenchProbe> {
  return page.evaluate(() => (window as unknown as { __benchProbe: BenchProbe }).__benchProbe);
}
