import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { isoBmffDetector } from './iso-bmff.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

testDetector(
  isoBmffDetector,
  {
    fixtures: new URL('../../fixtures/iso-bmff/', import.meta.url),
    valid: [
      { file: 'segment.m4s', format: 'mp4-segment', status: 'analysable', reasons: ['MP4_MEDIA_SEGMENT'] },
      {
        file: 'blank-major-brand.heic',
        format: 'heic',
        status: 'analysable',
        reasons: ['ISO_BMFF_IMAGE_BRANDS'],
        name: 'a HEIF image by its compatible brands, the major brand blank (libheif fuzzing corpus)',
      },
      {
        file: 'protected-faststart.mp4',
        format: 'mp4-drm',
        status: 'encrypted',
        encryption: { scheme: 'mp4-cenc', scope: 'partial' },
        reasons: ['MP4_PROTECTED_SAMPLES'],
      },
      // The moov written after the samples: read from the probe's tail.
      { file: 'protected-moov-last.mp4', format: 'mp4-drm', status: 'encrypted', encryption: { scheme: 'mp4-cenc' } },
      { file: 'protected-segment.m4s', format: 'mp4-drm', status: 'encrypted', encryption: { scheme: 'mp4-cenc' } },
      // Smooth Streaming (PIFF 1.1): the sample encryption box is a uuid box in the traf; without it, a plain segment.
      { file: 'piff-fragment.ismv', format: 'mp4-drm', status: 'encrypted', encryption: { scheme: 'mp4-cenc' } },
      { file: 'smooth-fragment.ismv', format: 'mp4-segment', status: 'analysable', reasons: ['MP4_MEDIA_SEGMENT'] },
      // OMA DRM 2 DCF: the ohdr's encryption method decides (1 AES-128-CBC; 0 content in the clear).
      {
        file: 'oma-drm2.odf',
        format: 'oma-dcf',
        status: 'encrypted',
        encryption: { scheme: 'oma-dcf-aes-128-cbc' },
        reasons: ['OMA_DCF_ENCRYPTED'],
      },
      { file: 'oma-drm2-clear.odf', format: 'oma-dcf-clear', status: 'analysable', reasons: ['OMA_DCF_CLEAR'] },
      { file: 'fairplay.m4p', format: 'mp4-drm', status: 'encrypted', encryption: { scheme: 'mp4-itun' } },
      // Audible: an aavd sample entry; the adrm box (AAX) or its absence (AAXC) says where the key is.
      {
        file: 'audible.aax',
        format: 'audible-aax',
        status: 'encrypted',
        encryption: { scheme: 'audible-aax', scope: 'partial' },
        reasons: ['AUDIBLE_AAX_ADRM'],
      },
      {
        file: 'audible.aaxc',
        format: 'audible-aaxc',
        status: 'encrypted',
        encryption: { scheme: 'audible-aaxc', scope: 'partial' },
        reasons: ['AUDIBLE_AAXC'],
      },
    ],
    // A plain audiobook, and one whose brand says AAX over plain mp4a samples: file-type names them.
    invalid: [
      { file: 'plain.mp4' },
      { file: 'random-after-styp.m4s' },
      { file: 'audiobook.m4b' },
      { file: 'aax-brand-only.m4b' },
    ],
  },
  { framework: { describe, it } },
);

describe('iso-bmff: Audible', () => {
  const read = (name: string) =>
    new Uint8Array(fs.readFileSync(new URL(`../../fixtures/iso-bmff/${name}`, import.meta.url)));
  const detect = async (name: string) =>
    (await isoBmffDetector.detect(wholeFileProbe(read(name), name), { limits: {} as never })) as Detection | undefined;

  it("reports the AAX's activation checksum (the adrm box's, which FFmpeg checks the activation bytes against)", async () => {
    const aax = await detect('audible.aax');
    expect(aax?.reasons[0]?.figures).toMatchObject({
      brand: 'aax ',
      activationChecksum: '32556fe3b6c5471063fa723d90d5dee69f6d954e',
    });
    expect(aax?.encryption?.keyHint?.description).toContain('activation bytes');
  });

  it('reads an aavd entry without adrm as AAXC, whose key is in its voucher', async () => {
    const aaxc = await detect('audible.aaxc');
    expect(aaxc?.reasons[0]?.figures).toMatchObject({ brand: 'aaxc' });
    expect(aaxc?.encryption?.keyHint).toMatchObject({ kind: 'key-file' });
  });
});

describe('iso-bmff: images by their compatible brands', () => {
  it('through the whole engine the HEIF brand outranks file-type, which names the file MP4 by its blank major brand', async () => {
    const items = await scanFixtures('iso-bmff');
    const heif = items.get('blank-major-brand.heic');
    expect(heif?.format?.id).toBe('heic');
    expect(heif?.classification.reasons.map((r) => r.code)).toContain('ISO_BMFF_IMAGE_BRANDS');
    // A plain MP4 (major brand isom, no image brand) stays file-type's.
    expect(items.get('plain.mp4')?.format?.id).toBe('mp4');
  });
});
