/**
 * Fixture cases for the iOS container metadata parser, with
 * @evtriage/core/testing (fixtures: ../../fixtures/ios-container-metadata/,
 * generate.sh with plistlib). On a device the file is a dotfile; the cases
 * give that path.
 */
import { testParser } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { plistDetector } from '../detectors/plist.js';
import { iosContainerMetadataParser } from './ios-container-metadata.js';

const METADATA =
  'private/var/mobile/Containers/Data/Application/0B5F2C1E-3D4A-4F6B-8C7D-9E0F1A2B3C4D/.com.apple.mobile_container_manager.metadata.plist';

testParser(
  iosContainerMetadataParser,
  {
    fixtures: new URL('../../fixtures/ios-container-metadata/', import.meta.url),
    detectors: [plistDetector],
    valid: [
      {
        file: 'whatsapp-data-container.plist',
        path: METADATA,
        details: {
          bundleId: 'net.whatsapp.WhatsApp',
          contentClass: 2,
          contentKind: 'app data',
          app: 'WhatsApp',
          catalogueId: 'whatsapp',
        },
      },
      {
        file: 'unknown-app-group.plist',
        path: METADATA,
        details: { bundleId: 'group.com.example.unknown', contentClass: 7, contentKind: 'extension bundle' },
        name: 'an app the catalogue does not know: the bundle id only',
      },
    ],
    invalid: [
      { file: 'no-identifier.plist', path: METADATA, diagnostics: [], name: 'no MCMMetadataIdentifier: not called' },
    ],
  },
  { framework: { describe, it } },
);
