/** Headless Chromium as every benchmark run gets it: a fresh temporary profile per launch, no background traffic. */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--enable-precise-memory-info',
];

export function chromiumPath(): string {
  return process.env.LAKEBOOK_CHROMIUM ?? '/usr/bin/chromium';
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}

export interface FreshPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Hosts other than 127.0.0.1 the page tried to reach (the app must reach none). */
  foreignRequests: string[];
  close(): Promise<void>;
}

/** A new browser (so a new, empty profile and HTTP cache) with one 1280x800 page. */
export async function freshPage(): Promise<FreshPage> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const foreignRequests: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol.startsWith('http') && url.hostname !== '127.0.0.1') foreignRequests.push(r.url());
  });
  return { browser, context, page, foreignRequests, close: () => browser.close() };
}

/** performance.now() of the page (ms since its navigation started). */
export function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

/** JS heap of the page's main thread (needs --enable-precise-memory-info), in bytes. */
export function usedJsHeap(page: Page): Promise<number | undefined> {
  return page.evaluate(
    () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize,
  );
}
