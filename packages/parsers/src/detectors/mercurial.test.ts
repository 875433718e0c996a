import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { mercurialDetector } from './mercurial.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/mercurial/', import.meta.url);
const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));

// Files Mercurial 6.3 made; look-alikes with the same first bytes (fixtures/mercurial/generate.sh).
testDetector(
  mercurialDetector,
  {
    fixtures,
    valid: [
      { file: '00changelog.i', format: 'mercurial-revlog', status: 'analysable', reasons: ['HG_REVLOG_INDEX'] },
      { file: '00manifest.i', format: 'mercurial-revlog', status: 'analysable', reasons: ['HG_REVLOG_INDEX'] },
      { file: 'numbers.txt.i', format: 'mercurial-revlog', status: 'analysable', reasons: ['HG_REVLOG_INDEX'] },
      { file: 'big.bin.i', format: 'mercurial-revlog', status: 'analysable', reasons: ['HG_REVLOG_INDEX'] },
      {
        file: 'dummy-00changelog.i',
        format: 'mercurial-revlog',
        status: 'analysable',
        reasons: ['HG_DUMMY_CHANGELOG'],
      },
      // Written by Mercurial before 6 (version word 2).
      {
        file: 'dummy-00changelog-v2.i',
        format: 'mercurial-revlog',
        status: 'analysable',
        reasons: ['HG_DUMMY_CHANGELOG'],
      },
      ...['none-v1', 'gzip-v1', 'bzip2-v1', 'bzip2-v2', 'gzip-v2', 'zstd-v2', 'none-v2'].map((t) => ({
        file: `all-${t}.hg`,
        format: 'mercurial-bundle',
        status: 'analysable' as const,
        reasons: ['HG_BUNDLE'],
      })),
      { file: 'stream.hg', format: 'mercurial-bundle', status: 'analysable', reasons: ['HG_BUNDLE'] },
    ],
    invalid: [{ file: 'not-a-revlog.i' }, { file: 'not-a-bundle.hg' }, { file: 'generate.sh' }],
    // Read by the store detector at repository paths (below).
    ignore: ['dirstate', 'bad-state.dirstate', 'big.bin.d-head'],
  },
  { framework: { describe, it } },
);

describe('mercurial: revlogs checked entry by entry', () => {
  const detect = (bytes: Uint8Array) =>
    mercurialDetector.detect(wholeFileProbe(bytes, 'x.i'), { limits: DEFAULT_LIMITS }) as Detection | undefined;

  it('reads every entry of an inline revlog to its end, and refuses one whose data is cut or whose parents point ahead', () => {
    const revlog = read('numbers.txt.i');
    expect(detect(revlog)?.reasons[0]?.figures).toMatchObject({ inline: true, entriesRead: 2 });
    expect(detect(revlog.subarray(0, revlog.length - 1))).toBeUndefined();
    const parentAhead = revlog.slice();
    parentAhead.set([0, 0, 0, 5], 24); // revision 0's first parent: revision 5
    expect(detect(parentAhead)).toBeUndefined();
  });

  it('reads a revlog whose data lives in a .d file as 64-byte entries only', () => {
    expect(detect(read('big.bin.i'))?.reasons[0]?.figures).toMatchObject({ inline: false, revisions: 1 });
  });
});

describe('mercurial: damaged input', () => {
  const seeds = fs
    .readdirSync(fixtures)
    .filter((f) => !f.endsWith('.sh'))
    .map((f) => [f, read(f)] as const);
  fuzzFlipCutGrow(mercurialDetector, seeds, 300, { wholeHalf: true });
});
