import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { xarDetector } from './xar.js';

// An archive made by bsdtar --format xar; a look-alike header whose TOC is not zlib (fixtures/xar/generate.sh).
testDetector(
  xarDetector,
  {
    fixtures: new URL('../../fixtures/xar/', import.meta.url),
    valid: [
      {
        file: 'archive.xar',
        format: 'xar',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['XAR_TOC'],
      },
    ],
    invalid: [{ file: 'not-a-toc.xar' }],
  },
  { framework: { describe, it } },
);
