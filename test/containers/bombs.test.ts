/**
 * Zip bombs are stopped by the limits with a clear message, and the scan
 * completes: a high-ratio member (100 MiB of zeros, about 1000:1), a 42-style
 * nest (4 levels of 16 copies over 256 MiB zero files, 4 TiB declared in a
 * 51 KB file), the scan-wide expansion budget, the depth and member limits.
 * Fixtures: fixtures/make-fixtures.sh.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, fixtures, scanPath, type ScanResult } from './helpers.js';

let dir: string;
let nestOnly: string;
let defaults: ScanResult;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-bombs-'));
  fs.copyFileSync(path.join(fixtures, 'bomb-ratio.zip'), path.join(dir, 'bomb-ratio.zip'));
  fs.copyFileSync(path.join(fixtures, 'bomb-nested.zip'), path.join(dir, 'bomb-nested.zip'));
  fs.copyFileSync(path.join(fixtures, 'disk-image.zip'), path.join(dir, 'disk-image.zip'));
  nestOnly = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-nest-'));
  fs.copyFileSync(path.join(fixtures, 'bomb-nested.zip'), path.join(nestOnly, 'bomb-nested.zip'));
  defaults = await scanPath(dir);
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(nestOnly, { recursive: true, force: true });
});

describe('zip bombs', () => {
  it('the source archive itself is the evidence: its high-ratio member is read whole, not refused', async () => {
    const r = await scanPath(path.join(fixtures, 'bomb-ratio.zip'));
    const m = r.byPath.get('zeros-100m')!;
    expect(m.size).toBe(100 * 1024 * 1024);
    expect(codes(m)).not.toContain('ARCHIVE_RATIO_LIMIT');
    expect(m.classification.status).not.toBe('unreadable');
    expect(r.summary.complete).toBe(true);
  });

  it('the source archive stays bounded by the expanded-bytes limit (--max-expanded)', async () => {
    const r = await scanPath(path.join(fixtures, 'bomb-ratio.zip'), { limits: { maxExpandedBytes: 50 * 1024 * 1024 } });
    const m = r.byPath.get('zeros-100m')!;
    expect(codes(m)).toContain('ARCHIVE_RATIO_LIMIT');
    expect(m.errors.find((e) => e.code === 'ARCHIVE_RATIO_LIMIT')?.message).toMatch(
      /expands past 52428800 bytes, the expanded-bytes limit; .*--max-expanded/,
    );
  });

  it('a high-ratio member of an archive inside the source is not expanded and says why', () => {
    const m = defaults.byPath.get('bomb-ratio.zip!/zeros-100m')!;
    expect(m.size).toBe(100 * 1024 * 1024);
    expect(m.errors.find((e) => e.code === 'ARCHIVE_RATIO_LIMIT')?.message).toMatch(
      /expands \d+:1 .* past the expansion-ratio limit of 200:1; not expanded .*--max-ratio/,
    );
  });

  it('a member that expands to 32 MiB or less is read whatever its ratio: an 8 MiB ext4 image at 948:1', () => {
    const m = defaults.byPath.get('disk-image.zip!/disk.img')!;
    expect(codes(m)).toEqual([]);
    expect(m.classification.status).toBe('analysable');
    expect(m.format?.id).toBe('ext-filesystem');
    expect(codes(defaults.byPath.get('disk-image.zip'))).toEqual([]);
  });

  it('raising --max-ratio lets the same nested member be read', async () => {
    const only = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-ratio-'));
    try {
      fs.copyFileSync(path.join(fixtures, 'bomb-ratio.zip'), path.join(only, 'bomb-ratio.zip'));
      const r = await scanPath(only, { limits: { maxExpansionRatio: 5000 } });
      const m = r.byPath.get('bomb-ratio.zip!/zeros-100m')!;
      expect(codes(m)).not.toContain('ARCHIVE_RATIO_LIMIT');
      expect(m.classification.status).not.toBe('unreadable');
    } finally {
      fs.rmSync(only, { recursive: true, force: true });
    }
  });

  it('a nested high-ratio member is flagged on the member and on its container', () => {
    const r = defaults;
    expect(codes(r.byPath.get('bomb-ratio.zip'))).toContain('ARCHIVE_RATIO_LIMIT');
    expect(codes(r.byPath.get('bomb-ratio.zip!/zeros-100m'))).toContain('ARCHIVE_RATIO_LIMIT');
    expect(r.summary.complete).toBe(true);
  });

  it('a 42-style nest is stopped by the ratio guard at the first level whose members inflate too far', () => {
    const r = defaults;
    expect(r.summary.complete).toBe(true);
    const stopped = r.items.filter(
      (i) => i.path.startsWith('bomb-nested.zip') && codes(i).includes('ARCHIVE_RATIO_LIMIT'),
    );
    expect(stopped.length).toBeGreaterThan(0);
    expect(r.items.length).toBeLessThan(5000);
    // The innermost archives (4.4 MB at 378:1) are read, being under the leaf floor, but not listed: too dense.
    const dense = stopped.filter((i) =>
      /Its members are not listed: the archive expanded 378:1/.test(JSON.stringify(i.errors)),
    );
    expect(dense.length).toBeGreaterThan(0);
    expect(dense.every((i) => i.classification.status === 'analysable' && i.format?.id === 'zip')).toBe(true);
  });

  it('with the ratio guard lifted, the scan-wide expansion budget stops the nest', async () => {
    const r = await scanPath(nestOnly, { limits: { maxExpansionRatio: 1_000_000, maxExpandedBytes: 100 * 1024 ** 2 } });
    const hit = r.items.filter((i) => codes(i).includes('ARCHIVE_EXPANSION_LIMIT'));
    expect(hit.length).toBeGreaterThan(0);
    expect(hit[0]!.errors.find((e) => e.code === 'ARCHIVE_EXPANSION_LIMIT')?.message).toMatch(
      /expansion budget \(104857600 bytes, \d+ used; a zip-bomb guard; raise --max-expanded/,
    );
    expect(r.summary.complete).toBe(true);
  });

  it('the depth limit stops opening archives below it, recorded on the container', async () => {
    const r = await scanPath(nestOnly, { limits: { maxExpansionRatio: 1_000_000, maxArchiveDepth: 2 } });
    const deep = r.items.filter((i) => codes(i).includes('ARCHIVE_DEPTH_LIMIT'));
    expect(deep.length).toBeGreaterThan(0);
    expect(Math.max(...r.items.map((i) => i.depth))).toBeLessThanOrEqual(2);
  });

  it('the member limit caps what is read from one archive', async () => {
    const r = await scanPath(path.join(fixtures, 'tree.zip'), { limits: { maxArchiveMembers: 3 } });
    const top = r.items.filter((i) => !i.path.includes('!/'));
    // Three directory records read, directories are not items: at most three items before the limit.
    expect(top.filter((i) => i.kind === 'file' || i.kind === 'symlink').length).toBeLessThanOrEqual(3);
    expect(top.filter((i) => i.kind === 'file' || i.kind === 'symlink').length).toBeGreaterThan(0);
    expect(codes(r.byPath.get('tree.zip!/'))).toEqual(['ARCHIVE_MEMBER_LIMIT']);
  });
});
