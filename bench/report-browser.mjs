/**
 * How the HTML report behaves with many items in a real browser (Debian
 * chromium via playwright-core): time until the embedded rows are decoded
 * and the first page is shown, then the time a status filter, a path search
 * and a sort take to update the table, and the page's JS heap.
 *
 *   node bench/convert.mjs --formats html --keep     # writes bench/.data/convert/out-100000.html
 *   node bench/report-browser.mjs [bench/.data/convert/out-100000.html]
 */
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.resolve(process.argv[2] ?? path.join(here, '.data', 'convert', 'out-100000.html'));
const browser = await chromium.launch({
  executablePath: process.env.EVTRIAGE_CHROMIUM ?? '/usr/bin/chromium',
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
const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
const t = Date.now();
await page.goto(pathToFileURL(file).href);
await page.waitForFunction(() => document.documentElement.hasAttribute('data-items-ready'), null, { timeout: 120_000 });
const ready = Date.now() - t;
const items = await page.getAttribute('html', 'data-items-ready');
const timed = async (label, act) => {
  // The table changed when the count line or the first row did (a sort keeps the count).
  const probe = () =>
    document.getElementById('items-count').textContent +
    '|' +
    (document.querySelector('#items-body tr')?.textContent ?? '');
  const before = await page.evaluate(probe);
  const t0 = Date.now();
  await act();
  await page.waitForFunction(
    (b) =>
      document.getElementById('items-count').textContent +
        '|' +
        (document.querySelector('#items-body tr')?.textContent ?? '') !==
      b,
    before,
    { timeout: 60_000, polling: 10 },
  );
  return {
    step: label,
    inPageMs: Number(await page.getAttribute('html', 'data-update-ms')),
    roundTripMs: Date.now() - t0,
    shows: await page.textContent('#items-count'),
  };
};
const steps = [];
steps.push(await timed('status = encrypted', () => page.selectOption('#f-status', 'encrypted')));
steps.push(await timed('search "app17"', () => page.fill('#f-q', 'app17')));
steps.push(await timed('clear filters', () => page.click('#f-reset')));
steps.push(await timed('sort by size', () => page.click('#items th[data-sort="size"] button')));
steps.push(await timed('last page', () => page.click('#p-last')));
const heap = await page.evaluate(() =>
  performance.memory ? Math.round(performance.memory.usedJSHeapSize / 2 ** 20) : null,
);
console.log(
  `${path.basename(file)}: ${items} items ready in ${ready} ms; JS heap ${heap} MiB; page errors: ${errors.length}`,
);
console.log('(the search step includes the 120 ms typing debounce)');
console.table(steps);
await browser.close();
