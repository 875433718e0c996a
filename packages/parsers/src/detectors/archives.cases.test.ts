/** Fixture cases for the archives detector, with @evtriage/core/testing (fixtures: ../../fixtures/archives/, generate.sh). */
import { testDetector } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { archivesDetector } from './archives.js';

testDetector(
  archivesDetector,
  {
    fixtures: new URL('../../fixtures/archives/', import.meta.url),
    valid: [
      {
        file: 'damaged-header.zip',
        format: 'zip',
        status: 'analysable',
        reasons: ['ZIP_SIGNATURE'],
        name: 'a damaged first local header, whose encryption bit proves nothing',
      },
      { file: 'archive.zip', format: 'zip', status: 'analysable', reasons: ['ZIP_SIGNATURE'] },
      {
        file: 'empty.zip',
        format: 'zip',
        status: 'analysable',
        reasons: ['ZIP_SIGNATURE'],
        name: 'an empty ZIP: only the end-of-central-directory record',
      },
      { file: 'renamed-archive.dat', format: 'zip', status: 'analysable', name: 'a ZIP named .dat: content decides' },
      { file: 'archive.tar', format: 'tar', status: 'analysable', reasons: ['TAR_USTAR_MAGIC'] },
      { file: 'archive-gnu.tar', format: 'tar', status: 'analysable', reasons: ['TAR_USTAR_MAGIC'] },
      { file: 'a.txt.gz', format: 'gzip', status: 'analysable', reasons: ['GZIP_SIGNATURE'] },
      { file: 'companions-in-archives/sorted.tar', format: 'tar', status: 'analysable', reasons: ['TAR_USTAR_MAGIC'] },
      {
        file: 'companions-in-archives/readdir.tar.gz',
        format: 'gzip',
        status: 'analysable',
        reasons: ['GZIP_SIGNATURE'],
      },
    ],
    invalid: [
      { file: 'not-really.zip', name: 'text named like a ZIP' },
      { file: 'ustar-in-text.js', name: 'text with "ustar" at offset 257 but no valid TAR header checksum' },
    ],
    // The members packed into the archives above, and the same files in 7-Zip's and xz's containers (other
    // detectors name those): src/companions-in-archives.test.ts scans them all.
    ignore: [
      'companions-in-archives/flat/**',
      'companions-in-archives/blocks.7z',
      'companions-in-archives/sorted.cpio',
      'companions-in-archives/sorted.tar.xz',
    ],
  },
  { framework: { describe, it } },
);
