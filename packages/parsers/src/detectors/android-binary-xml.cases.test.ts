/** Fixture cases for the Android Binary XML detector, with @evtriage/core/testing (fixtures: ../../fixtures/android-binary-xml/, generate.mts). */
import { testDetector } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { androidBinaryXmlDetector } from './android-binary-xml.js';

testDetector(
  androidBinaryXmlDetector,
  {
    fixtures: new URL('../../fixtures/android-binary-xml/', import.meta.url),
    valid: [
      {
        file: 'settings-abx.xml',
        format: 'android-binary-xml',
        status: 'analysable',
        confidence: 0.97,
        reasons: ['ABX_MAGIC'],
        name: 'magic then a start-document token',
      },
    ],
    invalid: [
      { file: 'magic-only.bin', name: 'the magic without a start-document token (a damaged file or a chance prefix)' },
      { file: 'text.xml', name: 'text XML' },
      { file: 'abx-notes.txt', name: 'text starting with "ABX"' },
    ],
  },
  { framework: { describe, it } },
);
