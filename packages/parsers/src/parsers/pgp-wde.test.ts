import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { diskImagesDetector } from '../detectors/disk-images.js';
import { pgpWdeParser } from './pgp-wde.js';

// Disk images written from PGP Desktop's record layout (fixtures/pgp-wde/generate.sh).
testParser(
  pgpWdeParser,
  {
    fixtures: new URL('../../fixtures/pgp-wde/', import.meta.url),
    detectors: [diskImagesDetector],
    valid: [
      {
        file: 'wde-disk.img',
        format: 'pgp-wde',
        status: 'encrypted',
        encryption: { scheme: 'pgp-wde', keyHint: { kind: 'password' } },
        details: { pgpWdeRecords: 2, users: ['passphrase (alice)', 'session keys'] },
      },
      { file: 'plain-mbr-disk.img', format: 'mbr-disk', status: 'analysable' },
    ],
    invalid: [{ file: 'continuation-only.img', diagnostics: ['PGP_WDE_NO_MAIN_RECORD'] }],
  },
  { framework: { describe, it } },
);
