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
      // Authentication requests (tag 67: request.sh): Botan's, and openpace's certificate wrapped as one.
      { file: 'botan-request.cvreq', format: 'cv-certificate', status: 'analysable', reasons: ['CV_CERTIFICATE'] },
      { file: 'wrapped-terminal.cvreq', format: 'cv-certificate', status: 'analysable', reasons: ['CV_CERTIFICATE'] },
    ],
    invalid: [
      { file: 'cut-signature.bin', name: "a certificate whose signature's length runs past the file" },
      { file: 'request-cut.bin', name: "a request whose outer signature's length runs past the file" },
      { file: 'wrapped-no-authority.bin', name: "a request wrapper without the receiving authority's reference" },
    ],
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

describe('card verifiable certificate requests', () => {
  it('names the authority a request is sent to, and takes Latin-1 letters in a reference', async () => {
    const wrapped = (await cardVerifiableCertificateDetector.detect(
      wholeFileProbe(read('wrapped-terminal.cvreq'), 'x.cvreq'),
      { limits: {} as never },
    )) as Detection;
    expect(wrapped.reasons[0]?.message).toMatch(/authentication request \(tag 67\) to "DETESTCVCA00001"/);
    const botan = (await cardVerifiableCertificateDetector.detect(
      wholeFileProbe(read('botan-request.cvreq'), 'x.cvreq'),
      { limits: {} as never },
    )) as Detection;
    expect(botan.reasons[0]?.figures).toMatchObject({ holder: 'DE1"* #~\u00ff \u00ad' });
  });

  it('refuses a control character in a reference', async () => {
    const b = Buffer.from(read('terminal.cvcert'));
    const at = b.indexOf('DETESTTERM00001');
    b[at + 2] = 0x7f;
    expect(await cardVerifiableCertificateDetector.detect(wholeFileProbe(b, 'x'), { limits: {} as never })).toBe(
      undefined,
    );
  });
});

describe('fuzz: cardVerifiableCertificateDetector', () => {
  fuzzFlipCutGrow(
    cardVerifiableCertificateDetector,
    ['cvca.cvcert', 'terminal.cvcert', 'botan-request.cvreq', 'wrapped-terminal.cvreq'].map(
      (name) => [name, read(name)] as const,
    ),
    20,
  );
});
