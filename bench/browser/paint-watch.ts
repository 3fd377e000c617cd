/**
 * "On screen" the same way for every page: an init script looks at the DOM once per animation frame, and
 * in the first frame where an element matching the selector contains the marker text it records
 * performance.now(), i.e. ms since navigation started. The check is a querySelectorAll per frame, too
 * small to slow either page down.
 */
import type { Page } from '@playwright/test';

declare global {
  interface Window {
    __benchFirstMatchAt?: number;
  }
}

/**
 * Passed as text: a function would be serialised from the TypeScript loader's output, which may wrap named
 * functions in helpers that do not exist in the page.
 */
export async function recordFirstMatch(page: Page, selector: string, marker: string): Promise<void> {
  await page.addInitScript({
    content: `(() => {
      const selector = ${JSON.stringify(selector)};
      const marker = ${JSON.stringify(marker)};
      const frame = () => {
        for (const el of document.querySelectorAll(selector)) {
          if (el.textContent && el.textContent.includes(marker)) {
            window.__benchFirstMatchAt = performance.now();
            return;
          }
        }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    })();`,
  });
}

export async function firstMatchAt(page: Page, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction(() => window.__benchFirstMatchAt, undefined, {
    timeout: timeoutMs,
    polling: 50,
  });
  return Number(await handle.jsonValue());
}
