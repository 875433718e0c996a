/**
 * ZIP member names and encryption, per member: hostile names recorded as
 * stored and flagged, UTF-8 and CP437 names decoded (raw bytes kept when not
 * UTF-8), ZipCrypto and WinZip AES recognised from the central directory.
 * Fixtures: fixtures/make-fixtures.sh (python zipfile with patched CP437
 * bytes, Info-ZIP `zip -P`, 7-Zip `-mem=AES256`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { codes, fixtures, scanPath } from './helpers.js';

const strongFixtures = fileURLToPath(new URL('../../packages/parsers/fixtures/zip-encryption/', import.meta.url));

describe('member names', () => {
  it('records hostile names as stored and flags them', async () => {
    const r = await scanPath(path.join(fixtures, 'names.zip'));
    expect(codes(r.byPath.get('../escape.txt'))).toEqual(['MEMBER_NAME_PARENT']);
    expect(codes(r.byPath.get('/etc/absolute.txt'))).toEqual(['MEMBER_NAME_ABSOLUTE']);
    expect(codes(r.byPath.get('dir\\windows.txt'))).toEqual(['MEMBER_NAME_BACKSLASH']);
    expect(codes(r.byPath.get('ok/normal.txt'))).toEqual([]);
    for (const i of r.items) expect(i.errors.every((e) => e.severity === 'warning')).toBe(true);
    // Nothing escapes: the names are only text in the manifest.
    expect(r.byPath.get('../escape.txt')?.format?.id).toBe('text');
  });

  it('decodes UTF-8 (flag 11) and CP437 names, keeping the raw bytes of the latter', async () => {
    const r = await scanPath(path.join(fixtures, 'names.zip'));
    expect(r.byPath.get('café-utf8.txt')?.rawPath).toBeUndefined();
    const cp437 = r.byPath.get('CP437-éöüñ.txt')!;
    expect(cp437).toBeDefined();
    expect(Buffer.from(cp437.rawPath!, 'base64')).toEqual(Buffer.from('CP437-\x82\x94\x81\xa4.txt', 'latin1'));
    expect((cp437.details?.['container'] as { nameEncoding: string }).nameEncoding).toBe('cp437');
  });
});

describe('encrypted members', () => {
  it('ZipCrypto member encrypted, its plain sibling analysable', async () => {
    const r = await scanPath(path.join(fixtures, 'encrypted.zip'));
    const secret = r.byPath.get('secret.txt')!;
    expect(secret.classification.status).toBe('encrypted');
    expect(secret.encryption?.scheme).toBe('zipcrypto');
    expect(secret.encryption?.keyHint?.kind).toBe('password');
    expect(secret.classification.reasons[0]?.code).toBe('CONTAINER_SAYS_ENCRYPTED');
    expect(secret.errors).toEqual([]);
    const pub = r.byPath.get('public.txt')!;
    expect(pub.classification.status).toBe('analysable');
    expect(pub.format?.id).toBe('text');
  });

  it('WinZip AES-256 members are recognised by the 0x9901 extra field', async () => {
    const r = await scanPath(path.join(fixtures, 'aes.zip'));
    const secret = r.byPath.get('secret.txt')!;
    expect(secret.encryption?.scheme).toBe('winzip-aes');
    expect(secret.classification.reasons[0]?.message).toMatch(/WinZip AES-256/);
  });

  it('PKWARE strong encryption (bit 6): every member is listed, each flagged, where yauzl alone stops', async () => {
    // libarchive's test archives (packages/parsers/fixtures/zip-encryption/generate.sh says where they come from).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-strong-'));
    for (const f of ['libarchive-strong-encryption.zip', 'libarchive-strong-partially.zip'])
      fs.copyFileSync(path.join(strongFixtures, f), path.join(dir, f));
    const r = await scanPath(dir).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
    for (const name of ['libarchive-strong-encryption.zip!/bar.txt', 'libarchive-strong-encryption.zip!/foo.txt']) {
      const m = r.byPath.get(name)!;
      expect(m.encryption?.scheme).toBe('pkware-strong-encryption');
      expect(m.classification.reasons[0]?.code).toBe('CONTAINER_SAYS_ENCRYPTED');
    }
    expect(r.byPath.get('libarchive-strong-partially.zip!/bar.txt')?.classification.status).toBe('analysable');
    expect(r.byPath.get('libarchive-strong-partially.zip!/foo.txt')?.encryption?.scheme).toBe(
      'pkware-strong-encryption',
    );
    // No damage is reported: the directory is whole.
    for (const f of ['libarchive-strong-encryption.zip', 'libarchive-strong-partially.zip'])
      expect(codes(r.byPath.get(f))).toEqual([]);
  });

  it('an encrypted central directory (bit 13) is said to be encrypted, not damaged', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-strong-'));
    fs.copyFileSync(path.join(strongFixtures, 'libarchive-strong-directory.zip'), path.join(dir, 'a.zip'));
    const r = await scanPath(dir).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
    const a = r.byPath.get('a.zip')!;
    expect(a.classification.status).toBe('encrypted');
    expect(codes(a)).toEqual(['ZIP_DIRECTORY_ENCRYPTED']);
    expect(a.errors[0]?.message).toMatch(/central directory is encrypted/);
  });

  it('a ZIP with encrypted members inside a folder is opened and its members flagged one by one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-enc-'));
    fs.copyFileSync(path.join(fixtures, 'encrypted.zip'), path.join(dir, 'encrypted.zip'));
    const r = await scanPath(dir).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
    expect(r.byPath.get('encrypted.zip!/secret.txt')?.encryption?.scheme).toBe('zipcrypto');
    expect(r.byPath.get('encrypted.zip!/public.txt')?.classification.status).toBe('analysable');
  });
});
