/**
 * Parity of the built-in plugins with their docs, fixtures and tests: every
 * built-in has a generated page in docs/plugins/ that is up to date, no page
 * or fixture folder is orphaned, and every built-in detector and parser is
 * tested through the fixture test kit (or sits, with a reason, on a tracked
 * list that may only shrink).
 * Fix a failure by rerunning `pnpm run plugin-docs`
 * (node --conditions=@evtriage/source --import tsx scripts/plugin-docs.mjs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRegistry } from '@evtriage/core/internal';
import { builtinPlugins } from '@evtriage/parsers';
import { describe, expect, it } from 'vitest';
import { compare, factsOf, renderAll, repoRoot } from '../../scripts/plugin-docs.mjs';

const ids = builtinPlugins.map((p) => p.meta.id);
const fixturesRoot = path.join(repoRoot, 'packages/parsers/fixtures');

/**
 * Built-ins not yet tested through @evtriage/core/testing, with why. A plugin
 * leaves this list when a kit test covers it (the test below says so).
 */
const NOT_YET_KIT_TESTED: Record<string, string> = {};

describe('built-in plugins: registry, docs pages, fixture folders, kit tests', () => {
  it('registers every built-in once, with a valid contract', () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      createRegistry(builtinPlugins)
        .info()
        .map((p) => p.id)
        .sort(),
    ).toEqual([...ids].sort());
  });

  it('has an up-to-date generated page per built-in and no orphan pages', async () => {
    const pages = (await renderAll()) as Map<string, string>;
    expect([...pages.keys()].sort()).toEqual([...ids.map((id) => `${id}.md`), 'README.md'].sort());
    const { missing, stale, orphans } = compare(pages);
    expect({ missing, stale, orphans }, 'docs/plugins/ is out of date: run pnpm run plugin-docs').toEqual({
      missing: [],
      stale: [],
      orphans: [],
    });
  });

  it('has no fixture folder without a built-in of that id', () => {
    const folders = fs
      .readdirSync(fixturesRoot, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(
      folders.filter((f) => !ids.includes(f)),
      'fixture folders are named after the plugin id',
    ).toEqual([]);
  });

  it('tests every built-in detector and parser through the fixture test kit', () => {
    const sources = { sources: [], tests: walkTests(path.join(repoRoot, 'packages/parsers/src')) };
    const untested = builtinPlugins
      .filter((p) => p.kind !== 'app-rules' && (factsOf(p, sources) as { kitTests: unknown[] }).kitTests.length === 0)
      .map((p) => p.meta.id);
    expect(
      untested.filter((id) => !(id in NOT_YET_KIT_TESTED)),
      'add a kit test (testDetector/testParser over packages/parsers/fixtures/<id>/)',
    ).toEqual([]);
    expect(
      Object.keys(NOT_YET_KIT_TESTED).filter((id) => !untested.includes(id)),
      'now kit-tested: remove from NOT_YET_KIT_TESTED',
    ).toEqual([]);
  });
});

function walkTests(dir: string): Array<{ file: string; text: string }> {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((d) => {
    const file = path.join(d.parentPath ?? d.path, d.name);
    return d.isFile() && d.name.endsWith('.test.ts') ? [{ file, text: fs.readFileSync(file, 'utf8') }] : [];
  });
}
