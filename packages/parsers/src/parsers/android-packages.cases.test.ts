/**
 * Fixture cases for the Android installed-packages parser, with
 * @evtriage/core/testing (fixtures: ../../fixtures/android-packages/,
 * generate.mts). Items are identified by the text and ABX detectors first.
 */
import { testParser } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { androidBinaryXmlDetector } from '../detectors/android-binary-xml.js';
import { textDetector } from '../detectors/text.js';
import { androidPackagesParser } from './android-packages.js';

const PATH = 'data/system/packages.xml';

testParser(
  androidPackagesParser,
  {
    fixtures: new URL('../../fixtures/android-packages/', import.meta.url),
    detectors: [textDetector, androidBinaryXmlDetector],
    valid: [
      {
        file: 'packages-abx.xml',
        path: PATH,
        format: 'android-binary-xml',
        details: {
          encoding: 'abx',
          packages: 3,
          sdkVersion: 33,
          first: ['com.example.installedonly', 'com.whatsapp', 'org.telegram.messenger'],
        },
        artifact: { id: 'android:packages', counts: { packages: 3 } },
        name: 'Android 12+ binary packages.xml',
      },
      {
        file: 'packages-text.xml',
        path: PATH,
        format: 'xml',
        details: {
          encoding: 'xml',
          packages: 2,
          sdkVersion: 30,
          first: ['com.whatsapp', 'org.thoughtcrime.securesms'],
        },
        artifact: { id: 'android:packages', counts: { packages: 2 } },
        name: 'text packages.xml of older Android',
      },
      {
        file: 'not-packages.xml',
        format: 'xml',
        details: null,
        artifact: null,
        name: 'XML with another root: nothing recorded',
      },
    ],
    invalid: [
      {
        file: 'truncated-abx.xml',
        path: PATH,
        diagnostics: ['ANDROID_PACKAGES_MALFORMED'],
        name: 'binary packages.xml cut in the middle',
      },
    ],
  },
  { framework: { describe, it } },
);
