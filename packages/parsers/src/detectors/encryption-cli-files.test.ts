import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { encryptionCliFilesDetector } from './encryption-cli-files.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/encryption-cli-files/', import.meta.url);
const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));

testDetector(
  encryptionCliFilesDetector,
  {
    fixtures,
    valid: [
      // Bytes after the structure's end (appended/make.sh): set aside and named.
      {
        file: 'appended/escrow-wrapped-lf.pkt',
        format: 'volume-key-escrow',
        status: 'encrypted',
        reasons: ['VOLUME_KEY_PACKET', 'TRAILING_DATA'],
      },
      {
        file: 'appended/escrow-wrapped-nul.pkt',
        format: 'volume-key-escrow',
        status: 'encrypted',
        reasons: ['VOLUME_KEY_PACKET', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'appended/escrow-wrapped-text2k.pkt',
        format: 'volume-key-escrow',
        status: 'encrypted',
        reasons: ['VOLUME_KEY_PACKET', 'TRAILING_DATA'],
      },
      {
        file: 'appended/escrow-wrapped-zpad4k.pkt',
        format: 'volume-key-escrow',
        status: 'encrypted',
        reasons: ['VOLUME_KEY_PACKET', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'msg.ccr',
        format: 'codecrypt-message',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['CODECRYPT_MESSAGE'],
        encryption: {
          scheme: 'codecrypt-mceqcmdpc128fo-cube256-chacha20',
          keyHint: { kind: 'key-file', lookFor: ['**/.ccr/secrets'] },
        },
      },
      {
        file: 'msg.ccr.asc',
        format: 'codecrypt-message',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['CODECRYPT_MESSAGE'],
      },
      {
        file: 'secrets-locked',
        format: 'codecrypt-keyring-locked',
        status: 'encrypted',
        reasons: ['CODECRYPT_KEYRING'],
        encryption: { scheme: 'codecrypt-seclock', scope: 'full', keyHint: { kind: 'password' } },
      },
      { file: 'secrets-clear', format: 'codecrypt-keyring', status: 'opaque', reasons: ['CODECRYPT_KEYRING'] },
      { file: 'sym.key', format: 'codecrypt-symkey', status: 'opaque', reasons: ['CODECRYPT_SYMKEY'] },
      {
        file: 'data.secrecy',
        format: 'libsecrecy-encrypted',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['LIBSECRECY_HEADER'],
        encryption: { scheme: 'libsecrecy-aes-gcm', keyHint: { kind: 'key-file' } },
      },
      { file: 'empty.secrecy', format: 'libsecrecy-encrypted', status: 'encrypted', reasons: ['LIBSECRECY_HEADER'] },
      {
        file: 'key.secrecy-key',
        format: 'libsecrecy-key',
        status: 'encrypted',
        reasons: ['LIBSECRECY_KEY_HEADER'],
        encryption: { scheme: 'libsecrecy-key-openpgp', keyHint: { kind: 'keystore' } },
      },
      {
        file: 'builtin.key',
        format: 'cryptmount-key',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['CRYPTMOUNT_KEY_HEADER'],
        encryption: { scheme: 'cryptmount-builtin-sha1-blowfish', keyHint: { lookFor: ['**/etc/cryptmount/cmtab'] } },
      },
      {
        file: 'libgcrypt.key',
        format: 'cryptmount-key',
        status: 'encrypted',
        reasons: ['CRYPTMOUNT_KEY_HEADER'],
        encryption: { scheme: 'cryptmount-libgcrypt' },
      },
      {
        file: 'escrow-passphrase.pkt',
        format: 'volume-key-escrow',
        status: 'encrypted',
        reasons: ['VOLUME_KEY_PACKET'],
        encryption: { scheme: 'volume-key-passphrase-openpgp', scope: 'full', keyHint: { kind: 'password' } },
      },
      {
        file: 'escrow-asymmetric.pkt',
        format: 'volume-key-escrow',
        status: 'encrypted',
        encryption: { scheme: 'volume-key-asymmetric-cms', scope: 'full', keyHint: { kind: 'keystore' } },
      },
      {
        file: 'escrow-wrapped.pkt',
        format: 'volume-key-escrow',
        status: 'encrypted',
        encryption: { scheme: 'volume-key-wrap-secret-asymmetric', scope: 'partial' },
      },
      {
        file: 'escrow-cleartext.pkt',
        format: 'volume-key-escrow-clear',
        status: 'opaque',
        reasons: ['VOLUME_KEY_PACKET'],
      },
      {
        file: 'gtkcrypto-aes-cbc.enc',
        format: 'gtkcrypto-encrypted',
        status: 'encrypted',
        reasons: ['GTKCRYPTO_HEADER'],
        encryption: { scheme: 'gtkcrypto-pbkdf2-sha512-aes256-cbc', keyHint: { kind: 'password' } },
      },
      {
        file: 'gtkcrypto-serpent-ctr.enc',
        format: 'gtkcrypto-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'gtkcrypto-pbkdf2-sha512-serpent256-ctr' },
      },
      { file: 'rsyncrypto.key', format: 'rsyncrypto-key', status: 'opaque', reasons: ['RSYNCRYPTO_KEY_HEADER'] },
      {
        file: '.kickpass/mysafe',
        format: 'kickpass-safe',
        status: 'encrypted',
        reasons: ['KICKPASS_HEADER'],
        encryption: { scheme: 'kickpass-scrypt-chacha20poly1305', keyHint: { kind: 'password' } },
      },
    ],
    invalid: [
      // appended/make.sh: the look-alike that must stay refused.
      { file: 'appended/escrow-wrapped-cut.pkt' },
      { file: 'ccr-notes.txt' },
      { file: 'secrecy-notes.txt' },
      { file: 'cryptmount-notes.txt' },
    ],
  },
  { framework: { describe, it } },
);

const detect = (bytes: Uint8Array, name = 'x') =>
  encryptionCliFilesDetector.detect(wholeFileProbe(bytes, name), { limits: {} as never }) as Detection | undefined;

describe('encryption-cli-files header fields', () => {
  it('names the codecrypt recipient key in the binary and the armored message alike', () => {
    const bin = detect(read('msg.ccr'))?.reasons[0]?.figures;
    const armored = detect(read('msg.ccr.asc'))?.reasons[0]?.figures;
    expect(bin?.recipientKey).toMatch(/^[0-9a-f]{64}$/);
    expect(armored?.recipientKey).toBe(bin?.recipientKey);
    expect(armored?.armored).toBe(true);
  });

  it('counts locked and clear codecrypt private keys', () => {
    expect(detect(read('secrets-locked'))?.reasons[0]?.figures).toMatchObject({ lockedKeys: 1, clearKeys: 0 });
    expect(detect(read('secrets-clear'))?.reasons[0]?.figures).toMatchObject({ lockedKeys: 0, clearKeys: 1 });
  });

  it('points the libsecrecy file at its key by hash, and needs a GnuPG packet after a key header', () => {
    const d = detect(read('data.secrecy'));
    const hash = String(d?.reasons[0]?.figures?.keyHash);
    expect(d?.encryption?.keyHint?.lookFor).toContain(`**/.libsecrecy/hash/${hash}`);
    expect(detect(read('key.secrecy-key'))?.reasons[0]?.figures?.keyHash).toBe(hash);
    const key = Buffer.from(read('key.secrecy-key'));
    key.fill(0x41, key.indexOf('k1') + 2);
    expect(detect(key)).toBeUndefined();
  });

  it('needs a cryptmount key file as long as its key length says', () => {
    const bytes = read('builtin.key');
    expect(detect(bytes)?.reasons[0]?.figures).toMatchObject({ keyBytes: 32, iterations: 16384 });
    expect(detect(bytes.subarray(0, bytes.length - 8))).toBeUndefined();
    expect(detect(read('libgcrypt.key')?.subarray(0, 60))).toBeUndefined();
  });

  it('needs an rsyncrypto key file as long as its key and IV', () => {
    const bytes = read('rsyncrypto.key');
    expect(detect(bytes)?.reasons[0]?.figures).toMatchObject({ keyBits: 256, sumMod: 8192 });
    expect(detect(Buffer.concat([bytes, Buffer.alloc(16)]))).toBeUndefined();
  });

  it('needs a GTKCrypto CBC body of whole blocks between header and HMAC', () => {
    const bytes = read('gtkcrypto-aes-cbc.enc');
    expect(detect(bytes)?.reasons[0]?.figures).toMatchObject({ paddingBytes: 8, cipherBytes: 3008 });
    expect(detect(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
  });

  it('names a kickpass safe only inside a .kickpass folder', () => {
    const bytes = read('.kickpass/mysafe');
    expect(detect(bytes, 'home/u/.kickpass/mysafe')?.format.id).toBe('kickpass-safe');
    expect(detect(bytes, 'home/u/mysafe')).toBeUndefined();
  });
});

describe('encryption-cli-files mutation fuzz', () => {
  const seeds = [
    'msg.ccr',
    'msg.ccr.asc',
    'secrets-locked',
    'sym.key',
    'data.secrecy',
    'key.secrecy-key',
    'builtin.key',
    'libgcrypt.key',
    'rsyncrypto.key',
    'escrow-passphrase.pkt',
    'escrow-asymmetric.pkt',
    'escrow-cleartext.pkt',
    'gtkcrypto-aes-cbc.enc',
  ].map((name) => [name, read(name)] as const);
  fuzzFlipCutGrow(encryptionCliFilesDetector, seeds, 200, { wholeHalf: true });
});
