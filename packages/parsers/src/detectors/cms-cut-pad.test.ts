import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { cmsContent, cmsDetector } from './cms.js';

// The small openssl cms messages of fixtures/cms/, cut in half inside their recipient infos and padded with zeros
// to 4 KiB (fixtures/cms/cut-pad/make.sh).
testDetector(
  cmsDetector,
  {
    fixtures: new URL('../../fixtures/cms/cut-pad/', import.meta.url),
    valid: [
      ...(
        [
          ['enveloped-half.p7m', 'keystore'],
          ['auth-enveloped-half.p7m', 'keystore'],
          ['password-half.p7m', 'password'],
        ] as const
      ).map(([file, kind]) => ({
        file,
        name: `${file}: cut inside the recipient infos, before the cipher`,
        format: 'cms-encrypted',
        status: 'encrypted' as const,
        reasons: ['CMS_ENCRYPTED_CUT_SHORT'],
        encryption: { scheme: 'cms', keyHint: { kind } },
      })),
      {
        file: 'enveloped-padded.p7m',
        format: 'cms-encrypted',
        status: 'encrypted',
        reasons: ['CMS_ENCRYPTED_CONTENT', 'TRAILING_ZERO_PADDING'],
        encryption: { scheme: 'cms-aes256-cbc' },
      },
      {
        file: 'encrypted-data-padded.der',
        format: 'cms-encrypted',
        status: 'encrypted',
        reasons: ['CMS_ENCRYPTED_CONTENT', 'TRAILING_ZERO_PADDING'],
        encryption: { scheme: 'cms-aes128-cbc' },
      },
    ],
    invalid: [
      { file: 'signed-half.p7m', name: 'signed data cut short: the content is in clear' },
      { file: 'signed-padded.p7m', name: 'signed data padded: readable, not a cms-encrypted message' },
    ],
  },
  { framework: { describe, it } },
);

const fixture = (name: string) =>
  new Uint8Array(fs.readFileSync(new URL(`../../fixtures/cms/cut-pad/${name}`, import.meta.url)));

describe('CMS message cut inside its recipient infos', () => {
  it('names the recipients in sight and no cipher, and only when asked to read a cut message', () => {
    const b = fixture('password-half.p7m');
    expect(cmsContent(b, b.length, true)).toEqual({
      contentType: 'envelopedData',
      recipients: ['password'],
      cutShort: { declared: 251, size: 125 },
      recipientsCut: true,
    });
    expect(cmsContent(b, b.length)).toBeUndefined();
    // A tag that is no RecipientInfo choice where the first recipient should be: not taken.
    const wrong = Uint8Array.from(b);
    const setAt = wrong.indexOf(0x31, 15);
    wrong[setAt + 3] = 0x04; // the first recipient's tag (SET header: 31 81 83)
    expect(cmsContent(wrong, wrong.length, true)).toBeUndefined();
  });
});
