import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { affDetector } from './aff.js';
import { wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/aff/', import.meta.url);

testDetector(
  affDetector,
  {
    fixtures,
    valid: [
      {
        file: 'encrypted.aff',
        format: 'aff-encrypted',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['AFF_ENCRYPTED_SEGMENTS'],
        encryption: { scheme: 'aff-aes256', keyHint: { kind: 'password' } },
      },
      { file: 'image.aff', format: 'aff', status: 'analysable', reasons: ['AFF_SEGMENTS'] },
    ],
    invalid: [{ file: 'aff-notes.txt' }],
  },
  { framework: { describe, it } },
);

describe('aff segments', () => {
  const read = (name: string) => Buffer.from(fs.readFileSync(new URL(name, fixtures)));
  const detect = async (bytes: Uint8Array) =>
    (await affDetector.detect(wholeFileProbe(bytes, 'x.aff'), { limits: {} as never })) as Detection | undefined;

  it('reads the segment names AFFLIB wrote, up to the image data past the probe', async () => {
    const plainImage = await detect(read('image.aff'));
    expect(plainImage?.reasons[0]?.figures).toMatchObject({
      encryptedSegments: 0,
      passphraseKey: false,
      walkEnd: 'probe',
    });
    expect((plainImage?.reasons[0]?.figures as { segments: number }).segments).toBeGreaterThan(5);
    const locked = await detect(read('encrypted.aff'));
    expect(locked?.reasons[0]?.figures).toMatchObject({ passphraseKey: true, certificateKeys: 0 });
    expect(locked?.reasons[0]?.message).toMatch(/wrapped by a passphrase/);
  });

  it('stops at a segment whose tail does not give its length: no answer when none is whole', async () => {
    const bytes = read('image.aff');
    const broken = Buffer.from(bytes);
    // The first segment's tail ("ATT\0" and the length) sits after its 7-byte name and 512 bytes of data.
    const tail = 8 + 16 + 7 + 512;
    expect(broken.toString('latin1', tail, tail + 4)).toBe('ATT\0');
    broken.writeUInt32BE(1, tail + 4);
    expect(await detect(broken)).toBeUndefined();
  });
});
