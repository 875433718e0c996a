import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { derKeysDetector, truncatedClearKey } from './der-keys.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

// Made by openssl (fixtures/der-keys/generate.sh).
testDetector(
  derKeysDetector,
  {
    fixtures: new URL('../../fixtures/der-keys/', import.meta.url),
    valid: [
      {
        file: 'ec-pkcs8-pbes2.der',
        format: 'pkcs8-encrypted-der',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['DER_PKCS8_ENCRYPTED'],
        encryption: { scheme: 'pkcs8-pbes2-aes-256-cbc', keyHint: { kind: 'password' } },
      },
      {
        file: 'ec-pkcs8-pkcs12pbe.der',
        format: 'pkcs8-encrypted-der',
        status: 'encrypted',
        encryption: { scheme: 'pkcs8-pkcs12-sha1-3des' },
      },
      { file: 'ec-pkcs8-clear.der', format: 'pkcs8-der', status: 'analysable', reasons: ['DER_KEY_STRUCTURE'] },
      { file: 'ec-sec1.der', format: 'ec-key-der', status: 'analysable' },
      { file: 'rsa-pkcs1.der', format: 'rsa-key-der', status: 'analysable' },
      { file: 'ec-public.der', format: 'public-key-der', status: 'analysable' },
      { file: 'ocsp-response.der', format: 'ocsp-der', status: 'analysable' },
      // pyca/cryptography's vectors (PKITS, OCSP, requests, keys, PKCS#7): the other public X.509 structures.
      { file: 'pkits-dsa-ca.crl', format: 'crl-der', status: 'analysable', reasons: ['DER_KEY_STRUCTURE'] },
      { file: 'pkits-forward-cross.cp', format: 'x509-certificate-pair-der', status: 'analysable' },
      { file: 'ocsp-request-sha1.der', format: 'ocsp-request-der', status: 'analysable' },
      { file: 'ocsp-response-unauthorized.der', format: 'ocsp-der', status: 'analysable' },
      { file: 'csr-ec-sha256.der', format: 'csr-der', status: 'analysable' },
      { file: 'dsa-1024.der', format: 'dsa-key-der', status: 'analysable' },
      { file: 'pkcs7-amazon-roots.der', format: 'pkcs7-signed-der', status: 'analysable' },
      // Clear keys cut at 80%: an X9.42 DH key cut inside its parameters, an EC key cut inside its key bytes.
      {
        file: 'dh-x942-pkcs8-cut.der',
        format: 'pkcs8-der-truncated',
        status: 'opaque',
        reasons: ['DER_PKCS8_CLEAR_TRUNCATED'],
      },
      { file: 'ec-pkcs8-clear-cut.der', format: 'pkcs8-der-truncated', status: 'opaque' },
      // An encrypted key one byte short: its algorithm identifier names PBES2 (der-keys-cut-pad.test.ts).
      {
        file: 'pbes2-cut.der',
        format: 'pkcs8-encrypted-der',
        status: 'encrypted',
        reasons: ['DER_PKCS8_ENCRYPTED_CUT_SHORT'],
      },
    ],
    // A certificate belongs to the pkcs12 detector; random bytes behind a SEQUENCE header are no DER structure.
    invalid: [{ file: 'certificate.der' }, { file: 'random-after-sequence.der' }],
    ignore: ['cut-pad/**'],
  },
  { framework: { describe, it } },
);

describe('der-keys mutation fuzz', () => {
  const seeds = ['dh-x942-pkcs8-cut.der', 'ec-pkcs8-clear-cut.der', 'ec-pkcs8-clear.der', 'ec-pkcs8-pbes2.der'].map(
    (name) =>
      [name, new Uint8Array(fs.readFileSync(new URL(`../../fixtures/der-keys/${name}`, import.meta.url)))] as const,
  );
  fuzzFlipCutGrow(derKeysDetector, seeds, 300, { wholeHalf: true });
});

describe('truncatedClearKey', () => {
  const read = (name: string) =>
    new Uint8Array(fs.readFileSync(new URL(`../../fixtures/der-keys/${name}`, import.meta.url)));

  it('needs the version and a whole key-algorithm OID, and a cut encrypted key is not one', () => {
    expect(truncatedClearKey(read('dh-x942-pkcs8-cut.der'))).toMatchObject({ key: 'dh-x942' });
    expect(truncatedClearKey(read('pbes2-cut.der'))).toBeUndefined();
    expect(truncatedClearKey(read('random-after-sequence.der'))).toBeUndefined();
    // A whole key is not cut; cut inside its OID it is not recognised.
    expect(truncatedClearKey(read('ec-pkcs8-clear.der'))).toBeUndefined();
    expect(truncatedClearKey(read('ec-pkcs8-clear.der').subarray(0, 12))).toBeUndefined();
  });
});
