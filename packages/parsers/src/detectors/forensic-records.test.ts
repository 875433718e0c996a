import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { forensicRecordsDetector } from './forensic-records.js';

testDetector(
  forensicRecordsDetector,
  {
    fixtures: new URL('../../fixtures/forensic-records/', import.meta.url),
    valid: [
      { file: 'newc.cpio', format: 'cpio', status: 'analysable', reasons: ['CPIO_ASCII_MAGIC'] },
      { file: 'odc.cpio', format: 'cpio', status: 'analysable', reasons: ['CPIO_ASCII_MAGIC'] },
      { file: 'store.asl', format: 'asl', status: 'analysable', reasons: ['ASL_MAGIC'] },
      {
        file: 'Cookies.binarycookies',
        format: 'binarycookies',
        status: 'analysable',
        reasons: ['BINARYCOOKIES_HEADER'],
      },
      { file: 'System.evtx', format: 'evtx', status: 'analysable', reasons: ['EVTX_FILE_HEADER'] },
    ],
    invalid: [{ file: 'cookbook.txt' }],
  },
  { framework: { describe, it } },
);
