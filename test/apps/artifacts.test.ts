import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAndroidTree,
  buildIosBackupTree,
  buildIosTree,
  IOS_UUIDS,
  type Expected,
} from '../fixtures/apps/generate.js';
import { at, scanFolder, tempDir, type Scanned } from './scan-tree.js';

const require = createRequire(fileURLToPath(new URL('../../packages/core/package.json', import.meta.url)));
const Database = require('better-sqlite3') as new (
  file: string,
  opts?: { readonly?: boolean },
) => { exec(s: string): void; close(): void };

let root: string;
let expected: Expected;
let android: Scanned;
let ios: Scanned;
let backup: Scanned;
const D = 'Dump/data/data';

beforeAll(async () => {
  root = tempDir('artifacts');
  expected = buildAndroidTree(path.join(root, 'android'));
  // Look-alikes that must not be recognised: an "sms" table without the SMS columns, a renamed file that is not SQLite.
  const odd = new Database(path.join(root, 'android/Dump/sdcard/Download/lookalike.db'));
  odd.exec(
    'CREATE TABLE sms (_id INTEGER PRIMARY KEY, note TEXT); CREATE TABLE calls (_id INTEGER PRIMARY KEY, number TEXT)',
  );
  odd.close();
  buildIosTree(path.join(root, 'ios'));
  buildIosBackupTree(path.join(root, 'ios-backup'));
  android = await scanFolder(path.join(root, 'android'));
  ios = await scanFolder(path.join(root, 'ios'));
  backup = await scanFolder(path.join(root, 'ios-backup'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const artifactOf = (s: Scanned, p: string) => {
  const a = at(s, p).artifact;
  return a ? { id: a.id, counts: a.counts, by: a.by } : undefined;
};

describe('known SQLite artifacts, recognised by tables and columns', () => {
  it.each([
    [
      `Dump/data/data/com.android.providers.telephony/databases/mmssms.db`,
      'android:sms',
      { messages: 4, threads: 2 },
      'android-sms',
    ],
    [
      `Dump/data/data/com.android.providers.contacts/databases/contacts2.db`,
      'android:contacts',
      { contacts: 4 },
      'android-contacts',
    ],
    [
      `Dump/data/data/com.android.providers.contacts/databases/calllog.db`,
      'android:call-log',
      { calls: 2 },
      'android-call-log',
    ],
    [`Dump/data/data/com.whatsapp/databases/wa.db`, 'whatsapp:contacts', { contacts: 3 }, 'whatsapp-contacts'],
    [
      `Dump/data/data/com.android.chrome/app_chrome/Default/History`,
      'chromium:history',
      { visits: 3, urls: 2, downloads: 0 },
      'chromium-history',
    ],
    [
      `Dump/data/data/com.kakao.talk/databases/KakaoTalk.db`,
      'kakaotalk:chat-logs',
      { messages: 2, chats: 1 },
      'kakaotalk-chat-logs',
    ],
  ])('%s is %s', (p, id, counts, by) => {
    expect(artifactOf(android, p)).toEqual({ id, counts, by });
  });

  it('recognises renamed databases by structure, not by name', () => {
    expect(artifactOf(android, 'Dump/sdcard/Download/export-2023.bin')).toEqual({
      id: 'android:sms',
      counts: { messages: 4, threads: 2 },
      by: 'android-sms',
    });
    expect(artifactOf(android, 'Dump/data/user/0/org.telegram.messenger/files/c4.dat')).toEqual({
      id: 'telegram:cache',
      counts: { messages: 4, users: 2, chats: 1 },
      by: 'telegram-cache',
    });
  });

  it('does not recognise a look-alike whose tables lack the required columns', () => {
    const odd = at(android, 'Dump/sdcard/Download/lookalike.db');
    expect(odd.format?.id).toBe('sqlite');
    expect(odd.artifact).toBeUndefined();
  });

  it.each([
    [
      'filesystem1/private/var/mobile/Library/SMS/sms.db',
      'ios:sms',
      { messages: 2, chats: 1, handles: 1, attachments: 0 },
    ],
    ['filesystem1/private/var/mobile/Library/AddressBook/AddressBook.sqlitedb', 'ios:contacts', { contacts: 3 }],
    ['filesystem1/private/var/mobile/Library/CallHistoryDB/CallHistory.storedata', 'ios:calls', { calls: 3 }],
    [
      `filesystem1/private/var/mobile/Containers/Shared/AppGroup/${IOS_UUIDS.whatsappGroup}/ChatStorage.sqlite`,
      'whatsapp:ios-messages',
      { messages: 5, chats: 1 },
    ],
  ])('iOS: %s is %s', (p, id, counts) => {
    expect(artifactOf(ios, p)).toMatchObject({ id, counts });
  });
});

describe('Android packages.xml (binary XML)', () => {
  it('is identified as ABX and read as the installed-package artifact', () => {
    const item = at(android, 'Dump/data/system/packages.xml');
    expect(item.format?.id).toBe('android-binary-xml');
    expect(item.classification.status).toBe('analysable');
    expect(artifactOf(android, 'Dump/data/system/packages.xml')).toEqual({
      id: 'android:packages',
      counts: { packages: 4 },
      by: 'android-packages',
    });
    expect(item.details?.['android-packages']).toEqual({
      encoding: 'abx',
      packages: 4,
      sdkVersion: 33,
      first: ['com.example.installedonly', 'com.whatsapp', 'org.telegram.messenger', 'org.thoughtcrime.securesms'],
    });
  });
});

describe('WAL and freelist figures', () => {
  it('counts the -wal frames SQLite itself reported, and the stale frames of the earlier generation', () => {
    const item = at(android, `${D}/com.whatsapp/databases/msgstore.db`);
    const wal = (item.details?.['sqlite-wal'] as { wal: Record<string, unknown> }).wal;
    expect(wal).toMatchObject({
      present: true,
      headerValid: true,
      pageSize: 4096,
      validFrames: expected.walFrames,
      committedFrames: expected.walFrames,
      uncommittedFrames: 0,
      holdsFrames: true,
      trailingBytes: 0,
    });
    expect(wal['staleFrames']).toBeGreaterThan(0);
    expect((wal['frames'] as number) - (wal['validFrames'] as number)).toBe(wal['staleFrames']);
    // The main file alone: the rows checkpointed before the last reset.
    expect(item.artifact?.counts['messages']).toBe(expected.msgstoreRowsInMain);
  });

  it('reports no WAL for a database without one', () => {
    expect(at(android, `${D}/com.whatsapp/databases/wa.db`).details?.['sqlite-wal']).toBeUndefined();
  });

  it('reports the freelist pages SQLite counts (deleted rows)', () => {
    const item = at(android, `${D}/com.android.providers.telephony/databases/mmssms.db`);
    expect(expected.freelistPages).toBeGreaterThan(0);
    expect((item.details?.['sqlite-summary'] as { freelistPages: number }).freelistPages).toBe(expected.freelistPages);
  });
});

describe('encryption known to the catalogue', () => {
  it('flags fields an app encrypts inside a readable database as partial, keeping the item analysable', () => {
    const item = at(android, `${D}/com.kakao.talk/databases/KakaoTalk.db`);
    expect(item.classification.status).toBe('analysable');
    expect(item.encryption).toMatchObject({ scheme: 'kakaotalk-field-aes', scope: 'partial' });
    expect(item.details?.['kakaotalk-chat-logs']).toEqual({
      encryptedFields: ['chat_logs.message', 'chat_logs.attachment'],
      rowsWithEncryptedFields: 2,
    });
  });

  it('gives encrypted app data the catalogue key hint when no detector named one', () => {
    const postbox = at(
      ios,
      `filesystem1/private/var/mobile/Containers/Shared/AppGroup/${IOS_UUIDS.telegramGroup}/telegram-data/account-1/postbox/db/db_sqlite`,
    );
    expect(postbox.app?.catalogueId).toBe('telegram');
    // Random bytes: the statistics say encrypted, with no scheme; the catalogue knows where Telegram keeps the key.
    expect(postbox.classification.status).toBe('encrypted');
    expect(postbox.encryption?.keyHint).toMatchObject({
      kind: 'key-file',
      lookFor: ['**/telegram-data/.tempkeyEncrypted'],
      present: 'yes',
    });
    expect(postbox.encryption?.keyHint?.foundAt).toEqual([
      `filesystem1/private/var/mobile/Containers/Shared/AppGroup/${IOS_UUIDS.telegramGroup}/telegram-data/.tempkeyEncrypted`,
    ]);
  });
});

describe('known plists', () => {
  it("records the values that matter in a catalogued app's preferences", () => {
    const prefs = at(
      ios,
      `filesystem1/private/var/mobile/Containers/Data/Application/${IOS_UUIDS.whatsappData}/Library/Preferences/net.whatsapp.WhatsApp.plist`,
    );
    expect(prefs.details?.['app-preferences']).toEqual({
      bundleId: 'net.whatsapp.WhatsApp',
      app: 'WhatsApp',
      keyCount: 5,
      values: { OwnJabberID: '15550199@s.whatsapp.net', FullUserName: 'Test User', LastAppVersion: '23.24.0' },
    });
  });

  it("records the values that matter in a catalogued Android app's shared_prefs", () => {
    const prefs = at(android, `${D}/com.whatsapp/shared_prefs/com.whatsapp_preferences.xml`);
    expect(prefs.details?.['app-preferences']).toEqual({
      package: 'com.whatsapp',
      app: 'WhatsApp',
      keyCount: 1,
      values: { registration_jid: '15550199' },
    });
    expect(
      at(android, 'Dump/data/user_de/0/org.telegram.messenger/shared_prefs/de.xml').details?.['app-preferences'],
    ).toEqual({ package: 'org.telegram.messenger', app: 'Telegram', keyCount: 0, values: {} });
  });

  it("reads a backup's Info.plist and Manifest.plist", () => {
    expect(at(backup, 'Info.plist').details?.['ios-backup-info']).toMatchObject({
      'Device Name': 'Test iPhone',
      'Product Version': '17.1',
      'Last Backup Date': '2024-01-02T03:04:05.000Z',
      installedApplications: 3,
    });
    expect(at(backup, 'Manifest.plist').details?.['ios-backup-manifest']).toMatchObject({
      isEncrypted: false,
      wasPasscodeSet: true,
      DeviceName: 'Test iPhone',
      applications: 2,
    });
  });
});
