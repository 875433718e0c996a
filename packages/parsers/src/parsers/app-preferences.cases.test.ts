/**
 * Fixture cases for the app-preferences parser, with @evtriage/core/testing
 * (fixtures: ../../fixtures/app-preferences/, generate.sh). The parser looks
 * at paths, so every case gives the path the file has on a device.
 */
import { testParser } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { plistDetector } from '../detectors/plist.js';
import { textDetector } from '../detectors/text.js';
import { appPreferencesParser } from './app-preferences.js';

const IOS =
  'private/var/mobile/Containers/Data/Application/0B5F2C1E-3D4A-4F6B-8C7D-9E0F1A2B3C4D/Library/Preferences/net.whatsapp.WhatsApp.plist';
const ANDROID = 'data/data/com.whatsapp/shared_prefs/com.whatsapp_preferences.xml';

testParser(
  appPreferencesParser,
  {
    fixtures: new URL('../../fixtures/app-preferences/', import.meta.url),
    detectors: [plistDetector, textDetector],
    valid: [
      {
        file: 'net.whatsapp.WhatsApp.plist',
        path: IOS,
        format: 'bplist',
        details: {
          bundleId: 'net.whatsapp.WhatsApp',
          app: 'WhatsApp',
          keyCount: 5,
          values: {
            OwnJabberID: '15550100@s.whatsapp.net',
            LastKnownVersion: '24.6.77',
            LastBackupDate: '2024-02-29T23:00:00.000Z',
          },
        },
      },
      {
        file: 'com.whatsapp_preferences.xml',
        path: ANDROID,
        format: 'xml',
        details: {
          package: 'com.whatsapp',
          app: 'WhatsApp',
          keyCount: 4,
          values: { registration_jid: '15550100@s.whatsapp.net', version_code: 242677 },
        },
      },
      {
        file: 'net.whatsapp.WhatsApp.plist',
        path: 'Downloads/net.whatsapp.WhatsApp.plist',
        format: 'bplist',
        details: null,
        artifact: null,
        name: 'the same plist outside an app container: nothing recorded',
      },
    ],
    invalid: [
      {
        file: 'truncated.plist',
        path: IOS,
        diagnostics: ['APP_PREFERENCES_MALFORMED'],
        name: 'a preferences plist without its trailer',
      },
    ],
  },
  { framework: { describe, it } },
);
