import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { macAliasDetector } from './mac-alias.js';

testDetector(
  macAliasDetector,
  {
    fixtures: new URL('../../fixtures/mac-alias/', import.meta.url),
    valid: [
      // A real login item's alias (libyal/dtformats' test data), version 3.
      {
        file: 'com.apple.loginitems.plist.alias_data',
        format: 'mac-alias',
        status: 'opaque',
        reasons: ['MAC_ALIAS_RECORD'],
      },
      { file: 'report-v2.alias', format: 'mac-alias', status: 'opaque', reasons: ['MAC_ALIAS_RECORD'] },
    ],
    invalid: [{ file: 'v3-longer.alias' }],
  },
  { framework: { describe, it } },
);
