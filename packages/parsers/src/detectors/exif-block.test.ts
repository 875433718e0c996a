import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { exifBlockDetector } from './exif-block.js';

// Exif blocks as Pillow hands them back from a JPEG it wrote (fixtures/exif-block/generate.py).
testDetector(
  exifBlockDetector,
  {
    fixtures: new URL('../../fixtures/exif-block/', import.meta.url),
    valid: [
      { file: 'canon-be.exif', format: 'exif', status: 'analysable', reasons: ['EXIF_BLOCK'] },
      { file: 'canon-le.exif', format: 'exif', status: 'analysable', reasons: ['EXIF_BLOCK'] },
    ],
    invalid: [{ file: 'exif-then-text.bin' }],
  },
  { framework: { describe, it } },
);
