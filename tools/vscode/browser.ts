// Debian's chromium driven by playwright-core, kept offline: quiet launch flags, and every request
// that is not for this machine is aborted before it leaves.
import { chromium } from 'playwright-core';
import { locateTools } from './installedTools';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const quietFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Headless unless INKLING_HEADED is set (for watching a UI test locally). Playwright gives it a fresh profile. */
export async function launchBrowser(executablePath: string = locateTools().chromium): Promise<Browser> {
  return chromium.launch({ executablePath, headless: !process.env.INKLING_HEADED, args: quietFlags });
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Called with the page's console messages (workbench errors show up here). */
  onConsole?: (text: string) => void;
}

/** A page in a fresh context whose non-loopback requests fail at once. */
export async function openPage(browser: Browser, options: PageOptions = {}): Promise<Page> {
  const context: BrowserContext = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    return loopbackHosts.has(url.hostname) ? route.continue() : route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  if (options.onConsole) {
    const onConsole = options.onConsole;
    page.on('console', (message) => onConsole(`[${message.type()}] ${message.text()}`));
  }
  return page;
}
