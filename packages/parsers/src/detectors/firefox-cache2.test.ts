import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { firefoxCache2Detector } from './firefox-cache2.js';

testDetector(
  firefoxCache2Detector,
  {
    fixtures: new URL('../../fixtures/firefox-cache2/', import.meta.url),
    valid: [
      // An image whose body is 92 bytes, and the page itself (its HTML body first, the metadata after it).
      {
        file: 'entry-image',
        format: 'firefox-cache2-entry',
        status: 'opaque',
        reasons: ['FIREFOX_CACHE2_METADATA'],
      },
      {
        file: 'entry-page',
        format: 'firefox-cache2-entry',
        status: 'opaque',
        reasons: ['FIREFOX_CACHE2_METADATA'],
      },
    ],
    invalid: [{ file: 'not-cache2' }],
  },
  { framework: { describe, it } },
);
