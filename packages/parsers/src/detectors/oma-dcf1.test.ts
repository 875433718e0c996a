import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { omaDcf1Detector } from './oma-dcf1.js';

// Written from the OMA DCF 1.0 layout (generate.sh): encrypted, clear, cut short, and a look-alike.
testDetector(
  omaDcf1Detector,
  {
    fixtures: new URL('../../fixtures/oma-dcf1/', import.meta.url),
    valid: [
      {
        file: 'ringtone.dcf',
        format: 'oma-dcf1',
        status: 'encrypted',
        encryption: { scheme: 'oma-dcf1-aes128cbc' },
        reasons: ['OMA_DCF1_ENCRYPTED'],
      },
      { file: 'ringtone-cut.dcf', format: 'oma-dcf1', status: 'encrypted', reasons: ['OMA_DCF1_ENCRYPTED'] },
      { file: 'wallpaper-clear.dcf', format: 'oma-dcf1-clear', status: 'analysable', reasons: ['OMA_DCF1_CLEAR'] },
    ],
    // Header lines that are not "Name: value" text.
    invalid: [{ file: 'lookalike.bin' }],
  },
  { framework: { describe, it } },
);
