/**
 * The LZMA2 size walk that guards the 7z header decoder: on streams written
 * by liblzma (through @napi-rs/lzma) it gives the decoded size exactly, so a
 * small encoded header that would expand past the limit is refused before
 * anything is decoded.
 */
import fs from 'node:fs';
import { lzma2 } from '@napi-rs/lzma';
import { describe, expect, it } from 'vitest';
import { lzma2UnpackedSize } from './sevenzip-encryption.js';

describe('lzma2UnpackedSize', () => {
  it('adds up the chunk headers of real LZMA2 streams', () => {
    const text = Buffer.from('7z header property ids and sizes, '.repeat(3000));
    const random = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 2654435761) >>> 24));
    for (const plain of [text, random, Buffer.concat([text, random])]) {
      expect(lzma2UnpackedSize(Buffer.from(lzma2.compressSync(plain)))).toBe(plain.length);
    }
  });

  it('sees 24 MiB of zeros behind a few KiB of chunks (xz --format=raw, fixtures/sevenzip-encryption/make-lzma2-zeros.sh)', () => {
    const packed = fs.readFileSync(new URL('../../fixtures/sevenzip-encryption/zeros-24MiB.lzma2', import.meta.url));
    expect(packed.length).toBeLessThan(8 * 1024);
    expect(lzma2UnpackedSize(packed)).toBe(24 * 1024 * 1024);
  });

  it('rejects a control byte LZMA2 does not define', () => {
    expect(() => lzma2UnpackedSize(Buffer.from([0x05, 0, 0]))).toThrow(/invalid LZMA2 control byte/);
  });
});
