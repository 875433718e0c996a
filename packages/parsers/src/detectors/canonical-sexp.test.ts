import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import { canonicalSexpDetector, parseCanonical } from './canonical-sexp.js';

const dir = new URL('../../fixtures/canonical-sexp/', import.meta.url);

// Signatures and a public key from gpg-agent (PKSIGN, READKEY), an enc-val gpg-agent decrypts, Sequoia's
// RSA signature (fixtures/canonical-sexp/generate.sh).
testDetector(
  canonicalSexpDetector,
  {
    fixtures: dir,
    valid: [
      { file: 'rsa-sig-val.sexp', format: 'canonical-sexp', status: 'analysable', reasons: ['SEXP_CANONICAL'] },
      { file: 'eddsa-sig-val.sexp', format: 'canonical-sexp', status: 'analysable', reasons: ['SEXP_CANONICAL'] },
      { file: 'ed25519-public-key.sexp', format: 'canonical-sexp', status: 'analysable', reasons: ['SEXP_CANONICAL'] },
      {
        file: 'sequoia-rsa-signature.sexp',
        format: 'canonical-sexp',
        status: 'analysable',
        reasons: ['SEXP_CANONICAL'],
      },
      { file: 'rsa-enc-val.sexp', format: 'sexp-enc-val', status: 'encrypted', reasons: ['SEXP_ENC_VAL'] },
    ],
    invalid: [{ file: 'near-miss.bin' }],
  },
  { framework: { describe, it } },
);

describe('parseCanonical', () => {
  const parse = (s: string) => parseCanonical(Buffer.from(s, 'latin1'));
  it('names the list and its algorithm, and counts strings and depth', () => {
    expect(parse('(7:sig-val(3:rsa(1:s3:abc)))')).toEqual({ name: 'sig-val', algorithm: 'rsa', strings: 4, depth: 3 });
  });
  it('takes display hints and one trailing line feed', () => {
    expect(parse('(4:data([10:text/plain]5:hello))\n')).toMatchObject({ name: 'data', strings: 2 });
  });
  it('refuses what is not one whole canonical list', () => {
    for (const s of [
      '(7:sig-val(3:rsa(1:s3:ab)))',
      '(7:sig-val)(1:x)',
      '(7:sig-val(3:rsa()))',
      '(07:sig-val)',
      '(7:sig-val(3:rsa(1:s3:abc)))xy',
      '(7:sig-val (3:rsa))',
      '(7:SIG-VAL(3:rsa))',
    ])
      expect(parse(s), s).toBeUndefined();
  });
  it('gives the agent-key lists to gnupg-agent-key', async () => {
    const key = Buffer.from('(11:private-key(3:rsa(1:n3:abc)(1:e1:\x03)))', 'latin1');
    expect(await canonicalSexpDetector.detect(wholeFileProbe(key), { limits: {} as never })).toBeUndefined();
  });
});

describe('fuzz: canonicalSexpDetector', () => {
  fuzzFlipCutGrow(
    canonicalSexpDetector,
    ['rsa-sig-val.sexp', 'rsa-enc-val.sexp', 'ed25519-public-key.sexp'].map(
      (name) => [name, fs.readFileSync(new URL(name, dir))] as const,
    ),
    20,
  );
});
