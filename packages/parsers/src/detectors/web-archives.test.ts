import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { webArchivesDetector } from './web-archives.js';

testDetector(
  webArchivesDetector,
  {
    fixtures: new URL('../../fixtures/web-archives/', import.meta.url),
    valid: [
      // wget's capture: warcinfo first, then request and response records (the response holds the HTML).
      {
        file: 'capture.warc',
        format: 'warc',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['WARC_RECORD'],
      },
      { file: 'libarchive.warc', format: 'warc', status: 'analysable', reasons: ['WARC_RECORD'] },
      { file: 'ia.arc', format: 'arc-web-archive', status: 'analysable', reasons: ['ARC_VERSION_RECORD'] },
    ],
    // A version line with no record header after it, and "filedesc://" without the ARC fields (libmagic takes both).
    invalid: [{ file: 'quotes-warc.txt' }, { file: 'filedesc.txt' }],
  },
  { framework: { describe, it } },
);
