import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { asfDrmDetector } from './asf-drm.js';

// ffmpeg's WMA, and the same with a DRM object in its header (generate.sh).
testDetector(
  asfDrmDetector,
  {
    fixtures: new URL('../../fixtures/asf-drm/', import.meta.url),
    valid: [
      {
        file: 'wmdrm2.wma',
        format: 'asf-drm',
        status: 'encrypted',
        encryption: { scheme: 'asf-wmdrm', scope: 'partial' },
        reasons: ['ASF_CONTENT_ENCRYPTION'],
      },
      { file: 'wmdrm10.wma', format: 'asf-drm', status: 'encrypted', reasons: ['ASF_CONTENT_ENCRYPTION'] },
      {
        file: 'playready.wma',
        format: 'asf-drm',
        status: 'encrypted',
        encryption: { scheme: 'asf-playready' },
        reasons: ['ASF_CONTENT_ENCRYPTION'],
      },
    ],
    // No protection object: file-type's plain ASF.
    invalid: [{ file: 'plain.wma' }],
  },
  { framework: { describe, it } },
);
