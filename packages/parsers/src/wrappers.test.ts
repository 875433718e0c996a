/**
 * The verdict must not depend on the wrapper: an age file (encrypted) and a SQLite database (readable), each
 * wrapped by Debian's single-stream compressors and simple archivers (fixtures/compressed-streams/wrappers/generate.sh: lz4, lzip,
 * plzip, lzop, compress, ar, dpkg-deb, an ar-based .ipk, cpio in four formats, rpmbuild with gzip, zstd and xz
 * payloads, TARs in lz4, lzop and .Z,
 * Firefox's mozLz4 from its published layout), scanned through the real pipeline: every wrapper keeps its own
 * format, and the file inside gets the verdict and format it has unwrapped.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { scanFixtures } from './scan-fixtures.test-helper.js';

const items = await scanFixtures('compressed-streams/wrappers');
const verdict = (i: EvidenceItem | undefined) => [i?.classification.status, i?.format?.id];
/** The items inside `outer` (at any depth) whose name starts with `name`. */
const inside = (outer: string, name: string) =>
  [...items.values()].filter((i) => i.path.startsWith(`${outer}!/`) && path.posix.basename(i.path).startsWith(name));

const WRAPPERS: Array<[string, string]> = [
  ['.lz4', 'lz4'],
  ['.legacy.lz4', 'lz4-legacy'],
  ['.jsonlz4', 'mozlz4'],
  ['.lz', 'lz'],
  ['.plzip.lz', 'lz'],
  ['.lzo', 'lzop'],
  ['.Z', 'compress-z'],
];
const ARCHIVES: Array<[string, string]> = [
  ['both.a', 'ar'],
  ['both.deb', 'deb'],
  ['both.ipk', 'deb'],
  ['both.rpm', 'rpm'],
  ['both-zstd.rpm', 'rpm'],
  ['both-newc.cpio', 'cpio'],
  ['both-odc.cpio', 'cpio'],
  ['both-crc.cpio', 'cpio'],
  ['both-bin.cpio', 'cpio'],
  ['both.tar.lz4', 'lz4'],
  ['both.tar.lzo', 'lzop'],
  ['both.tar.Z', 'compress-z'],
];

describe('a file in a wrapper gets the verdict it has unwrapped', () => {
  it('the unwrapped files themselves', () => {
    expect(verdict(items.get('secret.age'))).toEqual(['encrypted', 'age']);
    expect(verdict(items.get('notes.sqlite'))).toEqual(['analysable', 'sqlite']);
  });

  it.each(WRAPPERS)('in a single-stream %s', (suffix, format) => {
    for (const name of ['secret.age', 'notes.sqlite']) {
      const outer = items.get(`${name}${suffix}`);
      expect(outer?.format?.id).toBe(format);
      expect(outer?.errors).toEqual([]);
      const members = inside(`${name}${suffix}`, name);
      expect(members).toHaveLength(1);
      expect(verdict(members[0])).toEqual(verdict(items.get(name)));
      expect(members[0]!.errors).toEqual([]);
    }
  });

  it.each(ARCHIVES)('in %s', (archive, format) => {
    expect(items.get(archive)?.format?.id).toBe(format);
    expect(items.get(archive)?.errors).toEqual([]);
    for (const name of ['secret.age', 'notes.sqlite']) {
      const members = inside(archive, name);
      expect(members.map((m) => m.path)).toHaveLength(1);
      expect(verdict(members[0])).toEqual(verdict(items.get(name)));
    }
  });

  it('a .deb and an RPM list their own members, not what 7-Zip would open inside them', () => {
    expect([...items.keys()].filter((p) => /^both\.deb!\/[^!]+$/.test(p))).toEqual([
      'both.deb!/control.tar.xz',
      'both.deb!/data.tar.xz',
    ]);
    expect([...items.keys()].filter((p) => /^both\.rpm!\/[^!]+$/.test(p))).toEqual([
      'both.rpm!/case-files-1.0-1.noarch.cpio.gz',
    ]);
  });

  it("left: an RPM's xz payload carries a SHA-256 check the xz decoder lacks, and says so", () => {
    const payload = items.get('both-xz.rpm!/case-files-1.0-1.noarch.cpio.xz');
    expect(payload?.format?.id).toBe('xz');
    expect(payload?.errors.map((e) => e.code)).toEqual(['ARCHIVE_UNSUPPORTED']);
    expect(payload?.errors[0]?.message).toMatch(/SHA-256 check/);
  });

  it('left: Brotli (no magic), lrzip and ZPAQ are identified, not opened', () => {
    for (const name of ['secret.age', 'notes.sqlite'])
      for (const suffix of ['.br', '.lrz', '.zpaq']) expect(inside(`${name}${suffix}`, '')).toEqual([]);
    expect(items.get('notes.sqlite.lrz')?.format?.id).toBe('lrzip');
    expect(items.get('notes.sqlite.zpaq')?.format?.id).toBe('zpaq');
  });
});
