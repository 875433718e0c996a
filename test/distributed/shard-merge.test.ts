/**
 * `--shard K/N` + merge give the single scan's manifest: the same items in the
 * same order, byte for byte apart from times, and the same summary — for a
 * folder, a ZIP, a TAR and a TAR.GZ, with shard counts from 1 to 16,
 * including parts that end up empty. Runs the library in process (the CLI is
 * the same calls; its arguments are tested below through the built CLI).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNdjsonWriter, mergeShardManifests, openSource, scan, type ShardSpec } from '@evtriage/core';
import { endStream } from '@evtriage/core/internal';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';
import { runCli } from '../helpers/cli.js';

const repo = path.resolve(import.meta.dirname, '../..');
const sample = path.join(repo, 'examples/sample-extraction');
let dir: string;

async function scanTo(source: string, file: string, shard?: ShardSpec): Promise<void> {
  const src = await openSource(source);
  const out = fs.createWriteStream(file);
  const writer = createNdjsonWriter(out);
  const run = scan(src, { plugins: builtinPlugins, containers: builtinContainers, ...(shard ? { shard } : {}) });
  await writer.onScanStart?.(run.header);
  for await (const item of run) await writer.onItem(item);
  await writer.onScanEnd?.(await run.summary);
  await endStream(out);
  await src.close();
}

/** Manifest lines with the times taken out (the only thing a merge may change). */
function lines(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => l.replace(/"(startedAt|finishedAt)":"[^"]*",?/g, ''));
}

async function mergedEqualsSingle(source: string, name: string, counts: readonly number[]): Promise<void> {
  const single = path.join(dir, `${name}-single.ndjson`);
  await scanTo(source, single);
  const expected = lines(single);
  for (const n of counts) {
    const parts: string[] = [];
    for (let k = 0; k < n; k++) {
      parts.push(path.join(dir, `${name}-${n}-${k}.ndjson`));
      await scanTo(source, parts[k]!, { index: k, count: n });
    }
    const merged = path.join(dir, `${name}-${n}-merged.ndjson`);
    const out = fs.createWriteStream(merged);
    // Parts in reverse: the merge orders them by their headers, not by argument order.
    const result = await mergeShardManifests([...parts].reverse(), createNdjsonWriter(out));
    await endStream(out);
    expect(result.dropped).toEqual([]);
    const got = lines(merged);
    expect(got.length, `${name} in ${n} shards`).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) expect(got[i], `${name} in ${n} shards, line ${i + 1}`).toBe(expected[i]);
    // Every shard did a share of the work: item counts of the parts add up, none overlaps.
    const perPart = parts.map((p) => lines(p).length - 2);
    expect(perPart.reduce((a, b) => a + b, 0)).toBe(expected.length - 2);
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evt-shard-'));
  execFileSync('zip', ['-qr', path.join(dir, 'sample.zip'), '.'], { cwd: sample });
  execFileSync('tar', ['-cf', path.join(dir, 'sample.tar'), '-C', sample, '.']);
  // A source with fewer top-level entries than shards: most parts are empty.
  const small = path.join(dir, 'small');
  fs.mkdirSync(small);
  for (const f of ['a.txt', 'b.json', 'c.bin'])
    fs.writeFileSync(path.join(small, f), f === 'b.json' ? '{"a":1}\n' : `${f} contents\n`);
  execFileSync('tar', ['-czf', path.join(dir, 'small.tar.gz'), '-C', small, '.']);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('scan --shard K/N then merge', () => {
  it('a folder in 1, 4 and 16 shards gives the single scan', async () => {
    await mergedEqualsSingle(sample, 'folder', [1, 4, 16]);
  });
  it('a ZIP in 3 and 16 shards gives the single scan (members, nested archives)', async () => {
    await mergedEqualsSingle(path.join(dir, 'sample.zip'), 'zip', [3, 16]);
  });
  it('a TAR in 2 and 7 shards gives the single scan', async () => {
    await mergedEqualsSingle(path.join(dir, 'sample.tar'), 'tar', [2, 7]);
  });
  it('a TAR.GZ with 3 entries in 16 shards (13 empty parts) gives the single scan', async () => {
    await mergedEqualsSingle(path.join(dir, 'small.tar.gz'), 'tgz', [16]);
  });
});

describe('the CLI', async () => {
  const cli = (args: string[]) => runCli(args);
  // The arguments and the merge's refusals are what these prove, not the items: a three-file folder does.
  let small: string;
  beforeAll(() => (small = path.join(dir, 'small')));

  it('refuses a malformed shard, a non-NDJSON part and shards that do not make a whole', async () => {
    const bad = await cli(['scan', small, '--shard', '5/4', '-o', path.join(dir, 'x.ndjson'), '-f', 'ndjson']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--shard: "5/4" is not a shard');
    const json = await cli(['scan', small, '--shard', '1/2', '-o', path.join(dir, 'x.json')]);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('add -f ndjson');

    const p1 = path.join(dir, 'cli-1.ndjson');
    const p3 = path.join(dir, 'cli-3.ndjson');
    expect((await cli(['scan', small, '--shard', '1/3', '-o', p1, '-f', 'ndjson', '-q'])).code).toBe(0);
    expect((await cli(['scan', small, '--shard', '3/3', '-o', p3, '-f', 'ndjson', '-q'])).code).toBe(0);
    const missing = await cli(['merge', p1, p3, '-o', path.join(dir, 'm.ndjson')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing shard 2/3');
    expect(fs.existsSync(path.join(dir, 'm.ndjson'))).toBe(false);

    const whole = path.join(dir, 'whole.ndjson');
    expect((await cli(['scan', small, '-o', whole, '-f', 'ndjson', '-q'])).code).toBe(0);
    const notPart = await cli(['merge', whole, '-o', path.join(dir, 'm.ndjson')]);
    expect(notPart.code).toBe(2);
    expect(notPart.stderr).toContain('is a whole manifest, not a shard');
  });

  it('keeps one copy of a shard given twice and refuses parts of different scans', async () => {
    const a = path.join(dir, 'dup-a.ndjson');
    const b = path.join(dir, 'dup-b.ndjson');
    const c = path.join(dir, 'dup-c.ndjson');
    expect((await cli(['scan', small, '--shard', '1/2', '-o', a, '-f', 'ndjson', '-q'])).code).toBe(0);
    expect((await cli(['scan', small, '--shard', '2/2', '-o', b, '-f', 'ndjson', '-q'])).code).toBe(0);
    fs.copyFileSync(b, c);
    const merged = await cli(['merge', a, b, c, '-o', path.join(dir, 'dup.ndjson')]);
    expect(merged.code).toBe(0);
    expect(merged.stderr).toContain('1 duplicate part ignored');
    const other = path.join(dir, 'other.ndjson');
    expect(
      (await cli(['scan', small, '--shard', '2/2', '--exclude', '**/*.db', '-o', other, '-f', 'ndjson', '-q'])).code,
    ).toBe(0);
    const mixed = await cli(['merge', a, other, '-o', path.join(dir, 'mixed.ndjson')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('comes from another scan');
  });
});
