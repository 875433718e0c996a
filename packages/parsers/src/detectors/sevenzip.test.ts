import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { sevenzipDetector } from './sevenzip.js';

// The signature header alone: encryption is read from the archive header by the sevenzip-encryption parser.
testDetector(
  sevenzipDetector,
  {
    fixtures: new URL('../../fixtures/sevenzip/', import.meta.url),
    valid: [
      { file: 'plain.7z', format: '7z', status: 'analysable', reasons: ['SEVENZIP_SIGNATURE'] },
      { file: 'content-encrypted.7z', format: '7z', status: 'analysable', reasons: ['SEVENZIP_SIGNATURE'] },
      { file: 'header-encrypted.7z', format: '7z', status: 'analysable', reasons: ['SEVENZIP_SIGNATURE'] },
      {
        file: 'truncated.7z',
        format: '7z',
        status: 'analysable',
        confidence: { max: 0.86 },
        reasons: ['SEVENZIP_SIGNATURE'],
      },
    ],
    // The second volume of a split archive has no signature.
    invalid: [{ file: 'split.7z.002' }],
    // The 7-Zip opener's archives (7z, RAR, cabinet, cpio) and its hostile cpio, checked by
    // sevenzip/sevenzip-container.test.ts; ZIPs whose members 7-Zip decodes, by sevenzip/sevenzip-zip-methods.test.ts;
    // cabinets whose file count is cut, by sevenzip/cab-coverage.test.ts.
    ignore: ['container/**', 'hostile/**', 'zip-methods/**', 'cab-count/**', 'nested-volumes/**'],
  },
  { framework: { describe, it } },
);
