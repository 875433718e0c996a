import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { ole2Detector } from './ole2.js';

testDetector(
  ole2Detector,
  {
    fixtures: new URL('../../fixtures/ole2/', import.meta.url),
    valid: [
      { file: 'agile-encrypted.docx', format: 'ole2', status: 'analysable', reasons: ['CFB_HEADER'] },
      { file: 'word-encrypted.doc', format: 'ole2', status: 'analysable', reasons: ['CFB_HEADER'] },
      { file: 'word-clear.doc', format: 'ole2', status: 'analysable', reasons: ['CFB_HEADER'] },
      { file: 'excel-filepass.xls', format: 'ole2', status: 'analysable', reasons: ['CFB_HEADER'] },
      { file: 'excel-clear.xls', format: 'ole2', status: 'analysable', reasons: ['CFB_HEADER'] },
      { file: 'powerpoint-encrypted.ppt', format: 'ole2', status: 'analysable', reasons: ['CFB_HEADER'] },
      { file: 'powerpoint-clear.ppt', format: 'ole2', status: 'analysable', reasons: ['CFB_HEADER'] },
      { file: 'other-streams.cfb', format: 'ole2', status: 'analysable', reasons: ['CFB_HEADER'] },
    ],
    // Shorter than one sector: the header cannot be a compound file's.
    invalid: [{ file: 'truncated.doc' }],
  },
  { framework: { describe, it } },
);
