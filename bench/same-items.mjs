#!/usr/bin/env node
/**
 * The check that an engine change leaves every item as it was: scans the same inputs with two
 * builds of the CLI (a checkout of the previous engine and this one) and compares the manifests'
 * items without times (scripts/compare-manifests.mjs). Inputs: the sample extraction, the
 * generated mobile-style tree (bench/gen-mobile.mjs, 100,000 files by default) and, when given,
 * more folders (the shared corpus, say).
 *
 * Usage: node bench/same-items.mjs --before /path/to/old/checkout [--files 100000] [extra folders...]
 * The old checkout must be built (`pnpm run build` there). Exit 1 when any input differs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMobileTree } from './gen-mobile.mjs';
import { args, takeFlag } from './options.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const before = takeFlag('--before');
const files = Number(takeFlag('--files', '100000'));
if (!before) {
  console.error('usage: node bench/same-items.mjs --before /path/to/old/checkout [--files N] [folders...]');
  process.exit(2);
}
const bins = {
  before: path.join(path.resolve(before), 'packages/cli/dist/bin.js'),
  after: path.join(repo, 'packages/cli/dist/bin.js'),
};
for (const bin of Object.values(bins))
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: build that checkout`);

const tree = generateMobileTree({ files, name: `mobile-${files}` });
const inputs = [path.join(repo, 'examples/sample-extraction'), tree.root, ...args];
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-same-items-'));
let failed = 0;
for (const [i, input] of inputs.entries()) {
  const manifests = {};
  for (const [side, bin] of Object.entries(bins)) {
    manifests[side] = path.join(out, `${i}-${side}.ndjson`);
    const run = spawnSync(process.execPath, [bin, 'scan', input, '-o', manifests[side], '-f', 'ndjson', '-q'], {
      stdio: 'inherit',
    });
    // 0: no item errors; 1: some items have errors. Anything else is a failed scan.
    if (run.status !== 0 && run.status !== 1) throw new Error(`${side}: scan of ${input} exited with ${run.status}`);
  }
  try {
    const said = execFileSync(
      process.execPath,
      [path.join(repo, 'scripts/compare-manifests.mjs'), manifests.before, manifests.after],
      { encoding: 'utf8' },
    );
    console.log(`${input}: ${said.trim().split('\n').pop()}`);
  } catch (err) {
    failed++;
    console.log(`${input}: DIFFERENT\n${err.stdout}`);
  }
}
fs.rmSync(out, { recursive: true, force: true });
process.exit(failed > 0 ? 1 : 0);
