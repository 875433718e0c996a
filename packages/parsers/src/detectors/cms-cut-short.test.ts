import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { cmsContent, cmsDetector } from './cms.js';

// Messages made by openssl cms, cut to their first half (fixtures/cms/cut-short/generate.sh).
testDetector(
  cmsDetector,
  {
    fixtures: new URL('../../fixtures/cms/cut-short/', import.meta.url),
    valid: [
      ['enveloped-half.p7m', 'cms-aes256-cbc', 'keystore'] as const,
      ['password-half.p7m', 'cms-aes256-cbc', 'password'] as const,
      ['encrypted-data-half.der', 'cms-aes128-cbc', 'unknown'] as const,
    ].map(([file, scheme, kind]) => ({
      file,
      name: `${file}: the recipient and cipher headers are in sight`,
      format: 'cms-encrypted',
      status: 'encrypted' as const,
      reasons: ['CMS_ENCRYPTED_CUT_SHORT'],
      encryption: { scheme, keyHint: { kind } },
    })),
    invalid: [{ file: 'signed-half.p7m', name: 'signed data cut short: the content is in clear' }],
    ignore: ['generate.sh'],
  },
  { framework: { describe, it } },
);

const fixture = (name: string) =>
  new Uint8Array(fs.readFileSync(new URL(`../../fixtures/cms/cut-short/${name}`, import.meta.url)));

describe('CMS ContentInfo cut short', () => {
  it('gives the declared length and the size, and only when asked to read a cut message', () => {
    const b = fixture('enveloped-half.p7m');
    expect(cmsContent(b, b.length, true)?.cutShort).toEqual({ declared: 9224, size: b.length });
    expect(cmsContent(b, b.length)).toBeUndefined(); // ole2-encryption's S/MIME attachments: whole only
  });

  it('answers or declines on seeded mutations, never throws', () => {
    const base = fixture('password-half.p7m');
    const noise = seededBytes(0x44a14, 1200);
    for (let i = 0; i < 400; i++) {
      const b = Uint8Array.from(base.subarray(0, 64 + (i % 900)));
      for (let k = 0; k < 3; k++) b[noise[i * 3 + k]! % Math.min(b.length, 120)] = noise[(i * 3 + k + 7) % 1200]!;
      const c = cmsContent(b, b.length, true);
      if (c) expect(c.recipients.length).toBeLessThanOrEqual(64);
    }
  });
});
