import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { asn1DerDetector } from './asn1-der.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

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
      // DSA and ECDSA signature values by `openssl dgst -sign` (signatures.sh): two INTEGERs, three elements.
      { file: 'ecdsa-p256.sig', format: 'asn1-der', status: 'analysable', reasons: ['ASN1_DER_STRUCTURE'] },
      { file: 'ecdsa-p521.sig', format: 'asn1-der', status: 'analysable', reasons: ['ASN1_DER_STRUCTURE'] },
      { file: 'dsa-2048-256.sig', format: 'asn1-der', status: 'analysable', reasons: ['ASN1_DER_STRUCTURE'] },
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
      // A signature's s made negative (no signer writes one), and a signature with a byte after it.
      { file: 'negative-s.sig' },
      { file: 'signature-trailing-byte.sig' },
    ],
  },
  { framework: { describe, it } },
);

const fixture = (name: string) =>
  new Uint8Array(fs.readFileSync(new URL(`../../fixtures/asn1-der/${name}`, import.meta.url)));

describe('asn1-der: DSA and ECDSA signature values', () => {
  it('names the signature and the sizes of r and s', () => {
    const d = asn1DerDetector.detect(wholeFileProbe(fixture('ecdsa-p521.sig'), 'x.sig'), {} as never) as
      { reasons: { message: string; figures?: Record<string, unknown> }[] } | undefined;
    expect(d?.reasons[0]?.message).toMatch(/DSA or ECDSA signature value/);
    expect(d?.reasons[0]?.figures).toMatchObject({ elements: 3 });
    expect(d?.reasons[0]?.figures?.rBytes).toBeGreaterThanOrEqual(64);
  });

  it('calls none of 20,000 seeded random bodies behind a SEQUENCE and INTEGER header a signature', () => {
    let taken = 0;
    for (let seed = 1; seed <= 20_000; seed++) {
      const body = seededBytes(seed, 68);
      // 30 46 02 21 00 and random bytes: the first integer fits, the rest must happen to read as a second one.
      // (The general rule of four or more exactly nested elements takes 3 of these, as it did before.)
      const bytes = Uint8Array.from([0x30, 0x46, 0x02, 0x21, 0x00, ...body.subarray(0, 67)]);
      const d = asn1DerDetector.detect(wholeFileProbe(bytes, 'x.sig'), {} as never) as
        { reasons: { message: string }[] } | undefined;
      if (d?.reasons[0]?.message.includes('signature value')) taken++;
    }
    expect(taken).toBe(0);
  });
});

describe('asn1-der mutation fuzz', () => {
  fuzzFlipCutGrow(
    asn1DerDetector,
    ['ecdsa-p256.sig', 'ecdsa-p521.sig', 'dsa-2048-256.sig', 'rsa-public-pkcs1.der', 'ec-public.der'].map(
      (n) => [n, fixture(n)] as const,
    ),
    50,
  );
});
