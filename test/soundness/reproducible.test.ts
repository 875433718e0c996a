/**
 * Reproducible: two scans of the same source with the same options give the
 * same NDJSON manifest byte for byte, apart from the run times (header
 * `startedAt`, summary `finishedAt`); and the concurrency changes nothing
 * but its own entry in the header's options. Shown for a folder (the
 * gauntlet, hostile entries and nested archives included), a ZIP made by
 * Info-ZIP and a TAR.GZ made by GNU tar, at concurrency 1 and 16.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNdjsonWriter, openSource, scan } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';
import { buildGauntlet } from '../gauntlet/generate.mjs';

let base: string;
let tree: string;

/** Scans like the CLI does and returns the NDJSON manifest as lines. */
async function manifestLines(source: string, concurrency: number): Promise<string[]> {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, cb) {
      text += chunk;
      cb();
    },
  });
  const writer = createNdjsonWriter(out);
  const run = scan(await openSource(source), {
    plugins: builtinPlugins,
    containers: builtinContainers,
    concurrency,
    hash: ['sha256'],
  });
  await writer.onScanStart?.(run.header);
  for await (const item of run) await writer.onItem(item);
  await writer.onScanEnd?.(await run.summary);
  return text.trimEnd().split('\n');
}

/** The run times, and the concurrency asked for, replaced by placeholders. */
function withoutRunTimes(lines: string[]): string[] {
  return lines.map((line) => {
    const rec = JSON.parse(line) as {
      type: string;
      startedAt?: string;
      finishedAt?: string;
      options?: { concurrency?: unknown };
    };
    if (rec.type === 'header') {
      rec.startedAt = '<run time>';
      rec.options = { ...rec.options, concurrency: '<concurrency>' };
    }
    if (rec.type === 'summary') rec.finishedAt = '<run time>';
    return JSON.stringify(rec);
  });
}

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-repro-'));
  tree = path.join(base, 'tree');
  fs.mkdirSync(tree);
  await buildGauntlet(tree);
  // Linux moves a symlink's atime on its first read after it was made (relatime), and the
  // scan records times from lstat: read each link once first, as any earlier look at the
  // evidence would, so that both scans see the same times. (No other atime moves: files are
  // opened with O_NOATIME.)
  for (const l of fs.readdirSync(path.join(tree, 'links'))) fs.readlinkSync(path.join(tree, 'links', l));
  const parts = ['names', 'plist', 'sqlite', 'tar', 'zip/good.zip', 'zip/hostile-names.zip', 'zip/bomb-nested.zip'];
  execFileSync('zip', ['-q', '-r', '-y', '-X', path.join(base, 'source.zip'), ...parts, 'links'], { cwd: tree });
  execFileSync('tar', ['-czf', path.join(base, 'source.tar.gz'), ...parts, 'links', 'special'], { cwd: tree });
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('reproducible manifests', { timeout: 240_000 }, () => {
  for (const [label, rel] of [
    ['a folder (the gauntlet)', 'tree'],
    ['a ZIP source', 'source.zip'],
    ['a TAR.GZ source', 'source.tar.gz'],
  ] as const) {
    it(`gives identical manifests for ${label}, twice and at concurrency 1 and 16`, async () => {
      const source = path.join(base, rel);
      const a = await manifestLines(source, 16);
      const b = await manifestLines(source, 16);
      const c = await manifestLines(source, 1);
      expect(a.length).toBeGreaterThan(20);
      // Same options: identical apart from the run times.
      expect(withoutRunTimes(b)).toEqual(withoutRunTimes(a));
      // Another concurrency: identical apart from the run times and the concurrency recorded.
      expect(withoutRunTimes(c)).toEqual(withoutRunTimes(a));
      // And the run times are the only difference at all between the two runs at 16.
      const differing = a.map((line, i) => (line === b[i] ? -1 : i)).filter((i) => i >= 0);
      expect(differing).toEqual([0, a.length - 1].filter((i) => a[i] !== b[i]));
    });
  }
});
