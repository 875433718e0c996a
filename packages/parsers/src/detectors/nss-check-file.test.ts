import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { nssCheckFileDetector } from './nss-check-file.js';

testDetector(
  nssCheckFileDetector,
  {
    fixtures: new URL('../../fixtures/nss-check-file/', import.meta.url),
    valid: [{ file: 'libfixture.chk', format: 'nss-chk', status: 'opaque', reasons: ['NSS_CHK_STRUCTURE'] }],
    invalid: [{ file: 'not-chk.bin', name: 'a length that runs past the file' }],
  },
  { framework: { describe, it } },
);
