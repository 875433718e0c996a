import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { samsungBackupsDetector } from './samsung-backups.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/samsung-backups/', import.meta.url);

// Fixtures: ../../fixtures/samsung-backups/generate.sh (written from the published layouts: no Debian tool writes them).
testDetector(
  samsungBackupsDetector,
  {
    fixtures,
    valid: [
      { file: 'Contacts.spb', format: 'samsung-kies-backup', status: 'opaque', reasons: ['SAMSUNG_KIES_HEADER'] },
      { file: 'Memo.ebk', format: 'samsung-kies-backup', status: 'opaque', reasons: ['SAMSUNG_KIES_HEADER'] },
      // The 0x10 blocks in clear after each piece's 256 encrypted bytes, as found in real .ebk files.
      { file: 'Calllog.ebk', format: 'samsung-kies-backup', status: 'opaque', reasons: ['SAMSUNG_KIES_HEADER'] },
      {
        file: 'passwords.spass',
        format: 'samsung-pass-export',
        status: 'encrypted',
        encryption: { scheme: 'samsung-pass-pbkdf2-aes-256-cbc' },
        reasons: ['SAMSUNG_PASS_EXPORT'],
      },
      {
        file: 'com.example.legacy.penc',
        format: 'smart-switch-penc',
        status: 'opaque',
        reasons: ['SMART_SWITCH_PENC'],
      },
      {
        file: 'com.example.session.penc',
        format: 'smart-switch-penc-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'smart-switch-penc-aes-128-cbc' },
        reasons: ['SMART_SWITCH_PENC'],
      },
      // Base64 wrapped at 76 characters, as Android's Base64.DEFAULT writes it.
      {
        file: 'wrapped.spass',
        format: 'samsung-pass-export',
        status: 'encrypted',
        encryption: { scheme: 'samsung-pass-pbkdf2-aes-256-cbc' },
        reasons: ['SAMSUNG_PASS_EXPORT'],
      },
    ],
    invalid: [{ file: 'random.spb' }, { file: 'notes.spass' }, { file: 'short.spass' }, { file: 'random.penc' }],
  },
  { framework: { describe, it } },
);

const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));
// A probe as the engine builds it: 16 KiB head, 8 KiB tail.
const probeOf = (bytes: Uint8Array, name: string) => ({
  path: name,
  logicalPath: name,
  name,
  extension: name.includes('.') ? name.split('.').pop()!.toLowerCase() : '',
  size: bytes.length,
  head: bytes.subarray(0, 16384),
  tail: bytes.length > 16384 ? bytes.subarray(Math.max(16384, bytes.length - 8192)) : new Uint8Array(),
  samples: [],
  complete: bytes.length <= 16384,
});
const detect = (bytes: Uint8Array, name: string) =>
  samsungBackupsDetector.detect(probeOf(bytes, name), { limits: {} as never }) as Detection | undefined;

describe('Samsung Kies / Smart Switch PC files', () => {
  it('reads the header version, packing and what the packed data is', () => {
    expect(detect(read('Contacts.spb'), 'Contacts.spb')?.reasons[0]?.figures).toMatchObject({
      version: '2.0',
      zipType: 'GZip',
      payload: 'gzip',
      headerBytes: 512,
      pieces: 4,
    });
    const memo = detect(read('Memo.ebk'), 'Memo.ebk');
    expect(memo?.reasons[0]?.figures).toMatchObject({ version: 'Kies4', zipType: 'ZLib', payload: 'ZIP' });
    // The key is Samsung's published one: named, opaque, never called encrypted.
    expect(memo?.encryption).toBeUndefined();
    expect(memo?.reasons[0]?.message).toMatch(/published fixed AES-256-CBC key/);
  });

  it('needs no name: the decryption under the fixed key is the proof', () => {
    expect(detect(read('Memo.ebk'), 'item0001')?.format.id).toBe('samsung-kies-backup');
  });

  it('refuses a cut file, a flipped first block and a broken padding block', () => {
    const memo = read('Memo.ebk');
    expect(detect(memo.subarray(0, memo.length - 1), 'Memo.ebk')).toBeUndefined();
    expect(detect(memo.subarray(0, 272), 'Memo.ebk')).toBeUndefined();
    const flipped = memo.slice();
    flipped[3] = flipped[3]! ^ 0x01;
    expect(detect(flipped, 'Memo.ebk')).toBeUndefined();
    // The first piece's padding block damaged: its 256 clear bytes are not trusted.
    const padding = memo.slice();
    padding[270] = padding[270]! ^ 0x40;
    expect(detect(padding, 'Memo.ebk')).toBeUndefined();
    // The same for a clear padding block: one byte that is not 0x10 and it is neither form.
    const calllog = read('Calllog.ebk');
    expect(detect(calllog, 'Calllog.ebk')?.reasons[0]?.figures).toMatchObject({ pieces: 2, headerBytes: 512 });
    const clear = calllog.slice();
    clear[260] = 0x11;
    expect(detect(clear, 'Calllog.ebk')).toBeUndefined();
  });
});

describe('Samsung Pass exports', () => {
  it('wants the .spass name', () => {
    expect(detect(read('passwords.spass'), 'passwords.txt')).toBeUndefined();
  });

  it('says what the key is and how much ciphertext there is', () => {
    const d = detect(read('passwords.spass'), 'passwords.spass');
    expect(d?.encryption?.keyHint?.kind).toBe('password');
    expect(d?.reasons[0]?.figures).toMatchObject({ ciphertextBytes: 272 });
    // Line breaks are skipped, as the decryptors skip them.
    expect(detect(read('wrapped.spass'), 'wrapped.spass')?.reasons[0]?.figures).toMatchObject({ ciphertextBytes: 816 });
  });

  it('refuses base64 whose decoded length is not salt, IV and whole blocks', () => {
    const text = Buffer.from(read('passwords.spass')).toString('latin1');
    // Drop one base64 quad: 3 bytes fewer, no longer whole 16-byte blocks.
    expect(detect(new Uint8Array(Buffer.from(text.slice(0, -4), 'latin1')), 'x.spass')).toBeUndefined();
    // Base64 of text (not random) under the name.
    const notCipher = Buffer.from(Buffer.from('a'.repeat(84)).toString('base64'), 'latin1');
    expect(detect(new Uint8Array(notCipher), 'x.spass')).toBeUndefined();
  });
});

describe('Smart Switch PC .penc app backups', () => {
  it('calls the fixed legacy key opaque and points the session key at backupHistoryInfo.xml', () => {
    const legacy = detect(read('com.example.legacy.penc'), 'com.example.legacy.penc');
    expect(legacy?.encryption).toBeUndefined();
    expect(legacy?.reasons[0]?.figures).toMatchObject({ legacyKey: true, clearBytes: 0 });
    const session = detect(read('com.example.session.penc'), 'com.example.session.penc');
    expect(session?.encryption?.keyHint).toMatchObject({ kind: 'key-file', lookFor: ['**/backupHistoryInfo.xml'] });
  });

  it('reads the larger-than-a-MiB layout: an encrypted MiB, then the clear rest of the ZIP', () => {
    // Built in memory (a 1 MiB fixture is too large to commit): a full MiB segment of ciphertext-like bytes,
    // then clear bytes ending in a ZIP end-of-central-directory record.
    const segment = randomBytes(1024 * 1024 + 16);
    const rest = Buffer.concat([randomBytes(20000), Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]);
    const bytes = new Uint8Array(Buffer.concat([Buffer.from([0x00, 0x10, 0x00, 0x10]), segment, rest]));
    const d = detect(bytes, 'com.example.big.penc');
    expect(d?.format.id).toBe('smart-switch-penc-encrypted');
    expect(d?.reasons[0]?.figures).toMatchObject({ encryptedBytes: 1024 * 1024 + 16, clearBytes: rest.length });
    // Without the ZIP end record after the segment, or with a segment shorter than a MiB before clear bytes: refused.
    expect(
      detect(new Uint8Array(Buffer.concat([bytes.subarray(0, 4 + segment.length), randomBytes(30000)])), 'x.penc'),
    ).toBeUndefined();
    const short = read('com.example.session.penc');
    expect(
      detect(new Uint8Array(Buffer.concat([short, Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)])), 'x.penc'),
    ).toBeUndefined();
  });

  it('wants the .penc name and a whole number of blocks', () => {
    expect(detect(read('com.example.session.penc'), 'com.example.session.apk')).toBeUndefined();
    const session = read('com.example.session.penc');
    expect(detect(session.subarray(0, session.length - 1), 'x.penc')).toBeUndefined();
  });
});

// Mutation fuzzing: flipped, cut and grown copies of every fixture never throw, and whatever is
// recognised is one of the declared formats (half the runs keep the whole file: the pieces must fit).
describe('samsung-backups on damaged copies', () => {
  fuzzFlipCutGrow(
    samsungBackupsDetector,
    [
      'Memo.ebk',
      'Calllog.ebk',
      'Contacts.spb',
      'passwords.spass',
      'wrapped.spass',
      'com.example.legacy.penc',
      'com.example.session.penc',
    ].map((name) => [name, read(name)] as const),
    50,
    { wholeHalf: true },
  );
});
