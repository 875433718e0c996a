import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { windowsArtifactsDetector } from './windows-artifacts.js';

testDetector(
  windowsArtifactsDetector,
  {
    fixtures: new URL('../../fixtures/windows-artifacts/', import.meta.url),
    valid: [
      { file: 'NTUSER.DAT', format: 'regf', status: 'analysable', reasons: ['REGF_BASE_BLOCK'] },
      { file: 'CMD.EXE-087B4001.pf', format: 'windows-prefetch', status: 'opaque', reasons: ['PREFETCH_SCCA'] },
      // Compressed, high entropy, and still not encrypted.
      { file: 'NOTEPAD.EXE-D8414F97.pf', format: 'windows-prefetch-mam', status: 'opaque', reasons: ['PREFETCH_MAM'] },
      { file: '$IA1B2C3.jpg', format: 'windows-recycle-bin-i', status: 'opaque', reasons: ['RECYCLE_BIN_I_RECORD'] },
      // Real records (plaso's test data) under names that are not "$I…": the structure decides, not the name.
      {
        file: 'recycled-record-v2',
        format: 'windows-recycle-bin-i',
        status: 'opaque',
        reasons: ['RECYCLE_BIN_I_RECORD'],
      },
      {
        file: 'recycled-record-v1.pptx',
        format: 'windows-recycle-bin-i',
        status: 'opaque',
        reasons: ['RECYCLE_BIN_I_RECORD'],
      },
    ],
    invalid: [{ file: '$Inotes.txt' }, { file: 'scca-at-zero.bin' }, { file: 'version1-ascii-path.bin' }],
  },
  { framework: { describe, it } },
);
