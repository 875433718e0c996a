/**
 * The API report: the runtime exports of each entry point of @evtriage/core,
 * checked against api-report.json. A change to the public surface is a
 * deliberate edit of that file (and of docs/architecture.md, "Public API"),
 * never a side effect of exporting a helper for one caller.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const report = JSON.parse(fs.readFileSync(new URL('../api-report.json', import.meta.url), 'utf8')) as Record<
  string,
  string[]
>;

const entries: Record<string, () => Promise<Record<string, unknown>>> = {
  '@evtriage/core': () => import('./index.js'),
  '@evtriage/core/contract': () => import('./contract.js'),
  '@evtriage/core/helpers': () => import('./helpers.js'),
  '@evtriage/core/version': () => import('./version.js'),
  '@evtriage/core/testing': () => import('./testing/index.js'),
  '@evtriage/core/internal': () => import('./internal.js'),
  '@evtriage/core/internal-manifest': () => import('./internal-manifest.js'),
  '@evtriage/core/internal-prestart': () => import('./internal-prestart.js'),
  '@evtriage/core/internal-readers': () => import('./internal-readers.js'),
  '@evtriage/core/internal-sqlite': () => import('./internal-sqlite.js'),
};

describe('API report', () => {
  it('names every entry point', () => {
    expect(Object.keys(report).sort()).toEqual(Object.keys(entries).sort());
  });

  for (const [entry, load] of Object.entries(entries)) {
    it(`${entry} exports exactly what api-report.json lists`, async () => {
      expect(
        Object.keys(await load()).sort(),
        `edit packages/core/api-report.json (and docs/architecture.md) to change ${entry}`,
      ).toEqual([...(report[entry] ?? [])].sort());
    });
  }

  it('the public entry point shares no name with the internal one', () => {
    const inBoth = (report['@evtriage/core'] ?? []).filter((n) => report['@evtriage/core/internal']?.includes(n));
    expect(inBoth).toEqual([]);
  });
});
