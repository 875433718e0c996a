import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { judgePackedStart } from './sevenzip-cut-short.js';
import { sevenzipEncryptionParser } from './sevenzip-encryption.js';

// 7zz-made archives cut to their first half (end header lost) and first pieces of byte-split sets (generate.sh).
const encrypted = ['aes-lzma2-half.7z', 'aes-lzma-half.7z', 'aes-headers-half.7z', 'split-aes.7z.001'];
const readable: Array<[string, string]> = [
  ['lzma2-half.7z', 'lzma2'],
  ['lzma-half.7z', 'lzma-or-ppmd'],
  ['ppmd-half.7z', 'lzma-or-ppmd'],
  ['bzip2-half.7z', 'bzip2'],
  ['deflate-half.7z', 'deflate'],
  ['copy-half.7z', 'copy'],
  ['split-plain.7z.001', 'lzma2'],
];

testParser(
  sevenzipEncryptionParser,
  {
    fixtures: new URL('../../fixtures/sevenzip-encryption/cut-short/', import.meta.url),
    valid: [
      ...encrypted.map((file) => ({
        file,
        name: `${file}: the packed streams are uniform with no compressor's mark`,
        status: 'encrypted' as const,
        encryption: { scheme: '7z-aes-256', keyHint: { kind: 'password' as const } },
        details: { cutShort: true, packedStart: 'uniform' },
        diagnostics: ['SEVENZIP_HEADER_OUTSIDE'],
      })),
      ...readable.map(([file, coder]) => ({
        file,
        name: `${file}: the packed streams start with ${coder}`,
        status: 'analysable' as const,
        details: { cutShort: true, packedStart: coder },
        diagnostics: ['SEVENZIP_HEADER_OUTSIDE', 'SEVENZIP_CUT_SHORT_PACKED'],
      })),
    ],
    invalid: [
      {
        file: 'aes-lzma2-first-600.7z',
        name: 'too few packed bytes for statistics: no verdict',
        diagnostics: ['SEVENZIP_HEADER_OUTSIDE', 'SEVENZIP_CUT_SHORT_PACKED'],
      },
    ],
    ignore: ['generate.sh'],
  },
  { framework: { describe, it } },
);

const fixture = (name: string) =>
  new Uint8Array(fs.readFileSync(new URL(`../../fixtures/sevenzip-encryption/cut-short/${name}`, import.meta.url)));

describe('7z packed streams judged from byte 32', () => {
  it('gives the figures for uniform bytes', () => {
    const j = judgePackedStart(fixture('aes-lzma2-half.7z').subarray(32));
    expect(j.coder).toBe('uniform');
    if (j.coder !== 'uniform') return;
    expect(j.chiSquareP).toBeGreaterThan(0.001);
    expect(j.bytes).toBe(fixture('aes-lzma2-half.7z').length - 32);
  });

  it('too few bytes for statistics are no verdict', () => {
    expect(judgePackedStart(fixture('aes-lzma2-half.7z').subarray(32, 32 + 600)).coder).toBe('too-short');
    expect(judgePackedStart(new Uint8Array(3)).coder).toBe('too-short');
  });

  it('seeded random streams are uniform unless they start with a mark (0 first: 1 in 256)', () => {
    let uniform = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const b = seededBytes(seed * 7919, 4096);
      const j = judgePackedStart(b);
      if (b[0] === 0) expect(j.coder).toBe('lzma-or-ppmd');
      else if (j.coder === 'uniform') uniform++;
    }
    expect(uniform).toBeGreaterThanOrEqual(190);
  });

  it('fixed-seed mutation fuzz: flipped and cut packed bytes never throw and give a known verdict', () => {
    const seeds = [...encrypted, ...readable.map(([f]) => f)].map((f) => fixture(f).subarray(32));
    const known = new Set(['lzma-or-ppmd', 'lzma2', 'bzip2', 'zstd', 'deflate', 'copy', 'uniform', 'too-short']);
    const rnd = seededBytes(4242, 3 * 400 * 8);
    for (let i = 0; i < 400; i++) {
      const seed = seeds[i % seeds.length]!;
      const cut = ((rnd[i * 3]! << 8) | rnd[i * 3 + 1]!) % (seed.length + 1);
      const b = Uint8Array.from(seed.subarray(0, cut));
      for (let k = 0; k < 6 && b.length > 0; k++)
        b[((rnd[i * 8 + k]! << 8) | rnd[i * 8 + k + 1]!) % b.length] = rnd[i * 8 + k + 2]!;
      expect(known.has(judgePackedStart(b).coder)).toBe(true);
    }
  });
});
