import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { pkcs12Detector } from './pkcs12.js';
import { pkcs12Prefix } from './pkcs12-cut-short.js';

// Stores made by openssl 3.0 and keytool, cut to a prefix with head -c (fixtures/pkcs12/cut-short/generate.sh).
const encrypted: Array<[file: string, shows: string]> = [
  ['pbes2-half.p12', 'encryptedData (pbes2-aes-256-cbc), pkcs8ShroudedKeyBag'],
  ['pbes2-first-200.p12', 'encryptedData (pbes2-aes-256-cbc)'],
  ['legacy-half.p12', 'encryptedData (pkcs12-sha1-rc2-40), pkcs8ShroudedKeyBag'],
  ['keytool-half.p12', 'pkcs8ShroudedKeyBag (pbes2-aes-256-cbc)'],
  ['clear-cert-then-key.p12', 'pkcs8ShroudedKeyBag (pbes2-aes-256-cbc)'],
  ['pbes2-empty-password-half.p12', 'encryptedData (pbes2-aes-256-cbc), pkcs8ShroudedKeyBag'],
  ['legacy-empty-password-3q.p12', 'encryptedData (pkcs12-sha1-rc2-40), pkcs8ShroudedKeyBag (pkcs12-sha1-3des)'],
];

testDetector(
  pkcs12Detector,
  {
    fixtures: new URL('../../fixtures/pkcs12/cut-short/', import.meta.url),
    valid: [
      ...encrypted.map(([file, shows]) => ({
        file,
        name: `${file}: the prefix shows ${shows}`,
        format: 'pkcs12',
        status: 'encrypted' as const,
        confidence: { min: 0.8, max: 0.89 },
        reasons: ['PKCS12_CUT_SHORT_ENCRYPTED'],
      })),
      {
        file: 'clear-cert-first-300.p12',
        name: 'a certificate bag in clear and nothing encrypted in sight: not called encrypted',
        format: 'pkcs12-clear',
        status: 'analysable',
        reasons: ['PKCS12_CUT_SHORT_CLEAR'],
      },
      {
        file: 'all-clear-half.p12',
        name: 'keyBag and certBag in clear (-keypbe NONE -certpbe NONE)',
        format: 'pkcs12-clear',
        status: 'analysable',
        reasons: ['PKCS12_CUT_SHORT_CLEAR'],
      },
      {
        file: 'pbes2-whole.p12',
        name: 'a whole store keeps the whole-file rule',
        format: 'pkcs12',
        status: 'encrypted',
        reasons: ['PKCS12_PFX'],
      },
    ],
    invalid: [{ file: 'cert-half.der', name: 'a DER certificate cut in half is no PFX' }],
    ignore: ['generate.sh'],
  },
  { framework: { describe, it } },
);

const fixture = (name: string) =>
  new Uint8Array(fs.readFileSync(new URL(`../../fixtures/pkcs12/cut-short/${name}`, import.meta.url)));

describe('PKCS#12 prefix reader', () => {
  it('names what the prefix shows, with the declared length', () => {
    for (const [file, shows] of encrypted) {
      const b = fixture(file);
      const p = pkcs12Prefix(b, b.length);
      expect(p?.encrypted.join(', '), file).toBe(shows);
      expect(p?.declared, file).toBeGreaterThan(b.length);
    }
    const clear = fixture('clear-cert-then-key.p12');
    expect(pkcs12Prefix(clear, clear.length)?.clear).toEqual(['certBag']);
  });

  it('keeps the first cipher blocks of elements whose algorithm is whole, for the password trial', () => {
    const b = fixture('legacy-empty-password-3q.p12');
    const trials = pkcs12Prefix(b, b.length)!.trials;
    expect(trials).toHaveLength(2); // the RC2 certificates and the 3DES key
    for (const t of trials) expect(t.ciphertext.length).toBeGreaterThanOrEqual(32);
  });

  it('leaves a whole store, or one whose size covers its length, to the whole-file rule', () => {
    const whole = fixture('pbes2-whole.p12');
    expect(pkcs12Prefix(whole, whole.length)).toBeUndefined();
    const half = fixture('pbes2-half.p12');
    expect(pkcs12Prefix(half, 1683)).toBeUndefined(); // the head of a larger file that is all there
  });

  it('refuses a child that runs past a parent ending within the bytes', () => {
    const b = Buffer.from(fixture('pbes2-half.p12'));
    // The authenticated safe's ContentInfo (offset 7, length in bytes 9-10) made to end at byte 31, within the
    // bytes: its [0] (offset 22, declaring 0x636 bytes) would run past a closed parent.
    b.writeUInt16BE(20, 9);
    expect(pkcs12Prefix(b, b.length)).toBeUndefined();
  });

  it('answers or declines on seeded mutations, never throws', () => {
    const base = fixture('pbes2-half.p12');
    const noise = seededBytes(0x44a12, 600 * 3);
    for (let i = 0; i < 600; i++) {
      const b = Uint8Array.from(base);
      for (let k = 0; k < 3; k++) b[noise[i * 3 + k]! % 200] = noise[(i * 3 + k + 1) % noise.length]!;
      const p = pkcs12Prefix(b.subarray(0, 100 + (i % 700)), 100 + (i % 700));
      if (p) expect(p.encrypted.length + p.clear.length).toBeLessThanOrEqual(512);
    }
  });
});
