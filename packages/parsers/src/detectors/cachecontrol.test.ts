import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { testDetector } from '@evtriage/core/testing';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { cacheControlDetector } from './cachecontrol.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const dir = new URL('../../fixtures/cachecontrol/', import.meta.url);

// Written by the CacheControl serializer pip vendors; a look-alike by hand (generate.sh).
testDetector(
  cacheControlDetector,
  {
    fixtures: dir,
    valid: [
      {
        file: 'pypi-six.json-entry',
        format: 'cachecontrol-entry',
        status: 'analysable',
        reasons: ['CACHECONTROL_ENTRY'],
      },
      { file: 'pypi-six-header', format: 'cachecontrol-entry', status: 'analysable', reasons: ['CACHECONTROL_ENTRY'] },
    ],
    invalid: [{ file: 'not-an-entry.txt' }],
  },
  { framework: { describe, it } },
);

describe('cachecontrol entries', () => {
  const ctx = { limits: DEFAULT_LIMITS };
  const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
  const detect = (bytes: Uint8Array) =>
    cacheControlDetector.detect(wholeFileProbe(bytes), ctx) as Detection | undefined;

  it('says when the body is kept in a separate file', () => {
    expect(detect(fixture('pypi-six-header'))?.reasons[0]!.figures).toEqual({ separateBody: true });
    expect(detect(fixture('pypi-six.json-entry'))?.reasons[0]!.figures).toEqual({ separateBody: false });
  });

  it('needs the MessagePack to decode: a damaged map is not claimed', () => {
    const damaged = fixture('pypi-six.json-entry');
    damaged[20] = 0xc1; // never used in MessagePack
    expect(detect(damaged)).toBeUndefined();
  });

  fuzzFlipCutGrow(
    cacheControlDetector,
    ['pypi-six-header', 'pypi-six.json-entry'].map((name) => [name, fixture(name)] as const),
    50,
    { wholeHalf: true, ctx },
  );
});
