import fs from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { mercurialStoreDetector } from './mercurial.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Shares the fixtures of the mercurial detector (fixtures/mercurial/generate.sh).
const fixtures = new URL('../../fixtures/mercurial/', import.meta.url);
const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));
/** The store detector at a path inside a repository (it reads only files under .hg/). */
const atPath = (bytes: Uint8Array, logicalPath: string, complete = true) => {
  const name = logicalPath.slice(logicalPath.lastIndexOf('/') + 1);
  const probe = { ...wholeFileProbe(bytes, name), path: logicalPath, logicalPath, complete };
  return mercurialStoreDetector.detect(probe, { limits: DEFAULT_LIMITS }) as Detection | undefined;
};

// The files Mercurial keeps without magic, at the paths they have in a repository.
testDetector(
  mercurialStoreDetector,
  {
    fixtures,
    valid: [
      {
        file: 'dirstate',
        path: 'home/u/proj/.hg/dirstate',
        format: 'mercurial-dirstate',
        status: 'analysable',
        reasons: ['HG_DIRSTATE'],
      },
      {
        file: 'big.bin.d-head',
        path: 'home/u/proj/.hg/store/data/big.bin.d',
        format: 'mercurial-revlog-data',
        status: 'analysable',
        reasons: ['HG_REVLOG_DATA'],
      },
    ],
    invalid: [
      { file: 'bad-state.dirstate', path: 'home/u/proj/.hg/dirstate' },
      { file: 'dirstate', path: 'home/u/proj/dirstate' },
      { file: 'not-a-bundle.hg', path: 'home/u/proj/.hg/store/data/x.d' },
    ],
    ignore: ['*.i', '*.hg'],
  },
  { framework: { describe, it } },
);

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

describe('mercurial-store: damaged input', () => {
  const seeds = fs
    .readdirSync(fixtures)
    .filter((f) => !f.endsWith('.sh'))
    .map((f) => [f, read(f)] as const);
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
