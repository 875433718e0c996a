import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fileGeodatabaseDetector } from './file-geodatabase.js';

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
    ],
    // A table whose size field is not the file's; the index under another name, or with a block count
    // its size does not hold.
    invalid: [{ file: 'bad-size.gdbtable' }, { file: 'index.bin' }, { file: 'a00000002.gdbtablx' }],
  },
  { framework: { describe, it } },
);
