import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
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

describe('fuzz: exifBlockDetector', () => {
  fuzzFlipCutGrow(
    exifBlockDetector,
    ['canon-be.exif', 'canon-le.exif'].map(
      (name) => [name, fs.readFileSync(new URL(`../../fixtures/exif-block/${name}`, import.meta.url))] as const,
    ),
    20,
  );
});
