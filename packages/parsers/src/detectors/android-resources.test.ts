import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { androidResourcesDetector } from './android-resources.js';

testDetector(
  androidResourcesDetector,
  {
    fixtures: new URL('../../fixtures/android-resources/', import.meta.url),
    valid: [
      { file: 'AndroidManifest.xml', format: 'android-axml', status: 'analysable', reasons: ['AXML_CHUNKS'] },
      { file: 'prefs.xml', format: 'android-axml', status: 'analysable', reasons: ['AXML_CHUNKS'] },
      { file: 'packed-manifest.xml', format: 'android-axml', status: 'analysable', reasons: ['AXML_CHUNKS'] },
      { file: 'resources.arsc', format: 'android-arsc', status: 'analysable', reasons: ['ARSC_CHUNKS'] },
    ],
    invalid: [
      { file: 'bad-string-pool.xml', name: 'a string pool whose string data does not start after its offset arrays' },
      { file: 'random-after-header.arsc', name: 'random bytes behind a resource table header' },
    ],
  },
  { framework: { describe, it } },
);
