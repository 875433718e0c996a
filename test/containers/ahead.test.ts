/**
 * Small archives are opened, and their first members processed, while the walk is still before them
 * (scan-walk.ts, "opened ahead"). What the manifest says must not depend on it: the scan-wide expansion
 * budget is taken in walk order, so which archive meets its end is the same at any concurrency, and every
 * member enumerated is counted once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource, scan, type EvidenceItem, type ManifestSummary } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';
import { codes } from './helpers.js';

const ARCHIVES = 48; // more than are ever opened ahead at once, so some are opened when the walk reaches them
const EXPANDED = 100_000; // bytes each gzip stream expands to
const OPENED = 20; // the budget holds this many streams and a half

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-ahead-'));
  for (let i = 0; i < ARCHIVES; i++) {
    const name = `cache-${String(i).padStart(2, '0')}`;
    const text = Buffer.from(`${name}: ${'log line of a cached response\n'.repeat(EXPANDED / 30 + 1)}`).subarray(
      0,
      EXPANDED,
    );
    fs.writeFileSync(path.join(dir, `${name}.gz`), zlib.gzipSync(text));
    // Plain files between the archives, so the walk has other items to go on with.
    fs.writeFileSync(path.join(dir, `${name}.txt`), `${name}\n`);
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function scanAt(concurrency: number): Promise<{ items: EvidenceItem[]; summary: ManifestSummary }> {
  const limits = { maxExpandedBytes: OPENED * EXPANDED + EXPANDED / 2 };
  const source = await openSource(dir, { limits });
  try {
    const run = scan(source, { plugins: builtinPlugins, containers: builtinContainers, limits, concurrency });
    const items: EvidenceItem[] = [];
    for await (const item of run) items.push(item);
    return { items, summary: await run.summary };
  } finally {
    await source.close();
  }
}

describe('archives opened ahead of the walk', () => {
  it('meet the expansion budget in walk order, at any concurrency, and are counted once', async () => {
    const runs = await Promise.all([1, 8, 64].map((c) => scanAt(c)));
    for (const { items, summary } of runs) {
      const archives = items.filter((i) => i.path.endsWith('.gz'));
      expect(archives).toHaveLength(ARCHIVES);
      const refused = archives.filter((i) => codes(i).some((c) => /BUDGET|EXPAN/.test(c)));
      // The first OPENED archives in walk order are opened, every later one is refused.
      expect(archives.slice(OPENED).every((i) => refused.includes(i))).toBe(true);
      expect(refused).toHaveLength(ARCHIVES - OPENED);
      const members = items.filter((i) => i.path.includes('.gz!/'));
      expect(members.map((m) => m.path.split('!/')[0])).toEqual(archives.slice(0, OPENED).map((a) => a.path));
      expect(members.every((m) => m.size === EXPANDED)).toBe(true);
      expect(summary.counts.enumerated).toBe(items.length);
      expect(summary.counts.items).toBe(items.length);
    }
    const seen = runs.map(({ items }) => items.map((i) => JSON.stringify({ ...i, times: undefined })));
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
  });
});

describe('openers that hold memory per member', () => {
  it('are never opened ahead: one of their archives is open at a time however many the walk will meet', async () => {
    let open = 0;
    let most = 0;
    const counted = builtinContainers.map((c) =>
      c.formats.includes('gzip')
        ? {
            ...c,
            openAhead: false,
            async open(...args: Parameters<typeof c.open>) {
              const source = await c.open(...args);
              most = Math.max(most, ++open);
              const close = source.close.bind(source);
              source.close = () => {
                open--;
                return close();
              };
              return source;
            },
          }
        : c,
    );
    const source = await openSource(dir);
    try {
      const run = scan(source, { plugins: builtinPlugins, containers: counted, concurrency: 16 });
      let members = 0;
      for await (const item of run) if (item.path.includes('.gz!/')) members++;
      expect(members).toBe(ARCHIVES);
    } finally {
      await source.close();
    }
    expect(most).toBe(1);
  });
});
