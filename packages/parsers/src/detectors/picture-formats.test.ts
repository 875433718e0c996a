import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { pictureFormatsDetector } from './picture-formats.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// PICT from netpbm's ppmtopict, CZI written from its published layout: fixtures/picture-formats/generate.sh.
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
    ],
    invalid: [{ file: 'bad-size.czi' }, { file: 'mentions-zisraw.txt' }, { file: 'empty-frame.pict' }],
  },
  { framework: { describe, it } },
);

describe('picture formats through the whole engine', () => {
  it('a PICT and a CZI are analysable pictures, not opaque binary', async () => {
    const items = await scanFixtures('picture-formats');
    for (const [name, id] of [
      ['headerless.pct', 'pict'],
      ['gradient.pict', 'pict'],
      ['scan.czi', 'czi'],
    ]) {
      expect(items.get(name!)?.format?.id, name).toBe(id);
      expect(items.get(name!)?.classification.status, name).toBe('analysable');
    }
  });
});
