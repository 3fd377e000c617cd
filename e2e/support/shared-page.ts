/**
 * One page for the tests of a serial `describe` block: the first test opens it, the next ones carry on in it
 * (a new notebook, another role chosen in the header) as a user would. A page load per test would spend most
 * of each test starting the engine. Requests to other origins are checked after each test, as the `test`
 * fixture does for a page of its own.
 */
import type { Browser, Page } from '@playwright/test';
import { openAs, switchRole } from './governance';
import { command, expect, test } from './notebook';

export function sharePage(): (browser: Browser, baseURL: string | undefined, role: string) => Promise<Page> {
  test.describe.configure({ mode: 'serial' });
  let shared: Page | undefined;
  const foreign: string[] = [];
  test.afterEach(() => expect(foreign, 'requests to other origins').toEqual([]));
  test.afterAll(async () => shared?.context().close());

  /** The shared page as `role`, on a new notebook with one empty SQL cell. */
  return async (browser, baseURL, role) => {
    if (shared) {
      await switchRole(shared, role);
      await command(shared, 'New notebook');
      await expect(shared.getByRole('region', { name: 'Cell cell_1' })).toBeVisible();
      return shared;
    }
    const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
    shared = await context.newPage();
    const own = new URL(baseURL!).origin;
    shared.on('request', (r) => {
      if (!/^(data|blob):/.test(r.url()) && new URL(r.url()).origin !== own) foreign.push(r.url());
    });
    await openAs(shared, role);
    return shared;
  };
}
