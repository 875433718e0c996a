/**
 * The same evidence gives the same answer whether the analyst hands over the
 * folder, a ZIP of it or a TAR.GZ of it, item by item, including disk images
 * that are mostly zeros (a LUKS volume with an empty payload expands ~1000:1
 * in a ZIP). The source archive is the evidence and is read whole: the
 * expansion-ratio guard is for archives found inside it.
 *
 * The tree is built from committed fixtures (packages/parsers/fixtures/*,
 * made by each folder's generate.sh); the disk images are those headers
 * padded with zeros to a realistic size, as an unused volume is. The ZIP is
 * made with Info-ZIP zip, the TAR.GZ with GNU tar.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EvidenceItem } from '@evtriage/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, scanPath, type ScanResult } from './helpers.js';

const parserFixtures = fileURLToPath(new URL('../../packages/parsers/fixtures/', import.meta.url));
const MiB = 1024 * 1024;

/** Tree path → [fixture, padded size or undefined]. */
const TREE: Record<string, [string, number?]> = {
  'disks/luks1.img': ['disk-encryption/luks1-header.img', 4 * MiB],
  'disks/luks2.img': ['disk-encryption/luks2-header.img', 3 * MiB],
  'disks/fat.img': ['disk-images/fat.img', 2 * MiB],
  'encrypted/symmetric.gpg': ['openpgp/symmetric.gpg'],
  'encrypted/message.age': ['age/message.age'],
  'encrypted/user-password-aes256.pdf': ['pdf-encryption/user-password-aes256.pdf'],
  'encrypted/zipcrypto.zip': ['zip-encryption/zipcrypto.zip'],
  'encrypted/aes256.zip': ['zip-encryption/aes256.zip'],
  'encrypted/content-encrypted.7z': ['sevenzip-encryption/content-encrypted.7z'],
  'sdcard/WhatsApp/Databases/msgstore.db.crypt15': ['whatsapp-backup/msgstore.db.crypt15'],
  'readable/plain.db': ['sqlite/plain.db'],
  'readable/binary.plist': ['plist/binary.plist'],
  'readable/xml.plist': ['plist/xml.plist'],
  'readable/plain.7z': ['sevenzip-encryption/plain.7z'],
};

let dir: string;
let folder: ScanResult;
let zip: ScanResult;
let tgz: ScanResult;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-whole-'));
  const root = path.join(dir, 'extraction');
  for (const [rel, [fixture, padTo]] of Object.entries(TREE)) {
    const to = path.join(root, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(parserFixtures, fixture), to);
    if (padTo) fs.truncateSync(to, padTo);
  }
  execFileSync('zip', ['-q', '-r', '-X', path.join(dir, 'extraction.zip'), '.'], { cwd: root });
  execFileSync('tar', ['-czf', path.join(dir, 'extraction.tar.gz'), '-C', root, '.']);
  folder = await scanPath(root);
  zip = await scanPath(path.join(dir, 'extraction.zip'));
  tgz = await scanPath(path.join(dir, 'extraction.tar.gz'));
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Everything an analyst reads about an item that must not depend on how the evidence was packed. */
function answer(i: EvidenceItem): string {
  return [
    i.path,
    i.kind,
    i.size,
    i.format?.id ?? '-',
    i.classification.status,
    i.encryption?.scheme ?? '-',
    i.encryption?.keyHint?.kind ?? '-',
    i.app?.id ?? '-',
    codes(i).join(',') || '-',
  ].join(' | ');
}
const answers = (r: ScanResult) => r.items.map(answer).sort();

describe('folder, ZIP and TAR.GZ of the same extraction', () => {
  it('the mostly-zero disk images really do expand past the ratio guard in the archives', () => {
    const listing = execFileSync('unzip', ['-v', path.join(dir, 'extraction.zip')], { encoding: 'utf8' });
    const luks = listing.split('\n').find((l) => l.endsWith('disks/luks1.img'))!;
    const [length, , size] = luks.trim().split(/\s+/).map(Number);
    expect(length! / size!).toBeGreaterThan(200);
    expect(fs.statSync(path.join(dir, 'extraction.tar.gz')).size * 200).toBeLessThan(9 * MiB);
  });

  it('give the same items with the same format, status, scheme, key kind, app and errors', () => {
    expect(answers(zip)).toEqual(answers(folder));
    expect(answers(tgz)).toEqual(answers(folder));
    expect(folder.items.length).toBeGreaterThanOrEqual(Object.keys(TREE).length);
  });

  it('read the disk images whole: LUKS volumes are encrypted, the FAT image analysable, nothing unreadable', () => {
    for (const r of [folder, zip, tgz]) {
      const kind = r.header.source.kind;
      expect(r.byPath.get('disks/luks1.img')?.format?.id, kind).toMatch(/^luks/);
      expect(r.byPath.get('disks/luks1.img')?.classification.status, kind).toBe('encrypted');
      expect(r.byPath.get('disks/luks2.img')?.classification.status, kind).toBe('encrypted');
      expect(r.byPath.get('disks/fat.img')?.classification.status, kind).toBe('analysable');
      expect(
        r.items.filter((i) => i.classification.status === 'unreadable').map((i) => i.path),
        kind,
      ).toEqual([]);
      expect(r.items.flatMap(codes), kind).not.toContain('ARCHIVE_RATIO_LIMIT');
      expect(r.summary.complete, kind).toBe(true);
    }
  });

  it('count an encrypted ZIP through its encrypted members in the scheme table, under one winzip-aes scheme', () => {
    for (const r of [folder, zip, tgz]) {
      const kind = r.header.source.kind;
      const rows = (scheme: string) => r.summary.encrypted.filter((g) => g.scheme === scheme);
      const members = (archive: string) =>
        r.items.filter((i) => i.path.startsWith(`${archive}!/`) && i.classification.status === 'encrypted').length;
      expect(
        r.summary.encrypted.map((g) => g.scheme),
        kind,
      ).not.toContain('winzip-aes-256');
      expect(members('encrypted/aes256.zip'), kind).toBeGreaterThan(0);
      expect(
        rows('winzip-aes').reduce((n, g) => n + g.count, 0),
        kind,
      ).toBe(members('encrypted/aes256.zip'));
      expect(
        rows('zipcrypto').reduce((n, g) => n + g.count, 0),
        kind,
      ).toBe(members('encrypted/zipcrypto.zip'));
      const examples = r.summary.encrypted.flatMap((g) => g.examples);
      expect(examples, kind).not.toContain('encrypted/aes256.zip');
      expect(examples, kind).not.toContain('encrypted/zipcrypto.zip');
      // The archives are still encrypted items.
      expect(r.byPath.get('encrypted/aes256.zip')?.classification.status, kind).toBe('encrypted');
    }
  });
});
