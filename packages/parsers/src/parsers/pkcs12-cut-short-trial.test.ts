import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { pkcs12Prefix } from '../detectors/pkcs12-cut-short.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { emptyPasswordOnPrefix } from './pkcs12-cut-short-trial.js';
import { pkcs12PasswordParser } from './pkcs12-password.js';

// Stores made by openssl 3.0 and keytool, cut with head -c (fixtures/pkcs12/cut-short/generate.sh): the MAC is
// lost, and the empty password is tried on the first cipher blocks instead.

testParser(
  pkcs12PasswordParser,
  {
    fixtures: new URL('../../fixtures/pkcs12/cut-short/', import.meta.url),
    valid: [
      ...['pbes2-half.p12', 'pbes2-first-200.p12', 'keytool-half.p12', 'clear-cert-then-key.p12'].map((file) => ({
        file,
        name: `${file}: PBES2 blocks do not open with the empty password`,
        status: 'encrypted' as const,
        encryption: { scheme: 'pkcs12', keyHint: { kind: 'password' as const } },
        details: { cutShort: true, encryptedBags: true, opensWith: undefined },
      })),
      {
        file: 'legacy-half.p12',
        name: 'RC2 certificates and a key bag without its algorithm: nothing can be tried, the detector stands',
        details: { cutShort: true, emptyPasswordTried: false },
      },
      {
        file: 'pbes2-empty-password-half.p12',
        name: 'PBES2 (AES-256-CBC) blocks open with the empty password',
        status: 'analysable',
        details: { cutShort: true, opensWith: 'empty' },
      },
      {
        file: 'legacy-empty-password-3q.p12',
        name: 'the 3DES shrouded key opens with the empty password (the RC2 certificates are passed over)',
        status: 'analysable',
        details: { cutShort: true, opensWith: 'empty' },
      },
    ],
    invalid: [{ file: 'cert-half.der', name: 'a DER certificate cut in half', diagnostics: ['PKCS12_UNREADABLE'] }],
    ignore: ['generate.sh', 'pbes2-whole.p12', 'clear-cert-first-300.p12', 'all-clear-half.p12'],
  },
  { framework: { describe, it } },
);

const fixture = (name: string) =>
  new Uint8Array(fs.readFileSync(new URL(`../../fixtures/pkcs12/cut-short/${name}`, import.meta.url)));

describe('the empty password on the first cipher blocks', () => {
  it('says how it tried', () => {
    const b = fixture('legacy-empty-password-3q.p12');
    const [rc2, des3] = pkcs12Prefix(b, b.length)!.trials;
    expect(emptyPasswordOnPrefix(rc2!)).toBeUndefined(); // RC2: not available, not tried
    expect(emptyPasswordOnPrefix(des3!)).toEqual({
      opens: true,
      how: 'pbeWithSHAAnd3-KeyTripleDES-CBC, 2048 iterations, empty password',
    });
  });

  it('does not open on flipped ciphertext', () => {
    const b = fixture('pbes2-empty-password-half.p12');
    const [trial] = pkcs12Prefix(b, b.length)!.trials;
    const flipped = Uint8Array.from(trial!.ciphertext);
    flipped[0]! ^= 0x01; // CBC: the first plaintext block is garbled
    expect(emptyPasswordOnPrefix({ ...trial!, ciphertext: flipped })?.opens).toBe(false);
  });

  it('answers or declines on seeded mutations of the algorithm, never throws', () => {
    const b = fixture('legacy-empty-password-3q.p12');
    const des3 = pkcs12Prefix(b, b.length)!.trials[1]!;
    const noise = seededBytes(0x44a13, 400);
    for (let i = 0; i < 200; i++) {
      const algorithm = Uint8Array.from(des3.algorithm);
      algorithm[noise[i * 2]! % algorithm.length] = noise[i * 2 + 1]!;
      const r = emptyPasswordOnPrefix({ algorithm, ciphertext: des3.ciphertext });
      if (r) expect(typeof r.opens).toBe('boolean');
    }
  });
});
