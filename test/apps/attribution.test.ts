import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAppRules } from '@evtriage/core';
import { builtinAppRules } from '@evtriage/parsers';
import { createAttributor } from '../../packages/core/src/pipeline/attribute.js';
import { buildAndroidTree, buildIosBackupTree, buildIosTree, IOS_UUIDS } from '../fixtures/apps/generate.js';
import { at, scanFolder, tempDir, type Scanned } from './scan-tree.js';

let root: string;
let android: Scanned;
let ios: Scanned;
let backup: Scanned;

beforeAll(async () => {
  root = tempDir('attr');
  buildAndroidTree(path.join(root, 'android'));
  buildIosTree(path.join(root, 'ios'));
  buildIosBackupTree(path.join(root, 'ios-backup'));
  android = await scanFolder(path.join(root, 'android'));
  ios = await scanFolder(path.join(root, 'ios'));
  backup = await scanFolder(path.join(root, 'ios-backup'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const appOf = (s: Scanned, p: string) => {
  const a = at(s, p).app;
  return a ? `${a.id} ${a.rule}` : undefined;
};

describe('Android path patterns (under a Dump/ root, and at the root)', () => {
  it.each([
    ['Dump/data/data/com.whatsapp/databases/wa.db', 'com.whatsapp android-data-data'],
    ['Dump/data/user/0/org.telegram.messenger/files/c4.dat', 'org.telegram.messenger android-data-user'],
    ['Dump/data/user_de/0/org.telegram.messenger/shared_prefs/de.xml', 'org.telegram.messenger android-data-user-de'],
    ['Dump/data/media/0/Android/data/com.snapchat.android/cache/blob.bin', 'com.snapchat.android android-media-app'],
    [
      'Dump/data/media/0/Android/media/com.whatsapp/WhatsApp/Media/WhatsApp Images/IMG-1.jpg',
      'com.whatsapp android-media-app',
    ],
    [
      'Dump/data/media/0/Android/obb/com.example.game/main.1.com.example.game.obb',
      'com.example.game android-media-app',
    ],
    ['Dump/sdcard/Android/data/com.instagram.android/files/config.json', 'com.instagram.android android-sdcard-app'],
    ['storage/emulated/0/Android/data/org.telegram.messenger/cache/x.txt', 'org.telegram.messenger android-sdcard-app'],
    [
      'Dump/storage/emulated/0/WhatsApp/Databases/msgstore-2023-11-01.1.db.crypt14',
      'com.whatsapp android-shared-whatsapp',
    ],
    ['Dump/sdcard/Telegram/Telegram Images/photo.jpg', 'org.telegram.messenger android-shared-telegram'],
    [
      'Dump/sdcard/SystemAndroid/Data/MTUwOTQ0Mg==/.image/1701862800123.bin',
      'com.netqin.ps android-shared-systemandroid-data',
    ],
    ['Dump/sdcard/.locked_vault/images/3f2a9c.jpg', 'com.lkd.calculator android-shared-locked-vault'],
    ['Dump/sdcard/DCIM/Camera/IMG_0001.jpg', 'com.android.providers.media.module android-shared-dcim'],
    ['Dump/data/app/~~Qm9vaw==/com.whatsapp-aGVsbG8=/base.apk', 'com.whatsapp android-apk'],
    ['Dump/data/system/packages.xml', 'android android-system'],
  ])('%s → %s', (p, expected) => {
    expect(appOf(android, p)).toBe(expected);
  });

  it('names catalogued apps and leaves unknown ones by package id', () => {
    expect(at(android, 'Dump/data/data/com.whatsapp/databases/wa.db').app).toMatchObject({
      name: 'WhatsApp',
      category: 'messaging',
      catalogueId: 'whatsapp',
      platform: 'android',
    });
    const notes = at(android, 'Dump/data/data/com.example.notes/files/notes.bin').app!;
    expect(notes.id).toBe('com.example.notes');
    expect(notes.name).toBeUndefined();
  });

  it('does not attribute a file outside app folders', () => {
    expect(at(android, 'Dump/sdcard/Download/export-2023.bin').app).toBeUndefined();
  });
});

describe('iOS full file system', () => {
  const M = 'filesystem1/private/var/mobile';
  it.each([
    [`${M}/Library/SMS/sms.db`, 'com.apple.MobileSMS ios-library-sms'],
    [`${M}/Library/AddressBook/AddressBook.sqlitedb`, 'com.apple.MobileAddressBook ios-library-addressbook'],
    [`${M}/Library/CallHistoryDB/CallHistory.storedata`, 'com.apple.mobilephone ios-library-callhistorydb'],
    [`${M}/Media/DCIM/100APPLE/IMG_0001.HEIC`, 'com.apple.mobileslideshow ios-media-dcim'],
    [
      `${M}/Containers/Data/Application/${IOS_UUIDS.whatsappData}/Library/Preferences/net.whatsapp.WhatsApp.plist`,
      'net.whatsapp.WhatsApp ios-container-metadata',
    ],
    [
      `${M}/Containers/Data/Application/${IOS_UUIDS.unknownApp}/Documents/store.bin`,
      'com.example.iosapp ios-container-metadata',
    ],
  ])('%s → %s', (p, expected) => {
    expect(appOf(ios, p)).toBe(expected);
  });

  it('folds app-group and extension containers into the owning app, keeping the original id in via', () => {
    const group = at(ios, `${M}/Containers/Shared/AppGroup/${IOS_UUIDS.whatsappGroup}/ChatStorage.sqlite`).app!;
    expect(group).toMatchObject({
      id: 'net.whatsapp.WhatsApp',
      via: 'group.net.whatsapp.WhatsApp.shared',
      name: 'WhatsApp',
      rule: 'ios-container-metadata',
    });
    const ext = at(
      ios,
      `${M}/Containers/Data/PluginKitPlugin/${IOS_UUIDS.whatsappExtension}/Library/Caches/share.json`,
    ).app!;
    expect(ext).toMatchObject({ id: 'net.whatsapp.WhatsApp', via: 'net.whatsapp.WhatsApp.ShareExtension' });
  });
});

describe('iOS backup domains (logical paths)', () => {
  it.each([
    ['HomeDomain/Library/SMS/sms.db', 'com.apple.MobileSMS ios-library-sms'],
    ['MediaDomain/Library/SMS/Attachments/ab/01/IMG_1.jpg', 'com.apple.MobileSMS ios-library-sms'],
    ['CameraRollDomain/Media/DCIM/100APPLE/IMG_0002.JPG', 'com.apple.mobileslideshow ios-media-dcim'],
    [
      'AppDomain-net.whatsapp.WhatsApp/Library/Preferences/net.whatsapp.WhatsApp.plist',
      'net.whatsapp.WhatsApp ios-backup-app-domain',
    ],
    [
      'AppDomainGroup-group.net.whatsapp.WhatsApp.shared/Message/Media/a.jpg',
      'net.whatsapp.WhatsApp ios-backup-app-group',
    ],
    ['AppDomainPlugin-net.whatsapp.WhatsApp.Intents/Library/x.plist', 'net.whatsapp.WhatsApp ios-backup-app-plugin'],
    ['AppDomain-com.example.backupapp/Documents/data.bin', 'com.example.backupapp ios-backup-app-domain'],
  ])('%s → %s', (p, expected) => {
    expect(appOf(backup, p)).toBe(expected);
  });
});

describe('the per-app summary', () => {
  it('lists files, artifacts with headline counts and installed apps with no data', () => {
    const wa = android.summary.apps.find((a) => a.id === 'com.whatsapp')!;
    expect(wa).toMatchObject({ name: 'WhatsApp', category: 'messaging', installed: true, unparsed: false });
    expect(wa.files).toBe(8);
    expect(wa.artifacts.map((a) => a.id).sort()).toEqual(['whatsapp:contacts', 'whatsapp:messages']);
    expect(wa.artifacts.find((a) => a.id === 'whatsapp:contacts')!.counts).toEqual({ contacts: 3 });
    const signal = android.summary.apps.find((a) => a.id === 'org.thoughtcrime.securesms')!;
    expect(signal).toMatchObject({ name: 'Signal', installed: true, files: 0 });
    expect(android.summary.apps.find((a) => a.id === 'com.example.installedonly')).toMatchObject({
      installed: true,
      files: 0,
      unparsed: false,
    });
    // Data present, no parser: flagged for the analyst.
    expect(android.summary.apps.filter((a) => a.unparsed && a.files > 0).map((a) => a.id)).toEqual(
      expect.arrayContaining(['com.example.notes', 'com.snapchat.android', 'com.example.game']),
    );
  });

  it('lists iOS installed apps from applicationState.db and a backup Info.plist', () => {
    expect(ios.summary.apps.find((a) => a.id === 'com.example.iosinstalled')).toMatchObject({
      installed: true,
      files: 0,
    });
    expect(ios.summary.apps.find((a) => a.id === 'net.whatsapp.WhatsApp')).toMatchObject({
      installed: true,
      unparsed: false,
    });
    expect(backup.summary.apps.find((a) => a.id === 'com.example.backuponly')).toMatchObject({
      installed: true,
      files: 0,
    });
    expect(backup.summary.apps.find((a) => a.id === 'org.whispersystems.signal')).toMatchObject({
      installed: true,
      name: 'Signal',
    });
  });
});

describe('rule literals (a speed-up) never change a decision', () => {
  it('attributes every generated path the same with and without the literal pre-checks', () => {
    const fast = createAttributor(builtinAppRules);
    const plain = createAttributor(
      builtinAppRules.map((p) =>
        defineAppRules({
          meta: p.meta,
          rules: p.rules.map(({ literal: _drop, ...r }) => r),
          ...(p.catalogue ? { catalogue: p.catalogue } : {}),
        }),
      ),
    );
    const paths = [
      ...android.order,
      ...ios.order,
      ...backup.order,
      'x/data/data/com.a.b/f',
      'Android/data/com.a.b/x',
      'a/AppDomainGroup-group.x.y/z',
      'sdcard/Pictures/Screenshots/s.png',
      'private/var/mobile/Library/Voicemail/1.amr',
    ];
    for (const p of paths) expect(fast.attribute(p), p).toEqual(plain.attribute(p));
    expect(paths.filter((p) => fast.attribute(p)).length).toBeGreaterThan(30);
  });
});
