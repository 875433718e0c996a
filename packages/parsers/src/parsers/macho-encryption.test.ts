import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParseContext } from '@evtriage/core/contract';
import { testParser } from '@evtriage/core/testing';
import { machoEncryptionParser } from './macho-encryption.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Linked by ld64.lld 14 for iOS; the App Store's FairPlay step redone from loader.h's layout (fixtures' generate.sh).
testParser(
  machoEncryptionParser,
  {
    fixtures: new URL('../../fixtures/macho-encryption/', import.meta.url),
    valid: [
      {
        file: 'plain',
        status: 'analysable',
        details: { slices: [{ arch: 'arm64', offset: 0, cryptoff: 16384, cryptsize: 16384, cryptid: 0 }] },
      },
      {
        file: 'fairplay',
        status: 'encrypted',
        encryption: { scheme: 'fairplay-macho', scope: 'partial', keyHint: { kind: 'hardware', present: 'no' } },
        details: { slices: [{ arch: 'arm64', offset: 0, cryptoff: 16384, cryptsize: 16384, cryptid: 1 }] },
      },
      { file: 'fairplay-dylib', status: 'encrypted', encryption: { scheme: 'fairplay-macho' } },
      {
        file: 'fairplay-armv7',
        status: 'encrypted',
        details: { slices: [{ arch: 'arm', offset: 0, cryptoff: 4096, cryptsize: 4096, cryptid: 1 }] },
      },
      // A universal binary: both slices lie past the 16 KiB probe head, so only the parser's reads see them.
      {
        file: 'fairplay-fat',
        status: 'encrypted',
        details: {
          slices: [
            { arch: 'arm', offset: 16384, cryptoff: 4096, cryptsize: 4096, cryptid: 1 },
            { arch: 'arm64', offset: 32768, cryptoff: 16384, cryptsize: 16384, cryptid: 1 },
          ],
        },
      },
    ],
    invalid: [
      { file: 'bad-range', diagnostics: ['MACHO_CRYPT_RANGE_OUTSIDE'] },
      // Decrypted on a device but left with cryptid 1: the range reads as code and padding, not ciphertext.
      { file: 'dumped', diagnostics: ['MACHO_CRYPT_RANGE_CLEAR'] },
    ],
    ignore: ['generate.sh', 'fairplay.py'],
  },
  { framework: { describe, it } },
);

describe('FairPlay Mach-O through the whole engine', () => {
  it('file-type names the Mach-O; the parser finds the encrypted range', async () => {
    const items = await scanFixtures('macho-encryption');
    const at = (name: string) => items.get(name);
    expect(at('plain')?.classification.status).toBe('analysable');
    expect(at('plain')?.format?.id).toBe('macho');
    for (const name of ['fairplay', 'fairplay-dylib', 'fairplay-armv7', 'fairplay-fat']) {
      expect(at(name)?.classification.status, name).toBe('encrypted');
      expect(at(name)?.format?.id, name).toBe('macho-fairplay');
    }
    const reason = at('fairplay')?.classification.reasons.find((r) => r.code === 'MACHO_FAIRPLAY_ENCRYPTED');
    expect(reason?.message).toContain('arm64: 16384 bytes at 16384 (cryptid 1);');
    expect(at('bad-range')?.classification.status).toBe('analysable');
    expect(at('dumped')?.classification.status).toBe('analysable');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a result or a declared diagnostic, never an
// exception, and no read is asked for more than the load-command cap.
describe('fuzz: macho-encryption on damaged headers', () => {
  const seeds = ['fairplay', 'fairplay-armv7', 'fairplay-fat'].map((name) =>
    fs.readFileSync(new URL(`../../fixtures/macho-encryption/${name}`, import.meta.url)).subarray(0, 4096),
  );
  const declared = new Set(Object.keys(machoEncryptionParser.meta.diagnostics ?? {}));
  it('no exception, bounded reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(200), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(),
        async (seed, flips, cut) => {
          const bytes = Buffer.from(seed.subarray(0, cut % (seed.length + 8)));
          for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v;
          const codes: string[] = [];
          let largest = 0;
          const ctx = {
            item: { size: bytes.length },
            read: (position: number, length: number) => {
              largest = Math.max(largest, length);
              return Promise.resolve(Buffer.from(bytes.subarray(position, position + length)));
            },
            report: (d: { code: string }) => codes.push(d.code),
          } as unknown as ParseContext;
          await machoEncryptionParser.parse(ctx);
          for (const code of codes) expect(declared.has(code)).toBe(true);
          expect(largest).toBeLessThanOrEqual(4 * 1024 * 1024);
        },
      ),
      { seed: 20261206, numRuns: 2000 },
    );
  });
});
