import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import { cardVerifiableCertificateDetector } from './card-verifiable-certificate.js';

// Certificates by openpace's cvc-create (fixtures/card-verifiable-certificate/generate.sh).
const fixtures = new URL('../../fixtures/card-verifiable-certificate/', import.meta.url);
const read = (name: string) => fs.readFileSync(new URL(name, fixtures));

testDetector(
  cardVerifiableCertificateDetector,
  {
    fixtures,
    valid: [
      { file: 'cvca.cvcert', format: 'cv-certificate', status: 'analysable', reasons: ['CV_CERTIFICATE'] },
      { file: 'terminal.cvcert', format: 'cv-certificate', status: 'analysable', reasons: ['CV_CERTIFICATE'] },
    ],
    invalid: [{ file: 'cut-signature.bin', name: "a certificate whose signature's length runs past the file" }],
  },
  { framework: { describe, it } },
);

describe('card verifiable certificate fields', () => {
  it('names the holder, the authority and the validity dates cvc-print shows', async () => {
    const probe = wholeFileProbe(read('terminal.cvcert'), 'terminal.cvcert');
    const d = (await cardVerifiableCertificateDetector.detect(probe, { limits: {} as never })) as Detection;
    expect(d.reasons[0]?.figures).toMatchObject({
      holder: 'DETESTTERM00001',
      authority: 'DETESTCVCA00001',
      expires: '2028-12-31',
    });
  });
});

describe('fuzz: cardVerifiableCertificateDetector', () => {
  fuzzFlipCutGrow(
    cardVerifiableCertificateDetector,
    ['cvca.cvcert', 'terminal.cvcert'].map((name) => [name, read(name)] as const),
    20,
  );
});
