import fs from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { gitLooseObjectsDetector } from './git-loose-objects.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

// Shares the git-data fixtures: loose objects git 2.39 wrote, one holding a git-crypt blob (fixtures/git-data/generate.sh).
const fixtures = new URL('../../fixtures/git-data/', import.meta.url);
const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));
const detect = (bytes: Uint8Array) =>
  gitLooseObjectsDetector.detect(wholeFileProbe(bytes), { limits: DEFAULT_LIMITS }) as Detection | undefined;

testDetector(
  gitLooseObjectsDetector,
  {
    fixtures,
    valid: [
      ...['loose-blob', 'loose-tree', 'loose-commit', 'loose-tag'].map((file) => ({
        file,
        format: 'git-object',
        status: 'analysable' as const,
        reasons: ['GIT_LOOSE_OBJECT'],
      })),
      {
        file: 'loose-git-crypt-blob',
        format: 'git-object-git-crypt',
        status: 'encrypted',
        reasons: ['GIT_OBJECT_GIT_CRYPT'],
        encryption: { scheme: 'git-crypt-aes256-ctr' },
      },
    ],
    invalid: [{ file: 'loose-object-note.txt' }, { file: 'generate.sh' }],
    ignore: [
      '*.pack',
      '*.idx',
      '*.rev',
      '*.bitmap',
      '*.mtimes',
      '*.bundle',
      'commit-graph',
      'multi-pack-index',
      'index-*',
      'not-*',
    ],
  },
  { framework: { describe, it } },
);

describe('git-loose-objects: the header and the size, not just zlib', () => {
  it('takes a zlib stream for a loose object only when it inflates to a header and exactly the stated size', () => {
    const object = (text: string) => new Uint8Array(zlib.deflateSync(Buffer.from(text, 'latin1'), { level: 1 }));
    expect(detect(object('blob 5\0hello'))?.format.id).toBe('git-object');
    expect(detect(object('blob 6\0hello'))).toBeUndefined(); // the size disagrees
    expect(detect(object('blob 5\0hello!'))).toBeUndefined();
    expect(detect(object('blob 05\0hello'))).toBeUndefined(); // git writes no leading zeros
    expect(detect(object('just some compressed text'))).toBeUndefined();
    // A stated size far beyond what the stream holds is refused without inflating that much.
    expect(detect(object('blob 99999999999\0tiny'))).toBeUndefined();
  });
});

describe('git-loose-objects: damaged input', () => {
  const seeds = ['loose-blob', 'loose-tree', 'loose-commit', 'loose-tag', 'loose-git-crypt-blob'].map(
    (f) => [f, read(f)] as const,
  );
  fuzzFlipCutGrow(gitLooseObjectsDetector, seeds, 100, { wholeHalf: true });
});
