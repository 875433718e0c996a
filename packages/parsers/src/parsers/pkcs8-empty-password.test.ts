import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { pkcs8EmptyPasswordCheck, pkcs8EmptyPasswordParser } from './pkcs8-empty-password.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

// Made by OpenSSL 3.0 (fixtures/pkcs8-empty-password/generate.sh): the empty password opens the "empty-" keys
// (but the RC2 one, a cipher not tried), "triage" locks the "password-" ones.
const fixtures = new URL('../../fixtures/pkcs8-empty-password/', import.meta.url);
const pem = fs.readdirSync(fixtures).filter((f) => f.endsWith('.pem'));
const der = fs.readdirSync(fixtures).filter((f) => f.endsWith('.der'));

testParser(
  pkcs8EmptyPasswordParser,
  {
    fixtures,
    format: 'pkcs8-encrypted-der',
    valid: [
      {
        file: 'empty-pbes2-aes256.der',
        status: 'analysable',
        details: { emptyPasswordCheck: 'opens', scheme: 'PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC' },
      },
      {
        file: 'empty-pbes1-md5-des.der',
        status: 'analysable',
        details: { emptyPasswordCheck: 'opens', scheme: 'PBES1 pbeWithMD5AndDES-CBC' },
      },
      { file: 'password-pbes1-md5-des.der', details: { emptyPasswordCheck: 'fails' } },
      // oscrypto's "blank" RSA key (its tests open it with b''): encrypted before this parser.
      {
        file: 'oscrypto-blank-rsa.der',
        status: 'analysable',
        details: { emptyPasswordCheck: 'opens', scheme: 'PBES1 pbeWithMD5AndDES-CBC', iterations: 2048 },
      },
      { file: 'empty-pbe-sha1-rc2.der', details: { emptyPasswordCheck: 'not made' } },
    ],
    invalid: [{ file: 'cut-in-half.der', diagnostics: ['PKCS8_UNREADABLE'] }],
    ignore: ['generate.sh', ...pem],
  },
  { framework: { describe, it } },
);

testParser(
  pkcs8EmptyPasswordParser,
  {
    fixtures,
    format: 'pem-key-encrypted',
    valid: [
      { file: 'empty-pbes2-aes256.pem', status: 'analysable', details: { emptyPasswordCheck: 'opens' } },
      {
        file: 'empty-pbe-sha1-3des.pem',
        status: 'analysable',
        details: { emptyPasswordCheck: 'opens', scheme: 'PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC' },
      },
      { file: 'password-pbes2-aes256.pem', details: { emptyPasswordCheck: 'fails' } },
      { file: 'password-pbe-sha1-3des.pem', details: { emptyPasswordCheck: 'fails' } },
    ],
    invalid: [{ file: 'no-end-line.pem', diagnostics: ['PKCS8_UNREADABLE'] }],
    ignore: ['generate.sh', ...der],
  },
  { framework: { describe, it } },
);

describe('pkcs8-empty-password: damaged keys', () => {
  it('never throws on flipped and cut keys (fixed seeds)', () => {
    for (const name of der) {
      const bytes = fs.readFileSync(new URL(name, fixtures));
      for (let seed = 1; seed <= 40; seed++) {
        const noise = seededBytes(seed * 104729 + bytes.length, 12);
        const copy = Buffer.from(bytes.subarray(0, seed % 5 === 0 ? noise[0]! % bytes.length : bytes.length));
        for (let k = 1; k < 1 + (seed % 4); k++) {
          const at = (noise[k]! * 256 + noise[k + 4]!) % copy.length;
          copy[at] = copy[at]! ^ (1 + noise[k + 8]!);
        }
        expect(() => pkcs8EmptyPasswordCheck(copy)).not.toThrow();
      }
    }
  });

  it('opens no key whose last ciphertext byte was changed (the padding or the length no longer holds)', () => {
    for (const name of ['empty-pbes2-aes256.der', 'empty-pbes1-md5-des.der', 'oscrypto-blank-rsa.der']) {
      const bytes = fs.readFileSync(new URL(name, fixtures));
      expect(pkcs8EmptyPasswordCheck(bytes)).toMatchObject({ opens: true });
      for (const x of [1, 2, 3, 0x10, 0x80, 0xff]) {
        const copy = Buffer.from(bytes);
        copy[copy.length - 1] = copy[copy.length - 1]! ^ x;
        expect(pkcs8EmptyPasswordCheck(copy)).toMatchObject({ opens: false });
      }
    }
  });
});
