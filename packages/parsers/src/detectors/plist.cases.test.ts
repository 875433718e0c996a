/** Fixture cases for the plist detector, with @evtriage/core/testing (fixtures: ../../fixtures/plist/, generate.sh). */
import { testDetector } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { plistDetector } from './plist.js';

testDetector(
  plistDetector,
  {
    fixtures: new URL('../../fixtures/plist/', import.meta.url),
    valid: [
      { file: 'binary.plist', format: 'bplist', status: 'analysable', reasons: ['BPLIST_MAGIC'] },
      {
        file: 'binary-no-extension',
        format: 'bplist',
        status: 'analysable',
        name: 'a binary plist without an extension',
      },
      { file: 'xml.plist', format: 'xml-plist', status: 'analysable', reasons: ['XML_PLIST_ROOT'] },
    ],
    invalid: [
      { file: 'not-a-plist.xml', name: 'XML that is not a plist' },
      { file: 'magic-then-overwritten.bin', name: 'the binary magic, then random bytes (no trailer that holds)' },
    ],
  },
  { framework: { describe, it } },
);
