import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { embeddedStreamsDetector } from './embedded-streams.js';

testDetector(
  embeddedStreamsDetector,
  {
    fixtures: new URL('../../fixtures/embedded-streams/', import.meta.url),
    valid: [
      { file: 'Payload', format: 'pbzx', status: 'analysable', reasons: ['PBZX_XZ_CHUNKS'] },
      {
        file: 'slot1.sav',
        format: 'compressed-behind-header',
        status: 'opaque',
        reasons: ['COMPRESSED_STREAM_AT_OFFSET'],
      },
      { file: 'level.bundle', format: 'compressed-behind-header', status: 'opaque' },
    ],
    invalid: [{ file: 'bzh-no-block.bin' }, { file: 'xz-bad-crc.bin' }],
  },
  { framework: { describe, it } },
);
