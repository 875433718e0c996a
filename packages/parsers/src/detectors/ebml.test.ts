import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { ebmlDetector } from './ebml.js';

testDetector(
  ebmlDetector,
  {
    fixtures: new URL('../../fixtures/ebml/', import.meta.url),
    valid: [
      { file: 'damaged.mkv', format: 'mkv', status: 'analysable', confidence: 0.75, reasons: ['EBML_DOCTYPE'] },
      { file: 'clip.webm', format: 'webm', status: 'analysable', reasons: ['EBML_DOCTYPE'] },
    ],
    invalid: [{ file: 'other-doctype.ebml' }],
  },
  { framework: { describe, it } },
);
