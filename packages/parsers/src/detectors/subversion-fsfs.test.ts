import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { subversionFsfsDetector } from './subversion-fsfs.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/subversion-fsfs/', import.meta.url);

// Revision files Subversion 1.14 wrote in formats 8 and 6; look-alikes (fixtures/subversion-fsfs/generate.sh).
testDetector(
  subversionFsfsDetector,
  {
    fixtures,
    valid: ['f8-rev0', 'f8-rev1', 'f8-rev2', 'f6-rev0', 'f6-rev1', 'f6-rev2'].map((file) => ({
      file,
      format: 'svn-fsfs-revision',
      status: 'analysable' as const,
      reasons: ['SVN_FSFS_REVISION'],
    })),
    invalid: [{ file: 'plain-note.txt' }, { file: 'bad-footer-rev' }, { file: 'generate.sh' }, { file: 'shard0.pack' }],
  },
  { framework: { describe, it } },
);

describe('subversion-fsfs: damaged input', () => {
  const seeds = fs
    .readdirSync(fixtures)
    .filter((f) => !f.endsWith('.sh'))
    .map((f) => [f, new Uint8Array(fs.readFileSync(new URL(f, fixtures)))] as const);
  fuzzFlipCutGrow(subversionFsfsDetector, seeds, 300, { wholeHalf: true });
});
