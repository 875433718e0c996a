import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { fileGeodatabaseDetector } from './file-geodatabase.js';
import { wholeFileProbe } from './probe.test-helper.js';

const ok = (file: string, part: string) => ({
  file,
  format: 'esri-file-geodatabase',
  status: 'analysable' as const,
  confidence: { min: 0.9 },
  reasons: ['FILEGDB_HEADER'],
  details: { part },
});

testDetector(
  fileGeodatabaseDetector,
  {
    fixtures: new URL('../../fixtures/file-geodatabase/', import.meta.url),
    valid: [
      ok('features.gdbtable', 'table'),
      ok('a00000001.gdbtable', 'table'),
      ok('a00000009.gdbtablx', 'row offsets index'),
      {
        // The index under another name: its size as the header makes it, and its three row offsets rising.
        file: 'index.bin',
        format: 'esri-file-geodatabase',
        status: 'analysable',
        confidence: { max: 0.8 },
        reasons: ['FILEGDB_INDEX_OFFSETS'],
        details: { part: 'row offsets index' },
      },
    ],
    // A table whose size field is not the file's; the index with a block count its size does not hold; the
    // index under another name with two row offsets swapped.
    invalid: [{ file: 'bad-size.gdbtable' }, { file: 'a00000002.gdbtablx' }, { file: 'index-unordered.bin' }],
  },
  { framework: { describe, it } },
);

describe('file-geodatabase: the offsets index without its name', () => {
  const read = (name: string) =>
    new Uint8Array(fs.readFileSync(new URL(`../../fixtures/file-geodatabase/${name}`, import.meta.url)));
  const detect = (b: Uint8Array, name: string) =>
    fileGeodatabaseDetector.detect(wholeFileProbe(b, name), { limits: DEFAULT_LIMITS }) as Detection | undefined;

  it('counts the live rows and refuses an offset in a slot past the row count', () => {
    expect(detect(read('index.bin'), 'f')?.reasons[0]?.figures).toMatchObject({ liveRows: 3 });
    const extra = read('index.bin');
    extra[16 + 5 * 10] = 0xff; // slot 10 of 3 rows
    expect(detect(extra, 'f')).toBeUndefined();
    // Under its geodatabase name the size alone decides, as before.
    expect(detect(read('index-unordered.bin'), 'a00000009.gdbtablx')?.format.id).toBe('esri-file-geodatabase');
  });
});
