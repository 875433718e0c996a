import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { gitDataDetector } from './git-data.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/git-data/', import.meta.url);
const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));
const detect = (bytes: Uint8Array, name = 'x') =>
  gitDataDetector.detect(wholeFileProbe(bytes, name), { limits: DEFAULT_LIMITS }) as Detection | undefined;
/** A probe of a large file of which only the first `head` bytes are in hand. */
const headOnly = (bytes: Uint8Array, head: number, size = bytes.length) =>
  gitDataDetector.detect(
    { ...wholeFileProbe(bytes.subarray(0, head)), size, complete: false },
    { limits: DEFAULT_LIMITS },
  ) as Detection | undefined;

// Git's files from a repository git 2.39 made; look-alikes with the magic numbers and nothing behind them (fixtures/git-data/generate.sh).
testDetector(
  gitDataDetector,
  {
    fixtures,
    valid: [
      { file: 'repo.pack', format: 'git-pack', status: 'analysable', reasons: ['GIT_PACK_OBJECTS'] },
      { file: 'random-blob.pack', format: 'git-pack', status: 'analysable', reasons: ['GIT_PACK_OBJECTS'] },
      { file: 'repo.idx', format: 'git-pack-index', status: 'analysable', reasons: ['GIT_PACK_INDEX'] },
      { file: 'repo.rev', format: 'git-pack-reverse-index', status: 'opaque', reasons: ['GIT_REVERSE_INDEX'] },
      { file: 'repo.bitmap', format: 'git-bitmap', status: 'opaque', reasons: ['GIT_BITMAP'] },
      { file: 'cruft.mtimes', format: 'git-pack-mtimes', status: 'opaque', reasons: ['GIT_PACK_MTIMES'] },
      { file: 'commit-graph', format: 'git-commit-graph', status: 'analysable', reasons: ['GIT_COMMIT_GRAPH'] },
      {
        file: 'multi-pack-index',
        format: 'git-multi-pack-index',
        status: 'analysable',
        reasons: ['GIT_MULTI_PACK_INDEX'],
      },
      { file: 'index-v2', format: 'git-index', status: 'analysable', reasons: ['GIT_INDEX'] },
      { file: 'index-v4', format: 'git-index', status: 'analysable', reasons: ['GIT_INDEX'] },
      { file: 'repo.bundle', format: 'git-bundle', status: 'analysable', reasons: ['GIT_BUNDLE'] },
    ],
    invalid: [
      { file: 'not-a-pack.pack' },
      { file: 'count-too-big.pack' },
      { file: 'not-an-index.idx' },
      { file: 'not-a-commit-graph' },
      { file: 'not-an-index' },
      { file: 'not-a-bundle.bundle' },
      { file: 'generate.sh' },
    ],
    // Loose objects: git-loose-objects.test.ts.
    ignore: ['loose-*'],
  },
  { framework: { describe, it } },
);

describe('git-data: structure, not magic', () => {
  it('verifies a whole pack to its trailing SHA-1, and a pack of one random-looking blob the same way', () => {
    expect(detect(read('repo.pack'))?.reasons[0]?.figures).toMatchObject({
      objects: 9,
      verifiedObjects: 9,
      checksum: 'sha1',
    });
    expect(detect(read('random-blob.pack'))?.reasons[0]?.figures).toMatchObject({ objects: 1, checksum: 'sha1' });
    // One changed byte of the trailer, or of an object, and the whole pack no longer holds.
    const pack = read('repo.pack');
    pack[pack.length - 1]! ^= 1;
    expect(detect(pack)).toBeUndefined();
  });

  it('reads a large pack as far as its head goes: whole objects, then the start of the one cut off', () => {
    const pack = read('repo.pack');
    const d = headOnly(pack, 600, 50_000_000);
    expect(d?.format.id).toBe('git-pack');
    expect(d?.reasons[0]?.message).toMatch(/and the start of object \d+ inflates cleanly/);
    // The random blob's stream cut short still inflates; random bytes after a PACK header do not.
    expect(headOnly(read('random-blob.pack'), 2048, 1_000_000)?.format.id).toBe('git-pack');
    expect(headOnly(read('not-a-pack.pack'), 2048, 1_000_000)).toBeUndefined();
  });

  it('names the pack inside a bundle and refuses a bundle whose pack is not one', () => {
    const bundle = read('repo.bundle');
    expect(detect(bundle)?.reasons[0]?.figures).toMatchObject({ references: 1, checksum: 'sha1' });
    const at = Buffer.from(bundle).indexOf('PACK') + 20;
    bundle[at]! ^= 0xff;
    expect(detect(bundle)).toBeUndefined();
  });
});

describe('git-data: damaged input', () => {
  const seeds = fs
    .readdirSync(fixtures)
    .filter((f) => !f.endsWith('.sh') && !f.startsWith('loose-'))
    .map((f) => [f, read(f)] as const);
  fuzzFlipCutGrow(gitDataDetector, seeds, 300, { wholeHalf: true });
});
