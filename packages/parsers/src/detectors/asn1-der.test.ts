import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { asn1DerDetector } from './asn1-der.js';

testDetector(
  asn1DerDetector,
  {
    fixtures: new URL('../../fixtures/asn1-der/', import.meta.url),
    valid: [
      {
        file: 'ec-private.der',
        format: 'asn1-der',
        status: 'analysable',
        confidence: 0.7,
        reasons: ['ASN1_DER_STRUCTURE'],
      },
      { file: 'ec-public.der', format: 'asn1-der', status: 'analysable', reasons: ['ASN1_DER_STRUCTURE'] },
      { file: 'ocsp-request.der', format: 'asn1-der', status: 'analysable', reasons: ['ASN1_DER_STRUCTURE'] },
      {
        file: 'rsa-public-pkcs1.der',
        name: 'an RSA public key: a SEQUENCE of two minimal INTEGERs',
        format: 'asn1-der',
        status: 'analysable',
      },
      {
        file: 'dh-params.der',
        name: 'Diffie-Hellman parameters (prime, generator)',
        format: 'asn1-der',
        status: 'analysable',
      },
      {
        file: 'cached-ocsp.bin',
        format: 'asn1-der',
        status: 'analysable',
        confidence: 0.65,
        reasons: ['ASN1_DER_STRUCTURE'],
      },
      // Larger than the probe's head: believed from the outer length (the file's size) and the nesting seen.
      {
        file: 'large-crl.der',
        name: 'a 31 KB revocation list',
        format: 'asn1-der',
        status: 'analysable',
        reasons: ['ASN1_DER_STRUCTURE'],
      },
      { file: 'large-bundle.p7b', name: 'a 23 KB PKCS#7 certificate bundle', format: 'asn1-der', status: 'analysable' },
    ],
    invalid: [
      // Cut short: the outer length no longer gives the file's size.
      { file: 'large-crl-cut.der' },
      // A SEQUENCE header whose length gives the size, random bytes behind it.
      { file: 'large-random-sequence.bin' },
      // A password-encrypted PKCS#8 key is not plain readable DER: left to the detectors of encrypted keys.
      { file: 'encrypted-pkcs8.der' },
      // Random bytes behind a SEQUENCE header do not nest as DER.
      { file: 'random-sequence.bin' },
      // Three elements are believed only in minimal DER: a redundant leading 00 fails.
      { file: 'non-minimal-integer.der' },
    ],
  },
  { framework: { describe, it } },
);
