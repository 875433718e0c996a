import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { erlangTermDetector, walkTerm } from './erlang-term.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/erlang-term/', import.meta.url);
const WHOLE = ['state.etf', 'compressed.etf', 'utf8-atoms.etf', 'ext_terms.bin'];

// Written by Erlang/OTP 25's term_to_binary, and OTP's own test file (fixtures/erlang-term/generate.sh).
testDetector(
  erlangTermDetector,
  {
    fixtures,
    valid: WHOLE.map((file) => ({
      file,
      format: 'erlang-term',
      status: 'analysable' as const,
      reasons: ['ERLANG_TERM_WHOLE'],
    })),
    invalid: [
      { file: 'cut.etf', name: 'a term cut in the middle: a whole file must parse to its last byte' },
      { file: 'binary-only.etf', name: 'one binary filling the file: its bytes are left to the statistics' },
      { file: 'tuple-random.bin', name: '131 and a tuple tag before random bytes' },
    ],
  },
  { framework: { describe, it } },
);

describe('Erlang terms', () => {
  const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

  it('counts the terms of a map and names its atoms', () => {
    const b = fs.readFileSync(new URL('state.etf', fixtures));
    const w = walkTerm(b, 1);
    expect(w?.cut).toBe(false);
    expect(w?.end).toBe(b.length);
    expect(w?.top).toBe('map');
    expect(w?.atoms).toContain('big');
    // A cut copy runs out of bytes inside the term.
    expect(walkTerm(b.subarray(0, 100), 1)?.cut).toBe(true);
  });

  it('reads a head cut from a long file only when it holds enough structure', () => {
    const b = fs.readFileSync(new URL('compressed.etf', fixtures));
    const head = b.subarray(0, 1200);
    const probe = { ...wholeFileProbe(head, 'x.etf'), size: b.length, complete: false };
    const d = erlangTermDetector.detect(probe, ctx) as { reasons: Array<{ code: string }> } | undefined;
    expect(d?.reasons[0]?.code).toBe('ERLANG_TERM_HEAD');
  });

  it('calls none of 4,000 seeded random buffers behind 131 and a term tag a term', () => {
    let seed = 131;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    const tags = [104, 105, 108, 116, 107, 100, 110, 80];
    let hits = 0;
    for (let n = 0; n < 4000; n++) {
      const b = new Uint8Array(64 + (n % 8) * 97);
      for (let i = 0; i < b.length; i++) b[i] = next();
      b[0] = 131;
      b[1] = tags[n % tags.length]!;
      if (erlangTermDetector.detect(wholeFileProbe(b, 'x.bin'), ctx)) hits++;
    }
    expect(hits).toBe(0);
  });

  it('through the whole engine: named, analysable; the near misses are not', async () => {
    const items = await scanFixtures('erlang-term');
    for (const file of WHOLE) {
      expect(items.get(file)?.format?.id, file).toBe('erlang-term');
      expect(items.get(file)?.classification.status, file).toBe('analysable');
    }
    for (const file of ['cut.etf', 'binary-only.etf', 'tuple-random.bin'])
      expect(items.get(file)?.format?.id, file).not.toBe('erlang-term');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: erlang-term', () => {
  fuzzFlipCutGrow(
    erlangTermDetector,
    WHOLE.map((f) => ['x', fs.readFileSync(new URL(f, fixtures))] as const),
    100,
    // A term must end at the file's last byte: half the runs keep the whole file.
    { wholeHalf: true },
  );
});
