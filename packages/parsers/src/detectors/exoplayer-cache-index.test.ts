import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { exoplayerCacheIndexDetector } from './exoplayer-cache-index.js';

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
    ],
    invalid: [{ file: 'other-name/index.bin', name: 'the same header under another name' }],
  },
  { framework: { describe, it } },
);
