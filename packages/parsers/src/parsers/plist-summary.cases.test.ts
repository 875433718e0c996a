/**
 * Fixture cases for the plist summary, with @evtriage/core/testing
 * (fixtures: ../../fixtures/plist-summary/, generate.sh). Items are identified
 * by the plist detector first, as in a scan.
 */
import { testParser } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { plistDetector } from '../detectors/plist.js';
import { plistSummaryParser } from './plist-summary.js';

const keys = ['CFBundleIdentifier', 'LastOpened', 'LaunchCount', 'RecentSearches'];

testParser(
  plistSummaryParser,
  {
    fixtures: new URL('../../fixtures/plist-summary/', import.meta.url),
    detectors: [plistDetector],
    valid: [
      { file: 'prefs.plist', format: 'bplist', details: { root: 'dict', keyCount: 4, keys } },
      { file: 'prefs-xml.plist', format: 'xml-plist', details: { root: 'dict', keyCount: 4, keys } },
      { file: 'list.plist', format: 'bplist', details: { root: 'array', keyCount: 0, length: 3 } },
    ],
    invalid: [
      { file: 'truncated.plist', diagnostics: ['PLIST_MALFORMED'], name: 'binary plist without its trailer' },
      { file: 'truncated-xml.plist', diagnostics: ['PLIST_MALFORMED'], name: 'XML plist cut in the middle' },
      {
        file: 'key-is-array.plist',
        diagnostics: ['PLIST_MALFORMED'],
        name: 'a dictionary key pointed at an array (found by document-mutants; it was listed as the key "milk,keys")',
      },
    ],
  },
  { framework: { describe, it } },
);
