/**
 * iTunes/Finder backups: items keep their hashed on-disk path and gain the
 * domain path from Manifest.db; the device metadata goes into the header; an
 * encrypted backup reports every stored file (and Manifest.db) encrypted with
 * the backup password as the key hint. Fixtures: fixtures/make-ios-backups.py.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectSourceKind } from '@evtriage/core';
import { codes, fixtures, scanPath } from './helpers.js';

const plain = path.join(fixtures, 'ios-backup-plain');
const encrypted = path.join(fixtures, 'ios-backup-encrypted');

describe('iOS backup source', () => {
  it('is detected from the folder layout', () => {
    expect(detectSourceKind(plain)).toBe('ios-backup');
    expect(detectSourceKind(encrypted)).toBe('ios-backup');
    expect(detectSourceKind(path.join(fixtures, 'tree'))).toBe('folder');
  });

  it('gives every stored file its domain path and uses it to decide format and app', async () => {
    const r = await scanPath(plain);
    const sms = r.items.find((i) => i.logicalPath === 'HomeDomain/Library/SMS/sms.db')!;
    expect(sms).toBeDefined();
    expect(sms.path).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{40}$/);
    expect(sms.path.slice(3)).toBe('3d0d7e5fb2ce288813306e4d4636395e047a3d28'); // sha1("HomeDomain-Library/SMS/sms.db")
    expect(sms.format?.id).toBe('sqlite');
    expect(sms.app?.id).toBe('com.apple.MobileSMS');
    const wa = r.items.find(
      (i) => i.logicalPath === 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared/ChatStorage.sqlite',
    );
    expect(wa?.app?.id).toBe('net.whatsapp.WhatsApp');
    const jpg = r.items.find((i) => i.logicalPath?.endsWith('IMG_0001.JPG'));
    expect(jpg?.format?.id).toBe('jpeg');
    // A stored file Manifest.db does not list keeps its hashed path and says so.
    const orphan = r.items.find((i) => codes(i).includes('IOS_FILE_NOT_IN_MANIFEST'));
    expect(orphan?.logicalPath).toBeUndefined();
    expect(r.byPath.get('Manifest.db')?.format?.id).toBe('sqlite');
  });

  it('records the device and backup in the header', async () => {
    const r = await scanPath(plain);
    expect(r.header.source.kind).toBe('ios-backup');
    expect(r.header.source.metadata).toMatchObject({
      deviceName: 'Ada’s iPhone',
      iosVersion: '17.4.1',
      productType: 'iPhone14,2',
      backupDate: '2026-01-02T03:04:05.000Z',
      encrypted: false,
      files: 7,
    });
  });

  it('reports an encrypted backup: every stored file and Manifest.db encrypted, the password as key hint', async () => {
    const r = await scanPath(encrypted);
    expect(r.header.source.metadata).toMatchObject({
      encrypted: true,
      hasBackupKeyBag: true,
      hasManifestKey: true,
      deviceName: 'Ada’s iPhone',
      iosVersion: '17.4.1',
    });
    const stored = r.items.filter((i) => /^[0-9a-f]{2}\//.test(i.path));
    expect(stored.length).toBe(8);
    for (const i of stored) {
      expect(i.classification.status).toBe('encrypted');
      expect(i.encryption?.scheme).toBe('ios-backup-aes256');
      expect(i.encryption?.keyHint?.kind).toBe('password');
      expect(i.encryption?.keyHint?.description).toMatch(/backup password/);
    }
    expect(r.byPath.get('Manifest.db')?.classification.status).toBe('encrypted');
    expect(r.byPath.get('Manifest.plist')?.classification.status).toBe('analysable');
    expect(r.summary.encrypted.some((g) => g.scheme === 'ios-backup-aes256' && g.count === 9)).toBe(true);
  });
});

describe('iOS 5-9 backup source (Manifest.mbdb)', () => {
  const legacyPlain = path.join(fixtures, 'ios-backup-legacy-plain');
  const legacyEncrypted = path.join(fixtures, 'ios-backup-legacy-encrypted');

  it('is detected from the folder layout', () => {
    expect(detectSourceKind(legacyPlain)).toBe('ios-backup');
    expect(detectSourceKind(legacyEncrypted)).toBe('ios-backup');
  });

  it('gives the flat stored files their domain paths from Manifest.mbdb', async () => {
    const r = await scanPath(legacyPlain);
    const sms = r.items.find((i) => i.logicalPath === 'HomeDomain/Library/SMS/sms.db')!;
    expect(sms.path).toBe('3d0d7e5fb2ce288813306e4d4636395e047a3d28'); // sha1("HomeDomain-Library/SMS/sms.db")
    expect(sms.format?.id).toBe('sqlite');
    expect(sms.app?.id).toBe('com.apple.MobileSMS');
    expect(r.items.find((i) => i.logicalPath?.endsWith('IMG_0002.JPG'))?.format?.id).toBe('jpeg');
    expect(r.items.some((i) => codes(i).includes('IOS_FILE_NOT_IN_MANIFEST'))).toBe(false);
    expect(r.byPath.get('Manifest.mbdb')?.format?.id).toBe('ios-backup-mbdb');
    expect(r.header.source.metadata).toMatchObject({
      manifestFormat: 'mbdb',
      files: 2,
      encrypted: false,
      iosVersion: '8.4',
    });
  });

  it('reports an encrypted one: every stored file encrypted, still with its domain path; the clear mbdb not', async () => {
    const r = await scanPath(legacyEncrypted);
    expect(r.header.source.metadata).toMatchObject({ manifestFormat: 'mbdb', encrypted: true, wrappedFileKeys: true });
    const stored = r.items.filter((i) => /^[0-9a-f]{40}$/.test(i.path));
    expect(stored.length).toBe(2);
    for (const i of stored) {
      expect(i.classification.status).toBe('encrypted');
      expect(i.encryption?.scheme).toBe('ios-backup-aes256');
      expect(i.encryption?.keyHint?.kind).toBe('password');
      expect(i.logicalPath).toMatch(/^(HomeDomain|CameraRollDomain)\//);
    }
    expect(r.byPath.get('Manifest.mbdb')?.classification.status).toBe('opaque');
  });
});
