import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { iworkArchiveDetector } from './iwork-archive.js';

testDetector(
  iworkArchiveDetector,
  {
    fixtures: new URL('../../fixtures/iwork-archive/', import.meta.url),
    valid: [
      { file: 'Document.iwa', format: 'iwork-archive', status: 'opaque', reasons: ['IWA_CHUNKS'] },
      { file: 'Tables.iwa', format: 'iwork-archive', status: 'opaque', reasons: ['IWA_CHUNKS'] },
    ],
    invalid: [
      { file: 'past-end.iwa', name: 'a chunk whose length runs past the end of the file' },
      { file: 'random-chunk.iwa', name: 'a chunk header around random bytes' },
      { file: 'not-archive-info.iwa', name: 'a Snappy block whose stream does not start with an ArchiveInfo' },
    ],
  },
  { framework: { describe, it } },
);
