import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { phoneBackupsDetector } from './phone-backups.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/phone-backups/', import.meta.url);

testDetector(
  phoneBackupsDetector,
  {
    fixtures,
    valid: [
      {
        file: 'contacts-plain.bak',
        format: 'miui-backup',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['MIUI_BACKUP_PLAIN'],
      },
      {
        file: 'contacts-encrypted.bak',
        format: 'miui-backup-encrypted',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['MIUI_BACKUP_ENCRYPTED'],
        encryption: { scheme: 'android-backup-aes-256', keyHint: { kind: 'password' } },
      },
      {
        file: 'notes-user999-encrypted.bak',
        format: 'miui-backup-encrypted',
        status: 'encrypted',
        reasons: ['MIUI_BACKUP_ENCRYPTED'],
        encryption: { scheme: 'android-backup-aes-256', keyHint: { kind: 'password' } },
      },
      {
        file: 'backup.ipd',
        format: 'blackberry-ipd',
        status: 'opaque',
        reasons: ['BLACKBERRY_IPD_HEADER'],
      },
      {
        file: 'Manifest.mbdb',
        format: 'ios-backup-mbdb',
        status: 'opaque',
        reasons: ['IOS_MBDB_RECORDS'],
      },
      {
        file: 'Manifest-encrypted.mbdb',
        format: 'ios-backup-mbdb',
        status: 'opaque',
        reasons: ['IOS_MBDB_RECORDS'],
      },
    ],
    invalid: [{ file: 'not-miui.txt' }, { file: 'not-ipd.txt' }, { file: 'not-mbdb.txt' }],
  },
  { framework: { describe, it } },
);

describe('phone-backups header fields', () => {
  const read = (name: string) => Buffer.from(fs.readFileSync(new URL(name, fixtures)));
  const detect = async (bytes: Uint8Array, name = 'x') =>
    (await phoneBackupsDetector.detect(wholeFileProbe(bytes, name), { limits: {} as never })) as Detection | undefined;
  const cases: Array<[string, Record<string, unknown>]> = [
    ['contacts-plain.bak', { type: 0, innerEncryption: 'none', packageName: 'com.android.contacts' }],
    ['contacts-encrypted.bak', { type: 1, innerEncryption: 'AES-256' }],
    ['notes-user999-encrypted.bak', { type: 21, innerEncryption: 'AES-256', packageName: 'com.miui.notes' }],
    ['backup.ipd', { version: 2, databases: 2, firstDatabase: 'Address Book' }],
    ['Manifest.mbdb', { recordsRead: 2, recordsWithWrappedKeys: 0, encryptedBackup: false }],
    ['Manifest-encrypted.mbdb', { recordsRead: 2, recordsWithWrappedKeys: 2, encryptedBackup: true }],
  ];
  for (const [file, figures] of cases)
    it(`reads ${file}'s header fields`, async () => {
      expect((await detect(read(file), file))?.reasons[0]?.figures).toMatchObject(figures);
    });

  it('calls a MIUI header whose type says encrypted encrypted even without the adb stream after it', async () => {
    const head = Buffer.from('MIUI BACKUP\n2\ncom.android.mms Messaging\n-1\n1\nABCDEF0123\n');
    const d = await detect(Buffer.concat([head, Buffer.alloc(64, 0x5a)]));
    expect(d?.status).toBe('encrypted');
    expect(d?.encryption?.scheme).toBe('miui-backup');
  });

  it('does not call a plain MIUI header without its adb stream', async () => {
    expect(
      await detect(Buffer.from('MIUI BACKUP\n2\ncom.android.mms Messaging\n-1\n0\nnot a backup stream')),
    ).toBeUndefined();
  });

  it('declines an mbdb header whose first record is not a backup domain', async () => {
    const bytes = Buffer.concat([
      Buffer.from('mbdb\x05\x00', 'latin1'),
      Buffer.from([0, 4]),
      Buffer.from('abcd'),
      Buffer.alloc(80),
    ]);
    expect(await detect(bytes)).toBeUndefined();
  });
});

fuzzFlipCutGrow(
  phoneBackupsDetector,
  [
    'contacts-plain.bak',
    'contacts-encrypted.bak',
    'notes-user999-encrypted.bak',
    'backup.ipd',
    'Manifest-encrypted.mbdb',
  ].map((f) => [f, new Uint8Array(fs.readFileSync(new URL(f, fixtures)))] as const),
  40,
);
