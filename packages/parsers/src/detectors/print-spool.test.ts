import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { printSpoolDetector } from './print-spool.js';

testDetector(
  printSpoolDetector,
  {
    fixtures: new URL('../../fixtures/print-spool/', import.meta.url),
    valid: [
      // A real CUPS job control file (libyal/dtformats' test data).
      { file: 'cups_ipp_2.0', format: 'cups-ipp', status: 'opaque', reasons: ['IPP_ATTRIBUTE_GROUPS'] },
      // Attributes, then the document a Print-Job request carries.
      { file: 'print-job-request.ipp', format: 'cups-ipp', status: 'opaque', reasons: ['IPP_ATTRIBUTE_GROUPS'] },
    ],
    invalid: [{ file: 'cut-control-file' }, { file: 'version-only.bin' }],
  },
  { framework: { describe, it } },
);
