import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { archiveHeader, darDetector, infinint } from './dar.js';

// Slices made by dar 2.7.8 itself: plain, gzip, sliced, and encrypted with AES-256, Blowfish, Twofish,
// scrambling and a GnuPG-wrapped key; look-alikes from the same bytes (fixtures/dar/generate.sh).
const password = { kind: 'password' } as const;
testDetector(
  darDetector,
  {
    fixtures: new URL('../../fixtures/dar/', import.meta.url),
    valid: [
      { file: 'plain.1.dar', format: 'dar', status: 'analysable', reasons: ['DAR_NOT_CIPHERED'] },
      { file: 'gzip.1.dar', format: 'dar', status: 'analysable', reasons: ['DAR_NOT_CIPHERED'] },
      { file: 'sliced.1.dar', format: 'dar', status: 'analysable', reasons: ['DAR_NOT_CIPHERED'] },
      { file: 'sliced.2.dar', format: 'dar', status: 'analysable', reasons: ['DAR_SLICE'] },
      { file: 'sliced.last.dar', format: 'dar', status: 'analysable', reasons: ['DAR_NOT_CIPHERED'] },
      {
        file: 'aes.1.dar',
        format: 'dar-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['DAR_CIPHERED'],
        encryption: { scheme: 'dar-aes256', keyHint: password },
      },
      {
        file: 'aes.2.dar',
        format: 'dar-encrypted',
        status: 'encrypted',
        confidence: { max: 0.7 },
        reasons: ['DAR_SLICE_RANDOM'],
        encryption: { scheme: 'dar-unknown' },
      },
      { file: 'aes.last.dar', format: 'dar-slice', status: 'opaque', reasons: ['DAR_SLICE_SHORT'] },
      {
        file: 'blowfish.1.dar',
        format: 'dar-encrypted',
        status: 'encrypted',
        reasons: ['DAR_CIPHERED'],
        encryption: { scheme: 'dar-blowfish', keyHint: password },
      },
      {
        file: 'twofish.1.dar',
        format: 'dar-encrypted',
        status: 'encrypted',
        reasons: ['DAR_CIPHERED'],
        encryption: { scheme: 'dar-twofish256', keyHint: password },
      },
      {
        file: 'scrambled.1.dar',
        format: 'dar-encrypted',
        status: 'encrypted',
        reasons: ['DAR_CIPHERED'],
        encryption: { scheme: 'dar-scrambling', keyHint: password },
      },
      {
        file: 'gnupg.1.dar',
        format: 'dar-encrypted',
        status: 'encrypted',
        reasons: ['DAR_CIPHERED'],
        encryption: { scheme: 'dar-aes256-gnupg', keyHint: { kind: 'keystore' } },
      },
      {
        file: 'gnupg.last.dar',
        format: 'dar-encrypted',
        status: 'encrypted',
        reasons: ['DAR_CIPHERED'],
        encryption: { scheme: 'dar-aes256-gnupg', keyHint: { kind: 'keystore' } },
      },
    ],
    invalid: [
      { file: 'magic-random.dar' },
      { file: 'old-header-random.dar' },
      { file: 'bad-flag.dar' },
      { file: 'generate.sh' },
    ],
  },
  { framework: { describe, it } },
);

describe('dar fields', () => {
  it('reads infinints of one and two 4-byte groups, and refuses wider or malformed ones', () => {
    expect(infinint(Uint8Array.from([0x80, 0, 0, 0x27, 0x10]), 0)).toEqual([10000, 5]);
    expect(infinint(Uint8Array.from([0x40, 0, 0, 0, 1, 0, 0, 0, 2]), 0)).toEqual([2 ** 32 + 2, 9]);
    expect(infinint(Uint8Array.from([0x20, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]), 0)).toBeUndefined();
    expect(infinint(Uint8Array.from([0x81, 0, 0, 0, 1]), 0)).toBeUndefined();
    expect(infinint(Uint8Array.from([0x80, 0, 0]), 0)).toBeUndefined();
  });

  it('reads the KDF fields of an encrypted archive header', () => {
    // format 11.1, no compression, comment "N/A", flags 0x0430 (KDF, ciphered, marks), AES, 2-byte salt, 10000 rounds, argon2
    const h = Uint8Array.from([
      0x30, 0x3b, 0x31, 0, 0x6e, 0x4e, 0x2f, 0x41, 0, 0x05, 0x30, 0x61, 0x80, 0, 0, 0, 2, 0xab, 0xcd, 0x80, 0, 0, 0x27,
      0x10, 0x61,
    ]);
    expect(archiveHeader(h, 0)).toMatchObject({
      edition: '11.1',
      compression: 'none',
      comment: 'N/A',
      cipher: 'aes256',
      kdf: { saltBytes: 2, iterations: 10000, hash: 'argon2' },
      end: h.length,
    });
    // A comment with control bytes is not a dar header.
    const bad = Uint8Array.from(h);
    bad[5] = 0x01;
    expect(archiveHeader(bad, 0)).toBeUndefined();
  });
});
