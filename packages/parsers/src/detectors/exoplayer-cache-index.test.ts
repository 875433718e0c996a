import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { exoplayerCacheIndexDetector } from './exoplayer-cache-index.js';
import { fixtureBytes, fuzzFlipCutGrow } from './probe.test-helper.js';

testDetector(
  exoplayerCacheIndexDetector,
  {
    fixtures: new URL('../../fixtures/exoplayer-cache-index/', import.meta.url),
    valid: [
      {
        file: 'plain/cached_content_index.exi',
        format: 'exoplayer-cache-index',
        status: 'analysable',
        reasons: ['EXOPLAYER_INDEX'],
      },
      {
        file: 'encrypted/cached_content_index.exi',
        format: 'exoplayer-cache-index-encrypted',
        status: 'encrypted',
        reasons: ['EXOPLAYER_INDEX_ENCRYPTED'],
        encryption: { scheme: 'exoplayer-aes-128-cbc' },
      },
      {
        file: 'other-name/index.bin',
        format: 'exoplayer-cache-index',
        status: 'analysable',
        reasons: ['EXOPLAYER_INDEX_CHAINED'],
      },
    ],
    invalid: [
      {
        file: 'other-name/cut-short.bin',
        name: 'a plain index cut by a byte under another name (no chain to the end)',
      },
      { file: 'other-name/encrypted.bin', name: 'an encrypted index under another name (a header and random blocks)' },
    ],
  },
  { framework: { describe, it } },
);

// The chain of entries is read under any name: flipped, cut and grown copies under a neutral name.
describe('exoplayer-cache-index chained entries', () => {
  fuzzFlipCutGrow(
    exoplayerCacheIndexDetector,
    [
      ['index.bin', fixtureBytes('exoplayer-cache-index', 'plain/cached_content_index.exi')],
      ['cached_content_index.exi', fixtureBytes('exoplayer-cache-index', 'encrypted/cached_content_index.exi')],
    ],
    100,
    { wholeHalf: true },
  );
});
