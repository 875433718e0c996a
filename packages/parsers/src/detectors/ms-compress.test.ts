import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { msCompressDetector } from './ms-compress.js';

testDetector(
  msCompressDetector,
  {
    fixtures: new URL('../../fixtures/ms-compress/', import.meta.url),
    valid: [
      {
        file: 'setup.tx_',
        format: 'ms-compress-szdd',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['MS_COMPRESS_SZDD'],
      },
      { file: 'qbasic.ex_', format: 'ms-compress-szdd', status: 'analysable', reasons: ['MS_COMPRESS_SZDD'] },
      { file: 'f43.kwj', format: 'ms-compress-kwaj', status: 'analysable', confidence: { min: 0.9 } },
      // 24 bytes, too few for statistics to be right about; its name field has no NUL (libmspack rejects it).
      {
        file: 'f90.kwj',
        format: 'ms-compress-kwaj',
        status: 'analysable',
        confidence: { min: 0.7, max: 0.85 },
        reasons: ['MS_COMPRESS_KWAJ'],
      },
      // Damaged on purpose (method 0x3030, offsets past the end): still KWAJ, with less confidence.
      {
        file: 'cve-2018-14681.kwj',
        format: 'ms-compress-kwaj',
        status: 'analysable',
        confidence: { min: 0.7, max: 0.85 },
        reasons: ['MS_COMPRESS_KWAJ'],
      },
    ],
    invalid: [{ file: 'readme.txt' }],
  },
  { framework: { describe, it } },
);
