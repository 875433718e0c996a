import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { derKeysDetector, truncatedEncryptedKey } from './der-keys.js';

// The real openssl keys of fixtures/der-keys/, cut to their first half and padded with zeros to 4 KiB
// (fixtures/der-keys/cut-pad/make.sh).
testDetector(
  derKeysDetector,
  {
    fixtures: new URL('../../fixtures/der-keys/cut-pad/', import.meta.url),
    valid: [
      {
        file: 'ec-pkcs8-pbes2-half.der',
        name: 'EncryptedPrivateKeyInfo cut inside its encrypted key: PBES2 parameters whole',
        format: 'pkcs8-encrypted-der',
        status: 'encrypted',
        confidence: 0.85,
        reasons: ['DER_PKCS8_ENCRYPTED_CUT_SHORT'],
        encryption: { scheme: 'pkcs8-pbes2-aes-256-cbc', keyHint: { kind: 'password' } },
      },
      {
        file: 'ec-pkcs8-pkcs12pbe-half.der',
        format: 'pkcs8-encrypted-der',
        status: 'encrypted',
        reasons: ['DER_PKCS8_ENCRYPTED_CUT_SHORT'],
        encryption: { scheme: 'pkcs8-pkcs12-sha1-3des' },
      },
      {
        file: 'ec-pkcs8-pbes2-padded.der',
        format: 'pkcs8-encrypted-der',
        status: 'encrypted',
        reasons: ['DER_PKCS8_ENCRYPTED', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'ec-sec1-padded.der',
        format: 'ec-key-der',
        status: 'analysable',
        reasons: ['DER_KEY_STRUCTURE', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'ec-public-padded.der',
        format: 'public-key-der',
        status: 'analysable',
        reasons: ['DER_KEY_STRUCTURE', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'ec-pkcs8-clear-padded.der',
        format: 'pkcs8-der',
        status: 'analysable',
        reasons: ['DER_KEY_STRUCTURE', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'ec-pkcs8-clear-half.der',
        name: 'a clear key cut short is damaged, not encrypted',
        format: 'pkcs8-der-truncated',
        status: 'opaque',
        reasons: ['DER_PKCS8_CLEAR_TRUNCATED'],
      },
      {
        file: 'ec-sec1-half-padded.der',
        name: 'a clear key cut, then padded: its last element spans the zeros; readable, never encrypted',
        format: 'ec-key-der',
        status: 'analysable',
      },
      {
        file: 'ec-pkcs8-pbes2-newline.der',
        name: 'a line feed after the key (saved through a text tool): set aside, still encrypted',
        format: 'pkcs8-encrypted-der',
        status: 'encrypted',
        reasons: ['DER_PKCS8_ENCRYPTED', 'TRAILING_DATA'],
      },
      {
        file: 'ec-public-overshoot.der',
        name: 'text after the key (a carve that ran on into the next file): set aside, readable',
        format: 'public-key-der',
        status: 'analysable',
        reasons: ['DER_KEY_STRUCTURE', 'TRAILING_DATA'],
      },
    ],
    invalid: [
      { file: 'random-after-sequence-padded.der', name: 'random bytes behind a SEQUENCE header, then zeros' },
      { file: 'random-after-sequence-newline.der', name: 'random bytes behind a SEQUENCE header, then a line feed' },
    ],
  },
  { framework: { describe, it } },
);

const read = (name: string) =>
  new Uint8Array(fs.readFileSync(new URL(`../../fixtures/der-keys/${name}`, import.meta.url)));

describe('truncatedEncryptedKey', () => {
  it('gives the scheme and the declared size, and takes no whole, clear or unnamed structure', () => {
    const half = read('cut-pad/ec-pkcs8-pbes2-half.der');
    expect(truncatedEncryptedKey(half)).toEqual({ scheme: 'pbes2-aes-256-cbc', declared: 239 });
    // Cut inside the PBES2 parameters: the OID is whole, the cipher is not in sight.
    expect(truncatedEncryptedKey(half.subarray(0, 30))).toEqual({ scheme: 'pbes2', declared: 239 });
    // Cut inside the OID: nothing names a scheme.
    expect(truncatedEncryptedKey(half.subarray(0, 12))).toBeUndefined();
    expect(truncatedEncryptedKey(read('ec-pkcs8-pbes2.der'))).toBeUndefined();
    expect(truncatedEncryptedKey(read('ec-pkcs8-clear-cut.der'))).toBeUndefined();
    expect(truncatedEncryptedKey(read('random-after-sequence.der'))).toBeUndefined();
    // An unknown algorithm OID (one byte of the PBES2 OID changed) is not taken.
    const other = Uint8Array.from(half);
    other[14] = other[14]! ^ 0x01;
    expect(truncatedEncryptedKey(other)).toBeUndefined();
  });
});
