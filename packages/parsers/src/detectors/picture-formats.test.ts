import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { pictureFormatsDetector } from './picture-formats.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// PICT from netpbm's ppmtopict; CZI and Android thumbnail caches (around an ffmpeg JPEG) written from
// their published layouts: fixtures/picture-formats/generate.sh.
testDetector(
  pictureFormatsDetector,
  {
    fixtures: new URL('../../fixtures/picture-formats/', import.meta.url),
    valid: [
      {
        file: 'gradient.pict',
        format: 'pict',
        status: 'analysable',
        reasons: ['PICT_HEADER'],
        confidence: { min: 0.9 },
        name: 'behind the 512-byte application header',
      },
      { file: 'headerless.pct', format: 'pict', status: 'analysable', reasons: ['PICT_HEADER'] },
      { file: 'scan.czi', format: 'czi', status: 'analysable', reasons: ['CZI_FILE_HEADER'] },
      { file: 'photo-cd-head.pcd', format: 'photo-cd', status: 'analysable', reasons: ['PHOTO_CD_IPI'] },
      { file: 'cover.itc', format: 'itc', status: 'analysable', reasons: ['ITC_BLOCKS'], name: "exiftool's ITC.itc" },
      {
        file: '.thumbdata3--1967290299',
        format: 'android-thumbdata',
        status: 'analysable',
        reasons: ['THUMBDATA_RECORDS'],
        name: 'AOSP 10000-byte slots, slot 0 unused',
      },
      {
        file: '.thumbdata4--1967290299',
        format: 'android-thumbdata',
        status: 'analysable',
        reasons: ['THUMBDATA_RECORDS'],
        name: "MediaTek's 16 KiB slots, the record past the head (found in the tail)",
      },
      {
        file: 'erased-slot.thumbdata3',
        format: 'android-thumbdata',
        status: 'analysable',
        reasons: ['THUMBDATA_RECORDS'],
        name: 'an erased slot (status 1, magic 0) before the record',
      },
    ],
    invalid: [
      { file: 'bad-size.czi' },
      { file: 'mentions-zisraw.txt' },
      { file: 'empty-frame.pict' },
      { file: 'bad-length.thumbdata3' },
      { file: 'text-first.thumbdata3' },
      { file: 'item-misses-picture.itc', name: 'an ITC whose item header does not lead to its picture' },
    ],
  },
  { framework: { describe, it } },
);

describe('picture formats through the whole engine', () => {
  it('a PICT, a CZI and thumbnail caches are analysable pictures, not opaque binary', async () => {
    const items = await scanFixtures('picture-formats');
    for (const [name, id] of [
      ['headerless.pct', 'pict'],
      ['gradient.pict', 'pict'],
      ['scan.czi', 'czi'],
      ['cover.itc', 'itc'],
      ['.thumbdata3--1967290299', 'android-thumbdata'],
      ['.thumbdata4--1967290299', 'android-thumbdata'],
      ['erased-slot.thumbdata3', 'android-thumbdata'],
    ]) {
      expect(items.get(name!)?.format?.id, name).toBe(id);
      expect(items.get(name!)?.classification.status, name).toBe('analysable');
    }
  });
});
