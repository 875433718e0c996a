/**
 * Fixture cases for the iOS backup Info.plist and Manifest.plist parsers, with
 * @evtriage/core/testing (fixtures: ../../fixtures/ios-backup-info/ and
 * ../../fixtures/ios-backup-manifest/, made by their generate.sh with plistlib).
 * Items are identified by the plist detector first, as in a scan.
 */
import { testParser } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { plistDetector } from '../detectors/plist.js';
import { iosBackupInfoParser, iosBackupManifestParser } from './ios-backup-info.js';

testParser(
  iosBackupInfoParser,
  {
    fixtures: new URL('../../fixtures/ios-backup-info/', import.meta.url),
    detectors: [plistDetector],
    valid: [
      {
        file: 'Info.plist',
        format: 'xml-plist',
        details: {
          'Device Name': 'Test iPhone',
          'Product Type': 'iPhone14,5',
          'Product Version': '17.4.1',
          'Unique Identifier': '00008110-000A1B2C3D4E801E',
          'Last Backup Date': '2024-03-01T10:30:00.000Z',
          installedApplications: 3,
        },
        artifact: { id: 'ios:backup-info', counts: { apps: 3 } },
      },
    ],
    invalid: [
      {
        file: 'app-info.plist',
        diagnostics: [],
        name: 'another plist with Product Version but no Unique Identifier: not called',
      },
      { file: 'truncated-Info.plist', diagnostics: [], name: 'XML cut inside the dict: not called' },
    ],
  },
  { framework: { describe, it } },
);

testParser(
  iosBackupManifestParser,
  {
    fixtures: new URL('../../fixtures/ios-backup-manifest/', import.meta.url),
    detectors: [plistDetector],
    valid: [
      {
        file: 'Manifest.plist',
        format: 'bplist',
        details: {
          isEncrypted: true,
          wasPasscodeSet: true,
          version: '10.0',
          DeviceName: 'Test iPhone',
          ProductVersion: '17.4.1',
          applications: 2,
        },
        artifact: { id: 'ios:backup-manifest', counts: { apps: 2 } },
      },
    ],
    invalid: [
      { file: 'settings.plist', diagnostics: [], name: 'IsEncrypted without Lockdown: not called' },
      { file: 'truncated-Manifest.plist', diagnostics: [], name: 'binary plist without its trailer: not called' },
    ],
  },
  { framework: { describe, it } },
);
