/**
 * Headless Chromium for the report tests: Debian's `chromium` driven by
 * playwright-core (never `playwright install`: no browser download), with
 * the flags that keep it off the network, and a page watcher that records
 * page errors, console errors (CSP violations are console errors) and every
 * request that is not the report file itself.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env['EVTRIAGE_CHROMIUM'] ?? '/usr/bin/chromium';

/** Whether the Debian chromium binary is installed (.ci/system-deps.sh installs it). */
export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface Watched {
  page: Page;
  pageErrors: string[];
  consoleErrors: string[];
  requests: string[];
}

/** Opens a local HTML file in a new page, recording errors and foreign requests. */
export async function openReport(
  browser: Browser,
  file: string,
  viewport = { width: 1360, height: 900 },
): Promise<Watched> {
  const page = await browser.newPage({ viewport });
  const url = pathToFileURL(file).href;
  const w: Watched = { page, pageErrors: [], consoleErrors: [], requests: [] };
  page.on('pageerror', (e) => w.pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') w.consoleErrors.push(m.text());
  });
  page.on('request', (r) => {
    if (r.url() !== url) w.requests.push(r.url());
  });
  await page.goto(url);
  await page.waitForSelector('html[data-items-ready], html[data-items-error]', { state: 'attached', timeout: 30_000 });
  return w;
}
