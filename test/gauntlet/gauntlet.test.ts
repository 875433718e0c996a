/**
 * The gauntlet, end to end: the CLI scans a tree of hostile and broken
 * inputs (test/gauntlet/generate.mjs) and must finish, within a per-item time
 * bound and bounded memory, with one item per entry and a clear error where
 * one applies. A second part mutates the tree while the scan runs (a file
 * deleted, another truncated, between listing and reading) and hangs one item
 * on purpose, to show the per-item timeout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIMITS, FolderSource, scan, type EvidenceItem, type ManifestSummary } from '@evtriage/core';
import { createProber, type Prober } from '@evtriage/core/internal';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';
import { runCli } from '../helpers/cli.js';
import { parseNdjson } from '../helpers/manifest.js';
import { buildGauntlet, SPARSE_SIZE } from './generate.mjs';

/** Per-item bound for the CLI run: no entry of the gauntlet may take longer (it would be recorded ITEM_TIMEOUT). */
const ITEM_TIMEOUT_MS = 15_000;
/**
 * Peak memory allowed for the whole scan: bombs are 64 MiB expanded each and must never be held whole (the nested
 * bomb alone would take 4^levels × 64 MiB). Alone, on an idle or a busy 2-core machine, the scan peaks at 246-266 MB;
 * inside the full suite, with two other test files' processes beside it, six runs on this machine peaked at 246, 254,
 * 258, 262, 425 and 482 MB (7 Dec 2026): what makes the rare high peaks is not found yet (docs/performance.md).
 * On the next machine (8 Dec 2026) alone 320 MB before that day's changes and 335-339 MB after; inside the full
 * suite 583, 602 and 640 MB. The bound is what a bomb held whole would pass by gigabytes, not a tuned figure.
 */
const MAX_RSS_MB = 768;

let base: string;
let root: string;
let items: EvidenceItem[];
let summary: ManifestSummary;
let stderr: string;
let elapsedMs: number;
let code: number | null;

const item = (p: string) => {
  const found = items.find((i) => i.path === p);
  if (!found) throw new Error(`no item ${JSON.stringify(p)}`);
  return found;
};
const codes = (p: string) => item(p).errors.map((e) => e.code);
const messages = (p: string) =>
  item(p)
    .errors.map((e) => e.message)
    .join(' | ');

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-gauntlet-'));
  root = path.join(base, 'evidence');
  fs.mkdirSync(root);
  await buildGauntlet(root);
  const out = path.join(base, 'gauntlet.ndjson');
  const preload = fileURLToPath(new URL('./report-rss.mjs', import.meta.url));
  const started = Date.now();
  const r = await runCli(
    ['scan', root, '-o', out, '-f', 'ndjson', '--hash', 'sha256', '--item-timeout', String(ITEM_TIMEOUT_MS), '-q'],
    {
      env: { NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import ${preload}`.trim() },
      timeoutMs: 400_000,
    },
  );
  elapsedMs = Date.now() - started;
  code = r.code;
  stderr = r.stderr;
  const records = parseNdjson(fs.readFileSync(out, 'utf8'));
  items = records.flatMap(({ type, ...rest }) => (type === 'item' ? [rest as EvidenceItem] : []));
  const last = records.at(-1);
  if (last?.type !== 'summary') throw new Error(`the manifest has no summary line: ${stderr}`);
  summary = last;
}, 420_000);

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('the gauntlet (CLI)', () => {
  it('finishes: exit 1 (completed, with item errors), a complete summary, every entry an item', () => {
    expect(code, stderr).toBe(1);
    expect(summary.type).toBe('summary');
    expect(summary.complete).toBe(true);
    expect(summary.counts.enumerated).toBe(items.length);
    // Every entry got through within its time bound: none was abandoned.
    expect(items.filter((i) => i.errors.some((e) => e.code === 'ITEM_TIMEOUT')).map((i) => i.path)).toEqual([]);
  });

  it('keeps memory bounded (peak RSS of the whole CLI process)', () => {
    const m = /evtriage-test-maxrss-kb=(\d+)/.exec(stderr);
    expect(m, stderr).not.toBeNull();
    const mb = Number(m![1]) / 1024;
    console.log(`gauntlet: ${items.length} items in ${(elapsedMs / 1000).toFixed(1)} s, peak RSS ${mb.toFixed(0)} MB`);
    expect(mb).toBeLessThan(MAX_RSS_MB);
  });

  it('records empty and sparse files without errors (the sparse file hashed whole)', () => {
    expect(item('sizes/zero.bin').errors).toEqual([]);
    expect(item('sizes/zero.sqlite').format?.id).toBe('empty');
    const sparse = item('sizes/sparse-64MiB.bin');
    expect(sparse.size).toBe(SPARSE_SIZE);
    expect(sparse.errors).toEqual([]);
    expect(sparse.hashes?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never opens FIFOs, sockets or device nodes, and never follows links (loops and escapes included)', () => {
    for (const i of items.filter((x) => x.path.startsWith('special/')))
      expect(i.classification.reasons[0]?.code).toBe('SPECIAL_FILE_NOT_OPENED');
    for (const name of [
      'loop-a',
      'loop-b',
      'self',
      'dangling',
      'outside-absolute',
      'outside-relative',
      'parent-folder',
    ]) {
      const link = item(`links/${name}`);
      expect(link.kind).toBe('symlink');
      expect(link.classification.reasons[0]?.code).toBe('SYMLINK_NOT_FOLLOWED');
    }
    expect(item('links/outside-absolute').classification.reasons[0]?.figures?.['pointsOutside']).toBe(true);
    expect(item('links/outside-relative').classification.reasons[0]?.figures?.['pointsOutside']).toBe(true);
  });

  it('reports binary plists with cycles, bad references, lying trailers and exponential sharing as malformed, fast', () => {
    expect(messages('plist/cyclic.plist')).toMatch(/cycle/);
    expect(messages('plist/self-reference.plist')).toMatch(/cycle/);
    expect(messages('plist/exponential-dag.plist')).toMatch(/expand to more than/);
    expect(messages('plist/out-of-range-ref.plist')).toMatch(/out of range/);
    expect(messages('plist/out-of-range-top.plist')).toMatch(/out of range/);
    expect(messages('plist/lying-count.plist')).toMatch(/over the limit/);
    expect(messages('plist/offset-table-past-end.plist')).toMatch(/outside the file/);
    expect(messages('plist/huge-string-length.plist')).toMatch(/runs past/);
    expect(messages('plist/truncated.plist')).toMatch(/binary plist/);
    expect(messages('plist/broken.xml.plist')).toMatch(/unclosed/);
    expect(item('plist/good.plist').errors).toEqual([]);
  });

  it('reports damaged SQLite files (truncated, hostile page sizes, header only, cyclic b-tree) without a plugin crash', () => {
    for (const name of ['truncated', 'header-only', 'page-size-3', 'page-size-256', 'page-size-65536-on-small-file']) {
      expect(codes(`sqlite/${name}.db`), name).toContain('SQLITE_OPEN_FAILED');
    }
    expect(messages('sqlite/cyclic-btree.db')).toMatch(/malformed/);
    for (const i of items.filter((x) => x.path.startsWith('sqlite/')))
      expect(
        i.errors.filter((e) => e.code === 'PLUGIN_THREW'),
        i.path,
      ).toEqual([]);
    expect(item('sqlite/good.db').errors).toEqual([]);
    // A WAL-mode database with uncheckpointed frames is read from a private copy; no -shm appears (read-only.test.ts checks the tree).
    expect(item('sqlite/wal-mode.db').format?.id).toBe('sqlite');
  });

  it('stops zip bombs by ratio and by nesting, and records why', () => {
    expect(codes('zip/bomb-ratio.zip')).toContain('ARCHIVE_RATIO_LIMIT');
    expect(codes('gzip/bomb.gz')).toContain('ARCHIVE_RATIO_LIMIT');
    const nested = items.filter((i) => i.path.startsWith('zip/bomb-nested.zip'));
    expect(Math.max(...nested.map((i) => i.depth))).toBeLessThanOrEqual(DEFAULT_LIMITS.maxArchiveDepth);
    expect(nested.some((i) => i.errors.some((e) => e.code === 'ARCHIVE_DEPTH_LIMIT'))).toBe(true);
  });

  it('records hostile member names as stored, flags them, and extracts nothing', () => {
    const prefix = 'zip/hostile-names.zip!/';
    expect(codes(`${prefix}../escape.txt`)).toContain('MEMBER_NAME_PARENT');
    expect(codes(`${prefix}/absolute/evil.txt`)).toContain('MEMBER_NAME_ABSOLUTE');
    expect(codes(`${prefix}dir\\..\\..\\backslash.txt`)).toContain('MEMBER_NAME_BACKSLASH');
    // Both members named dup.txt are items; the second has a path of its own (docs/sources.md, "Paths").
    expect(items.filter((i) => i.path === `${prefix}dup.txt`).length).toBe(1);
    expect(codes(`${prefix}dup~2.txt`)).toContain('MEMBER_NAME_DUPLICATE');
    // Nothing was written beside the evidence (no extracted escape.txt, no spool files left).
    expect(fs.readdirSync(base).sort()).toEqual(['evidence', 'gauntlet.ndjson']);
    expect(fs.existsSync(path.join(base, 'escape.txt'))).toBe(false);
  });

  it('reports truncated, corrupt and over-claiming archives with what could be read', () => {
    expect(codes('zip/truncated.zip').join()).toMatch(/ZIP_NO_CENTRAL_DIRECTORY|ARCHIVE_TRUNCATED/);
    expect(codes('zip/claims-more-members.zip')).toContain('ARCHIVE_CORRUPT');
    expect(items.filter((i) => i.path.startsWith('zip/claims-more-members.zip!/')).map((i) => i.path)).toEqual([
      'zip/claims-more-members.zip!/one.txt',
      'zip/claims-more-members.zip!/two.txt',
    ]);
    // Its first directory record is garbled, so the directory lists nothing: the local headers give both members.
    expect(codes('zip/corrupt-central-directory.zip')).toContain('ZIP_NO_CENTRAL_DIRECTORY');
    expect(items.filter((i) => i.path.startsWith('zip/corrupt-central-directory.zip!/')).map((i) => i.path)).toEqual([
      'zip/corrupt-central-directory.zip!/a.txt',
      'zip/corrupt-central-directory.zip!/b.txt',
    ]);
    expect(codes('tar/truncated.tar')).toContain('ARCHIVE_TRUNCATED');
    expect(codes('tar/claims-more.tar')).toContain('ARCHIVE_TRUNCATED');
    expect(codes('tar/bad-checksum.tar')).toContain('ARCHIVE_CORRUPT');
    expect(codes('gzip/truncated.tar.gz')).toContain('ARCHIVE_TRUNCATED');
    expect(codes('gzip/garbage.gz')).toContain('ARCHIVE_CORRUPT');
  });

  it('gives every error a stage, a code and a message, and no plugin crashes on the gauntlet', () => {
    const crashes = items.flatMap((i) =>
      i.errors
        .filter((e) => e.code === 'PLUGIN_THREW' || e.code === 'ITEM_FAILED')
        .map((e) => `${i.path}: ${e.message}`),
    );
    expect(crashes).toEqual([]);
  });
});

describe('the gauntlet: the tree changes while the scan runs, and an item hangs', () => {
  it('records a file deleted and a file truncated between listing and reading, and abandons a hung item at the per-item timeout', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-mutate-'));
    try {
      fs.writeFileSync(path.join(dir, 'a-first.txt'), 'first\n');
      fs.writeFileSync(path.join(dir, 'deleted.txt'), 'gone before it is read\n');
      fs.writeFileSync(path.join(dir, 'hangs.bin'), 'never answers\n');
      fs.writeFileSync(path.join(dir, 'truncated.bin'), Buffer.alloc(1 << 20, 0x5a));
      fs.writeFileSync(path.join(dir, 'z-last.txt'), 'last\n');
      const inner = createProber(DEFAULT_LIMITS);
      let hangStarted!: () => void;
      const hanging = new Promise<void>((resolve) => (hangStarted = resolve));
      // A prober hook standing for the world changing under the scan: it acts just before the read.
      const prober: Prober = {
        async probe(entry) {
          if (entry.path === 'deleted.txt') fs.rmSync(path.join(dir, 'deleted.txt'));
          if (entry.path === 'truncated.bin') fs.truncateSync(path.join(dir, 'truncated.bin'), 10);
          if (entry.path === 'hangs.bin') {
            hangStarted();
            return new Promise(() => undefined);
          }
          return inner.probe(entry);
        },
        close: () => inner.close(),
      };
      // The per-item budget runs on a clock the test moves (vitest's fake setTimeout): it passes only while the
      // hung item is the one in flight (one item at a time, its budget timer set before its probe starts), so
      // the budget fires for the hang and never for the others, however loaded or slow the machine.
      const itemTimeoutMs = 3_000;
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const got: EvidenceItem[] = [];
      const run = scan(new FolderSource(dir), {
        plugins: builtinPlugins,
        containers: builtinContainers,
        prober,
        concurrency: 1,
        limits: { itemTimeoutMs },
      });
      try {
        const collected = (async () => {
          for await (const i of run) got.push(i);
        })();
        await hanging;
        vi.advanceTimersByTime(itemTimeoutMs);
        await collected;
      } finally {
        vi.useRealTimers();
      }
      const done = await run.summary;
      expect(done.complete).toBe(true);
      expect(got.map((i) => i.path)).toEqual([
        'a-first.txt',
        'deleted.txt',
        'hangs.bin',
        'truncated.bin',
        'z-last.txt',
      ]);
      const by = (p: string) => got.find((i) => i.path === p)!;
      expect(by('deleted.txt').errors).toContainEqual(expect.objectContaining({ stage: 'probe', code: 'E_NOENT' }));
      expect(by('deleted.txt').classification.status).toBe('unreadable');
      expect(by('truncated.bin').errors).toContainEqual(
        expect.objectContaining({ stage: 'probe', code: 'SIZE_CHANGED' }),
      );
      expect(by('hangs.bin').errors).toContainEqual(expect.objectContaining({ code: 'ITEM_TIMEOUT' }));
      expect(by('z-last.txt').errors).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
