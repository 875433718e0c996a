import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { gocryptfsDetector } from './gocryptfs.js';

// File contents written from the gocryptfs file format (no FUSE mount on a build machine); see fixtures/gocryptfs/generate.sh.
testDetector(
  gocryptfsDetector,
  {
    fixtures: new URL('../../fixtures/gocryptfs/', import.meta.url),
    valid: [
      {
        file: 'Y2Vh3Bk0RUwNzQ1cB0UJzg',
        format: 'gocryptfs-file',
        status: 'encrypted',
        confidence: { min: 0.85 },
        reasons: ['GOCRYPTFS_FILE_HEADER'],
        encryption: {
          scheme: 'gocryptfs',
          keyHint: { kind: 'password', lookFor: ['**/gocryptfs.conf', '**/.gocryptfs.reverse.conf'] },
        },
      },
      { file: 'status.txt', format: 'gocryptfs-file', status: 'encrypted' },
      { file: 'notes-two-blocks', format: 'gocryptfs-file', status: 'encrypted' },
      {
        file: 'gocryptfs.longname.QhUr5d9FHerwEs--muUs6_80cy6JRp89c1otLwp92Cs.name',
        format: 'gocryptfs-longname',
        status: 'encrypted',
        reasons: ['GOCRYPTFS_LONGNAME'],
      },
    ],
    invalid: [
      { file: 'compressed-after-version.bin' },
      { file: 'version-two-text.bin' },
      { file: 'wrong-size.bin' },
      { file: 'gocryptfs.conf' },
    ],
  },
  { framework: { describe, it } },
);
