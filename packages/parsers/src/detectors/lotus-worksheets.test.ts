import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { lotusWorksheetsDetector } from './lotus-worksheets.js';

// Lotus 1-2-3 Release 2 and Works for DOS worksheets from the published layout, read back (and the locked one
// deciphered with its password) by libwps' wks2csv (fixtures/lotus-worksheets/generate.sh).
testDetector(
  lotusWorksheetsDetector,
  {
    fixtures: new URL('../../fixtures/lotus-worksheets/', import.meta.url),
    valid: [
      {
        file: 'locked.wk1',
        format: 'lotus-worksheet-encrypted',
        status: 'encrypted',
        reasons: ['LOTUS_PASSWORD_RECORD'],
        encryption: { scheme: 'lotus-wk1-xor', keyHint: { kind: 'password' } },
      },
      { file: 'clear.wk1', format: 'lotus-worksheet', status: 'analysable', reasons: ['LOTUS_WORKSHEET_CLEAR'] },
      { file: 'works.wks', format: 'lotus-worksheet', status: 'analysable', reasons: ['LOTUS_WORKSHEET_CLEAR'] },
    ],
    invalid: [{ file: 'generate.py' }, { file: 'generate.sh' }],
  },
  { framework: { describe, it } },
);
