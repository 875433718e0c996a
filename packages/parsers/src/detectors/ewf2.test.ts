import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { ewf2Detector } from './ewf2.js';
import { wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/ewf2/', import.meta.url);

testDetector(
  ewf2Detector,
  {
    fixtures,
    valid: [
      {
        file: 'encrypted.Ex01',
        format: 'ewf2-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['EWF2_ENCRYPTED_SECTION'],
        encryption: { scheme: 'ewf2-aes256', keyHint: { kind: 'password' } },
      },
      { file: 'image.Ex01', format: 'ewf2', status: 'analysable', reasons: ['EWF2_CLEAR_SECTION'] },
      { file: 'logical.Lx01', format: 'ewf2-logical', status: 'analysable', reasons: ['EWF2_CLEAR_SECTION'] },
    ],
    invalid: [{ file: 'notes.txt' }],
  },
  { framework: { describe, it } },
);

describe('ewf2 section descriptors', () => {
  const read = (name: string) => Buffer.from(fs.readFileSync(new URL(name, fixtures)));
  const detect = async (bytes: Uint8Array) =>
    (await ewf2Detector.detect(wholeFileProbe(bytes, 'x.Ex01'), { limits: {} as never })) as Detection | undefined;

  it('finds the first section descriptor after the data it closes', async () => {
    expect((await detect(read('image.Ex01')))?.reasons[0]?.figures).toMatchObject({
      version: '2.1',
      firstSectionType: 1,
      firstSectionFlags: 1,
      descriptorAt: 176,
    });
  });

  it('does not take the flags of a descriptor whose Adler-32 is wrong: only the signature is then known', async () => {
    const bytes = read('encrypted.Ex01');
    bytes[bytes.length - 1]! ^= 0xff;
    const d = await detect(bytes);
    expect(d?.status).toBe('analysable');
    expect(d?.reasons[0]?.code).toBe('EWF2_SIGNATURE');
    expect(d?.confidence).toBeLessThan(0.9);
  });
});
