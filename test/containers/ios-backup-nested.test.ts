/**
 * An iTunes/Finder backup folder found *inside* a folder source (a computer
 * image's `Users/<name>/Library/Application Support/MobileSync/Backup/<udid>/`
 * or a collected folder) is understood as the ios-backup source understands
 * it at the top: its stored files get their domain path (prefixed with the
 * backup folder's path), their format and app from it; an encrypted backup's
 * files are encrypted with the backup password as the key hint, not "unknown"
 * with some other app's hint. Fixtures: fixtures/make-ios-backups.py (copied
 * into a computer-image-like tree at test time).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, fixtures, scanPath, type ScanResult } from './helpers.js';

const BACKUPS = 'Users/ada/Library/Application Support/MobileSync/Backup';
const PLAIN_UDID = '00008110-000A1B2C3D4E5F60';
const ENC_UDID = '00008110-000F9E8D7C6B5A40';
let dir: string;
let nested: ScanResult;
let top: ScanResult;
let topEncrypted: ScanResult;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-nested-backup-'));
  fs.cpSync(path.join(fixtures, 'ios-backup-plain'), path.join(dir, BACKUPS, PLAIN_UDID), { recursive: true });
  fs.cpSync(path.join(fixtures, 'ios-backup-encrypted'), path.join(dir, BACKUPS, ENC_UDID), { recursive: true });
  fs.mkdirSync(path.join(dir, 'Users/ada/Documents'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Users/ada/Documents/notes.txt'), 'not part of any backup\n');
  nested = await scanPath(dir);
  top = await scanPath(path.join(fixtures, 'ios-backup-plain'));
  topEncrypted = await scanPath(path.join(fixtures, 'ios-backup-encrypted'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('an iOS backup inside a folder source', () => {
  it('is scanned as a folder, and every file of the backup is there', () => {
    expect(nested.header.source.kind).toBe('folder');
    const inside = nested.items.filter((i) => i.path.startsWith(`${BACKUPS}/${PLAIN_UDID}/`));
    expect(inside.map((i) => i.path.slice(BACKUPS.length + PLAIN_UDID.length + 2)).sort()).toEqual(
      top.items.map((i) => i.path).sort(),
    );
  });

  it('gives stored files the domain path (prefixed with the backup folder), the same format and the same app as the backup source', () => {
    const prefix = `${BACKUPS}/${PLAIN_UDID}`;
    let withLogical = 0;
    for (const t of top.items) {
      const n = nested.byPath.get(`${prefix}/${t.path}`)!;
      expect(n, t.path).toBeDefined();
      expect(n.logicalPath, t.path).toBe(t.logicalPath === undefined ? undefined : `${prefix}/${t.logicalPath}`);
      expect(n.format?.id, t.path).toBe(t.format?.id);
      expect(n.classification.status, t.path).toBe(t.classification.status);
      expect(n.app?.id, t.path).toBe(t.app?.id);
      expect(codes(n), t.path).toEqual(codes(t));
      if (n.logicalPath) withLogical++;
    }
    expect(withLogical).toBe(7);
    const sms = nested.items.find((i) => i.logicalPath === `${prefix}/HomeDomain/Library/SMS/sms.db`);
    expect(sms?.app?.id).toBe('com.apple.MobileSMS');
    expect(nested.items.find((i) => i.logicalPath?.endsWith('/ChatStorage.sqlite'))?.app?.id).toBe(
      'net.whatsapp.WhatsApp',
    );
    // The backup's Info.plist lists the installed apps, as at the top.
    expect(nested.summary.apps.find((a) => a.id === 'net.whatsapp.WhatsApp')?.installed).toBe(true);
    expect(top.summary.apps.find((a) => a.id === 'net.whatsapp.WhatsApp')?.installed).toBe(true);
  });

  it("reports an encrypted backup's files as the backup source does: ios-backup-aes256, the backup password as key", () => {
    const prefix = `${BACKUPS}/${ENC_UDID}`;
    const stored = nested.items.filter(
      (i) => i.path.startsWith(`${prefix}/`) && /\/[0-9a-f]{2}\/[0-9a-f]{40}$/.test(i.path),
    );
    expect(stored.length).toBe(topEncrypted.items.filter((i) => /^[0-9a-f]{2}\//.test(i.path)).length);
    for (const i of [...stored, nested.byPath.get(`${prefix}/Manifest.db`)!]) {
      expect(i.classification.status, i.path).toBe('encrypted');
      expect(i.encryption?.scheme, i.path).toBe('ios-backup-aes256');
      expect(i.encryption?.keyHint?.kind, i.path).toBe('password');
      expect(i.encryption?.keyHint?.description, i.path).toMatch(/backup password/);
    }
    // In the summary they form their own row, with their own hint.
    const row = nested.summary.encrypted.find((g) => g.scheme === 'ios-backup-aes256');
    expect(row?.count).toBe(stored.length + 1);
    expect(row?.keyHint?.description).toMatch(/backup password/);
  });

  it('leaves files outside the backup alone', () => {
    const notes = nested.byPath.get('Users/ada/Documents/notes.txt')!;
    expect(notes.logicalPath).toBeUndefined();
    expect(notes.format?.id).toBe('text');
  });
});

describe('an iOS 5-9 backup (Manifest.mbdb) inside a folder source', () => {
  it('gives its flat stored files their domain paths under the backup folder, encrypted ones too', async () => {
    const legacyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-nested-legacy-'));
    try {
      const plain = `${BACKUPS}/legacy-plain`;
      const encrypted = `${BACKUPS}/legacy-encrypted`;
      fs.cpSync(path.join(fixtures, 'ios-backup-legacy-plain'), path.join(legacyDir, plain), { recursive: true });
      fs.cpSync(path.join(fixtures, 'ios-backup-legacy-encrypted'), path.join(legacyDir, encrypted), {
        recursive: true,
      });
      const r = await scanPath(legacyDir);
      const sms = r.items.find((i) => i.logicalPath === `${plain}/HomeDomain/Library/SMS/sms.db`);
      expect(sms?.path).toBe(`${plain}/3d0d7e5fb2ce288813306e4d4636395e047a3d28`);
      expect(sms?.app?.id).toBe('com.apple.MobileSMS');
      const locked = r.items.find((i) => i.logicalPath === `${encrypted}/HomeDomain/Library/SMS/sms.db`);
      expect(locked?.classification.status).toBe('encrypted');
      expect(locked?.encryption?.scheme).toBe('ios-backup-aes256');
      expect(r.items.some((i) => codes(i).includes('IOS_FILE_NOT_IN_MANIFEST'))).toBe(false);
    } finally {
      fs.rmSync(legacyDir, { recursive: true, force: true });
    }
  });
});
