import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { subversionFsfsPackDetector } from './subversion-fsfs.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Shares the subversion-fsfs fixtures: a shard svnadmin pack wrote (fixtures/subversion-fsfs/generate.sh).
const fixtures = new URL('../../fixtures/subversion-fsfs/', import.meta.url);
const PACK = 'srv/svn/repo/db/revs/0.pack/pack';

testDetector(
  subversionFsfsPackDetector,
  {
    fixtures,
    valid: [
      { file: 'shard0.pack', path: PACK, format: 'svn-fsfs-pack', status: 'analysable', reasons: ['SVN_FSFS_PACK'] },
    ],
    invalid: [
      { file: 'shard0.pack' }, // not at a packed shard's path
      { file: 'bad-footer-rev', path: PACK },
      { file: 'plain-note.txt', path: PACK },
    ],
    ignore: ['f6-*', 'f8-*'],
  },
  { framework: { describe, it } },
);

describe('subversion-fsfs-pack: damaged input', () => {
  it('no exception on cut and flipped copies at a packed shard path, and the footer must still frame', () => {
    const bytes = new Uint8Array(fs.readFileSync(new URL('shard0.pack', fixtures)));
    let recognised = 0;
    for (let i = 0; i < 2000; i++) {
      const copy = bytes.slice(0, i % 3 === 0 ? (i * 7919) % (bytes.length + 1) : bytes.length);
      for (let k = 0; k < 1 + (i % 4); k++)
        if (copy.length > 0) copy[(i * 104729 + k * 31) % copy.length] = (i * 37 + k) & 0xff;
      const probe = { ...wholeFileProbe(copy, 'pack'), path: PACK, logicalPath: PACK };
      const d = subversionFsfsPackDetector.detect(probe, { limits: DEFAULT_LIMITS }) as Detection | undefined;
      if (d) recognised++;
    }
    expect(recognised).toBeGreaterThan(100);
  });
});
