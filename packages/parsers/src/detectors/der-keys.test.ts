import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { derKeysDetector } from './der-keys.js';

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
    ],
    // A certificate belongs to the pkcs12 detector; random bytes behind a SEQUENCE header and a key cut short are no DER structure.
    invalid: [{ file: 'certificate.der' }, { file: 'random-after-sequence.der' }, { file: 'pbes2-cut.der' }],
  },
  { framework: { describe, it } },
);
