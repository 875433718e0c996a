/**
 * Structure-aware mutants (scripts/structure-mutants.mjs): real archives made
 * by the tools on the machine with one header field set to a hostile value,
 * a tar nested in gzip 50 deep, a tar declaring itself as its member. A short
 * fixed-seed run (the review ran seeds 3901 and 3902 with 40 and 200 mutants
 * a base: 1,416 files, 3,162 items, 52 s, 374 MB): the scan ends by itself
 * with 0 or 1, every file is an item, the summary counts every item, and the
 * names that climb out never reach the canary outside the evidence folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCompleteManifest } from '../helpers/built-cli.js';
import { runCli } from '../helpers/cli.js';
import { writeStructureMutants } from '../../scripts/structure-mutants.mjs';

let out: string;
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-structure-test-'));
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('archives whose header fields lie', () => {
  it('seed 3903, 6 mutants a base: every file an item, nothing held, the canary untouched', async () => {
    const canary = '/tmp/evtriage-structure-canary';
    fs.writeFileSync(canary, 'canary\n');
    const before = fs.statSync(canary);
    const evidence = path.join(out, 'evidence');
    const names = writeStructureMutants(evidence, {
      seed: 3903,
      perBase: 6,
      nestDepth: 50,
    });
    expect(names.length).toBeGreaterThan(8);
    const manifest = path.join(out, 'm.json');
    const r = await runCli(['scan', evidence, '-o', manifest, '-q'], { timeoutMs: 100_000 });
    expect(r.stderr).not.toMatch(/internal error|FATAL|Unhandled/i);
    expect([0, 1]).toContain(r.code);
    const m = readCompleteManifest(manifest);
    expect(new Set(m.items.filter((i) => i.depth === 0).map((i) => i.path))).toEqual(new Set(names));
    expect(m.summary.counts.items).toBe(m.items.length);
    for (const code of ['WORKER_CRASHED', 'ITEM_TIMEOUT', 'MEMORY_LIMIT'])
      expect(m.items.filter((i) => i.errors.some((e) => e.code === code)).map((i) => i.path)).toEqual([]);
    // 50 levels of tar.gz: read to the depth limit, which says so.
    const nested = m.items.filter((i) => i.path.startsWith('nested-50.tar.gz'));
    expect(nested.some((i) => i.errors.some((e) => e.code === 'ARCHIVE_DEPTH_LIMIT'))).toBe(true);
    const after = fs.statSync(canary);
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
  });
});
