import fs from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { mercurialDetector, mercurialStoreDetector } from './mercurial.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/mercurial/', import.meta.url);
const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));
/** The store detector at a path inside a repository (it reads only files under .hg/). */
const atPath = (bytes: Uint8Array, logicalPath: string, complete = true) => {
  const name = logicalPath.slice(logicalPath.lastIndexOf('/') + 1);
  const probe = { ...wholeFileProbe(bytes, name), path: logicalPath, logicalPath, complete };
  return mercurialStoreDetector.detect(probe, { limits: DEFAULT_LIMITS }) as Detection | undefined;
};

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

describe('mercurial-store: files known by where they lie, then their structure', () => {
  it('names the dirstate by its records, and not a file of another name or with a bad state letter', () => {
    expect(atPath(read('dirstate'), 'home/u/proj/.hg/dirstate')?.format.id).toBe('mercurial-dirstate');
    expect(atPath(read('dirstate'), 'home/u/proj/.hg/undo.backup.dirstate')?.format.id).toBe('mercurial-dirstate');
    expect(atPath(read('bad-state.dirstate'), 'home/u/proj/.hg/dirstate')).toBeUndefined();
    expect(atPath(read('dirstate'), 'home/u/proj/dirstate')).toBeUndefined();
  });

  it('names a revlog data file by its first chunk marker (stored or zlib), not random bytes beside it', () => {
    const stored = atPath(read('big.bin.d-head'), 'p/.hg/store/data/big.bin.d', false);
    expect(stored?.format.id).toBe('mercurial-revlog-data');
    expect(stored?.basis).toBe('path');
    const compressed = new Uint8Array(zlib.deflateSync(Buffer.from('line\n'.repeat(500))));
    expect(atPath(compressed, 'p/.hg/store/data/notes.txt.d')?.basis).toBe('structure');
    expect(atPath(read('not-a-bundle.hg'), 'p/.hg/store/data/x.d')).toBeUndefined();
    expect(atPath(read('big.bin.d-head'), 'p/data/big.bin.d')).toBeUndefined();
  });

  it("names hg's caches and journals opaque by location", () => {
    const d = atPath(new Uint8Array(64).fill(7), 'p/.hg/cache/hgtagsfnodes1');
    expect([d?.format.id, d?.status]).toEqual(['mercurial-cache', 'opaque']);
    expect(atPath(new Uint8Array(64).fill(7), 'p/.hg/store/undo')?.format.id).toBe('mercurial-cache');
  });
});

describe('mercurial: damaged input', () => {
  const seeds = fs
    .readdirSync(fixtures)
    .filter((f) => !f.endsWith('.sh'))
    .map((f) => [f, read(f)] as const);
  fuzzFlipCutGrow(mercurialDetector, seeds, 300, { wholeHalf: true });
  it('store detector: no exception on damaged copies at repository paths', () => {
    for (const [name, bytes] of seeds)
      for (let i = 0; i < 200; i++) {
        const copy = bytes.slice(0, i % 3 === 0 ? (i * 7919) % (bytes.length + 1) : bytes.length);
        if (copy.length > 0) copy[(i * 104729) % copy.length] = (i * 31) & 0xff;
        for (const path of [`r/.hg/${name}`, `r/.hg/store/data/${name}.d`, 'r/.hg/dirstate'])
          expect(() => atPath(copy, path)).not.toThrow();
      }
  });
});
