import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { avbKeysDetector, avbPublicKeyAt } from './avb-keys.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const dir = new URL('../../fixtures/avb-keys/', import.meta.url);
const fixture = (name: string): Uint8Array => fs.readFileSync(new URL(name, dir));

testDetector(
  avbKeysDetector,
  {
    fixtures: dir,
    ignore: ['generate.sh'],
    valid: [
      { file: 'rsa2048.avbpubkey', format: 'avb-public-key', status: 'analysable', reasons: ['AVB_PUBLIC_KEY'] },
      {
        file: 'permanent_attributes.bin',
        format: 'avb-cert-permanent-attributes',
        status: 'analysable',
        reasons: ['AVB_CERT_STRUCTURE'],
      },
      {
        file: 'pik_certificate.bin',
        format: 'avb-cert-certificate',
        status: 'analysable',
        reasons: ['AVB_CERT_STRUCTURE'],
      },
      { file: 'metadata.bin', format: 'avb-cert-metadata', status: 'analysable', reasons: ['AVB_CERT_STRUCTURE'] },
    ],
    invalid: [
      { file: 'bad_n0inv.avbpubkey', name: 'a key header whose n0inv is not −1/n mod 2^32' },
      { file: 'pik_certificate_cut.bin', name: 'a certificate one byte short' },
    ],
  },
  { framework: { describe, it } },
);

describe('AVB keys', () => {
  it('names the certificate role from its usage hash', async () => {
    const d = await avbKeysDetector.detect(wholeFileProbe(fixture('pik_certificate.bin'), 'pik_certificate.bin'), {
      limits: DEFAULT_LIMITS,
    });
    expect(d && 'reasons' in d ? d.reasons[0]?.message : '').toContain('intermediate (PIK)');
  });

  it('random bytes behind a valid key-size field are never taken for a key', () => {
    let taken = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const b = seededBytes(seed, 520);
      b.set([0, 0, 8, 0], 0);
      if (avbPublicKeyAt(b, 0) !== undefined) taken++;
    }
    expect(taken).toBe(0);
  });

  it('whole engine: the avbtool files are public keys and certificates, not ciphertext', async () => {
    const items = await scanFixtures('avb-keys');
    expect(items.get('rsa2048.avbpubkey')?.format?.id).toBe('avb-public-key');
    expect(items.get('metadata.bin')?.classification.status).toBe('analysable');
    expect(items.get('bad_n0inv.avbpubkey')?.format?.id).not.toBe('avb-public-key');
  });
});

describe('avb-keys mutation fuzz', () => {
  fuzzFlipCutGrow(
    avbKeysDetector,
    ['rsa2048.avbpubkey', 'permanent_attributes.bin', 'pik_certificate.bin', 'metadata.bin'].map(
      (n) => [n, fixture(n)] as const,
    ),
    20,
    // Every key byte is checked and the sizes are exact: only whole, lightly flipped copies can still match.
    { wholeHalf: true },
  );
});
