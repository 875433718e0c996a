/**
 * The HTML report in a real browser (Debian chromium via playwright-core):
 * the report of a generated scan opens with no page error, no CSP violation
 * and no network request; the totals it shows match the manifest; filters
 * and search narrow the item table; a screenshot is saved for people to look
 * at (test/report/__screenshots__/, git-ignored). The compressed embedding
 * (gzip + base64, used for big scans) loads the same rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHtmlWriter,
  readManifest,
  type EvidenceItem,
  type ManifestHeader,
  type ManifestSummary,
} from '@evtriage/core';
import { endStream } from '@evtriage/core/internal';
import { runCli } from '../helpers/cli.js';
import { CHROMIUM, hasChromium, launchChromium, openReport } from './browser.js';
import { makeReportTree } from './make-tree.js';

const SHOTS = path.join(import.meta.dirname, '__screenshots__');
let tree: string;
let out: string;
let manifest: string;
let report: string;
let header: ManifestHeader;
let summary: ManifestSummary;
const items: EvidenceItem[] = [];
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium()) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (bash .ci/system-deps.sh)`);
  tree = makeReportTree();
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'evt-report-out-'));
  manifest = path.join(out, 'manifest.json');
  report = path.join(out, 'report.html');
  const args = ['--hash', 'md5,sha256', '--case-id', 'CASE-2026-0042', '--examiner', 'J. Doe', '-q'];
  const a = await runCli(['scan', tree, '-o', manifest, ...args]);
  expect(a.stderr).toBe('');
  const b = await runCli(['report', manifest, '-o', report, '-q']);
  expect(b.stderr).toBe('');
  expect(b.code).toBe(0);
  for await (const rec of readManifest(manifest)) {
    if (rec.type === 'header') header = rec.header;
    else if (rec.type === 'summary') summary = rec.summary;
    else items.push(rec.item);
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  fs.rmSync(tree, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});

describe('HTML report in Chromium', () => {
  it('opens with no page error, no CSP violation and no network request, and shows the manifest totals', async () => {
    const w = await openReport(browser, report);
    const { page } = w;
    expect(await page.getAttribute('html', 'data-items-ready')).toBe(String(items.length));
    expect(await page.title()).toContain('CASE-2026-0042');
    await expect(page.locator('header.top').textContent()).resolves.toContain('J. Doe');
    for (const [status, t] of Object.entries(summary.byStatus)) {
      const row = page.locator(`#status-table tr[data-status="${status}"]`);
      expect(Number(await row.locator('td[data-count]').getAttribute('data-count'))).toBe(t.count);
      expect(Number(await row.locator('td[data-bytes]').getAttribute('data-bytes'))).toBe(t.bytes);
      expect((await row.locator('td[data-count]').textContent())?.replace(/,/g, '')).toBe(String(t.count));
      // The counts the manifest summary gives are the counts of its items.
      expect(items.filter((i) => i.classification.status === status).length).toBe(t.count);
      expect(await page.locator(`.card [data-status-count="${status}"]`).textContent()).toBe(
        t.count.toLocaleString('en'),
      );
    }
    expect(await page.locator('#items-count').textContent()).toContain(`of ${items.length} matching items`);
    // One page of rows is in the DOM, one row per item here (fewer than a page).
    expect(await page.locator('#items-body tr').count()).toBe(items.length);
    // Hostile names are shown as text: markup in a path is not markup in the page.
    expect(await page.locator('#items-body .path', { hasText: '<b>markup</b> & "quotes".txt' }).count()).toBe(1);
    expect(await page.locator('#items-body b').count()).toBe(0);
    // Encrypted section: the WhatsApp backup is listed with its scheme.
    const encrypted = items.filter((i) => i.classification.status === 'encrypted');
    expect(encrypted.length).toBeGreaterThan(0);
    for (const g of summary.encrypted)
      await expect(page.locator('#encrypted-schemes').textContent()).resolves.toContain(g.scheme);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'report-full.png'), fullPage: true });
    await page.screenshot({ path: path.join(SHOTS, 'report-first-screen.png') });
    expect(w.pageErrors).toEqual([]);
    expect(w.consoleErrors).toEqual([]);
    expect(w.requests).toEqual([]);
    await page.close();
  });

  it('filters by status, app and format, searches by path, and is usable from the keyboard', async () => {
    const w = await openReport(browser, report);
    const { page } = w;
    const count = async () => (await page.locator('#items-count').textContent()) ?? '';
    await page.selectOption('#f-status', 'encrypted');
    const nEnc = items.filter((i) => i.classification.status === 'encrypted').length;
    expect(await count()).toContain(`of ${nEnc} matching item`);
    const statuses = await page.locator('#items-body .st').allTextContents();
    expect(statuses.length).toBe(nEnc);
    expect(new Set(statuses)).toEqual(new Set(['encrypted']));
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.locator('#items').screenshot({ path: path.join(SHOTS, 'report-items-encrypted.png') });

    await page.click('#f-reset');
    // Search by path, typed from the keyboard (case-insensitive substring).
    await page.focus('#f-q');
    await page.keyboard.type('WhatsApp');
    const nWa = items.filter((i) => i.path.toLowerCase().includes('whatsapp')).length;
    expect(nWa).toBeGreaterThan(0);
    await expect.poll(count).toContain(`of ${nWa} matching item`);
    const shown = await page.locator('#items-body .path').allTextContents();
    expect(shown.every((p) => p.toLowerCase().includes('whatsapp'))).toBe(true);

    await page.click('#f-reset');
    const fmt = summary.formats[0]!;
    await page.selectOption('#f-format', fmt.id);
    expect(await count()).toContain(`of ${fmt.count} matching item`);

    await page.click('#f-reset');
    if (summary.apps.length > 0) {
      const app = summary.apps[0]!;
      await page.selectOption('#f-app', app.id);
      expect(await count()).toContain(`of ${items.filter((i) => i.app?.id === app.id).length} matching item`);
    }
    // Sorting by size (largest first) through the column header button, with aria-sort kept in step.
    await page.click('#f-reset');
    await page.click('#items th[data-sort="size"] button');
    expect(await page.getAttribute('#items th[data-sort="size"]', 'aria-sort')).toBe('descending');
    const biggest = [...items].sort((a, b) => b.size - a.size)[0]!;
    expect(await page.locator('#items-body tr').first().locator('.path').textContent()).toBe(biggest.path);
    // Every control has an accessible name.
    for (const id of ['f-q', 'f-status', 'f-app', 'f-format', 'f-errors', 'p-size']) {
      expect(await page.locator(`label[for="${id}"]`).count()).toBe(1);
    }
    expect(w.pageErrors).toEqual([]);
    expect(w.requests).toEqual([]);
    await page.close();
  });

  it('leads the encrypted section with the items whose key is present, and filters the item table to them', async () => {
    const w = await openReport(browser, report);
    const { page } = w;
    const present = items.filter(
      (i) => i.classification.status === 'encrypted' && i.encryption?.keyHint?.present === 'yes',
    );
    expect(present.length).toBeGreaterThan(0);
    // The key-present table comes before the full scheme table and lists those items' paths.
    const tables = page.locator('#encrypted table');
    const order: Array<string | null> = [];
    for (let i = 0; i < (await tables.count()); i++) order.push(await tables.nth(i).getAttribute('id'));
    expect(order.slice(0, 2)).toEqual(['encrypted-key-present', 'encrypted-schemes']);
    const listed = await page.locator('#encrypted-key-present .path').allTextContents();
    for (const i of present) expect(listed).toContain(i.path);
    // The filter.
    await page.check('#f-key');
    await expect
      .poll(async () => (await page.locator('#items-count').textContent()) ?? '')
      .toContain(`of ${present.length} matching item`);
    expect((await page.locator('#items-body .path').allTextContents()).sort()).toEqual(
      present.map((i) => i.path).sort(),
    );
    expect(await page.locator('label[for="f-key"]').count()).toBe(1);
    expect(w.pageErrors).toEqual([]);
    await page.close();
  });

  it("shows each item's digests (--hash) in the item table", async () => {
    const w = await openReport(browser, report);
    const { page } = w;
    const withHashes = items.filter((i) => i.hashes?.sha256);
    expect(withHashes.length).toBeGreaterThan(0);
    const item = withHashes[0]!;
    await page.fill('#f-q', item.path);
    await expect.poll(async () => page.locator('#items-body tr').count()).toBeGreaterThan(0);
    const row = page
      .locator('#items-body tr')
      .filter({ has: page.locator('.path', { hasText: item.path }) })
      .first();
    const hashes = await row.locator('.hash').allTextContents();
    expect(hashes).toContain(`md5 ${item.hashes!.md5}`);
    expect(hashes).toContain(`sha256 ${item.hashes!.sha256}`);
    await page.close();
  });

  it('loads the compressed embedding (gzip + base64) of big scans with the same rows', async () => {
    const file = path.join(out, 'compressed.html');
    const stream = fs.createWriteStream(file);
    const writer = createHtmlWriter(stream, { compressAbove: 0 });
    await writer.onScanStart?.(header);
    for (const item of items) await writer.onItem(item);
    await writer.onScanEnd?.(summary);
    await endStream(stream);
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toContain('data-encoding="gzip-base64"');
    const w = await openReport(browser, file);
    expect(await w.page.getAttribute('html', 'data-items-ready')).toBe(String(items.length));
    const paths = await w.page.locator('#items-body .path').allTextContents();
    expect(paths).toEqual(items.map((i) => i.path));
    expect(w.pageErrors).toEqual([]);
    expect(w.requests).toEqual([]);
    await w.page.close();
  });

  it('prints: controls hidden, sections and tables kept', async () => {
    const w = await openReport(browser, report);
    await w.page.emulateMedia({ media: 'print' });
    expect(await w.page.locator('.controls').isVisible()).toBe(false);
    expect(await w.page.locator('nav.toc').isVisible()).toBe(false);
    expect(await w.page.locator('#status-table').isVisible()).toBe(true);
    const pdf = await w.page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await w.page.close();
  });
});
