import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { dnscryptCertDetector } from './dnscrypt-cert.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

testDetector(
  dnscryptCertDetector,
  {
    fixtures: new URL('../../fixtures/dnscrypt-cert/', import.meta.url),
    valid: [
      {
        file: 'provider.cert',
        format: 'dnscrypt-cert',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['DNSCRYPT_CERT_FIELDS'],
      },
      // Unbound's DNSCrypt test certificates, XSalsa20 and XChacha20.
      { file: 'unbound-1.cert', format: 'dnscrypt-cert', status: 'analysable', reasons: ['DNSCRYPT_CERT_FIELDS'] },
      {
        file: 'unbound-1_chacha.cert',
        format: 'dnscrypt-cert',
        status: 'analysable',
        reasons: ['DNSCRYPT_CERT_FIELDS'],
      },
    ],
    invalid: [{ file: 'random-dnsc.bin' }, { file: 'unknown-es.bin' }],
  },
  { framework: { describe, it } },
);

describe('dnscrypt-cert through the pipeline', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('dnscrypt-cert');
  });

  it('gives the cipher, serial and validity of an Unbound test certificate', () => {
    expect(items.get('unbound-1.cert')?.classification.reasons.find((r) => r.by === 'dnscrypt-cert')?.figures).toEqual({
      esVersion: 1,
      cipher: 'X25519-XSalsa20Poly1305',
      serial: 1472083178,
      validFrom: '2016-08-24',
      validTo: '2017-08-24',
    });
  });

  it('leaves the magic on random bytes to the statistics', () => {
    expect(items.get('random-dnsc.bin')?.format?.id).not.toBe('dnscrypt-cert');
  });
});
