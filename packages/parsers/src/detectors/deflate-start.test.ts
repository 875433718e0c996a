import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deflateStartError, zlibStartError } from './deflate-start.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

/** What zlib says of the bytes as raw DEFLATE: its error message, or 'ok'. */
function zlibSays(bytes: Uint8Array, kind: 'raw' | 'zlib' = 'raw'): string {
  try {
    (kind === 'raw' ? zlib.inflateRawSync : zlib.inflateSync)(bytes);
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('deflateStartError: the rejections zlib would make, without zlib', () => {
  it('rejects only what zlib rejects, with zlib’s message (20,000 seeded random buffers of 8 B-4 KiB)', () => {
    let rejected = 0;
    const byMessage = new Map<string, number>();
    for (let seed = 1; seed <= 20_000; seed++) {
      const bytes = seededBytes(seed * 2654435761, [8, 64, 512, 4096][seed % 4]!);
      const message = deflateStartError(bytes);
      if (message === undefined) continue;
      rejected++;
      byMessage.set(message, (byMessage.get(message) ?? 0) + 1);
      expect(zlibSays(bytes), `seed ${seed}`).toBe(message);
    }
    // Most chance starts are decided here: block type, stored lengths, code sets, fixed- and dynamic-code matches.
    expect(rejected).toBeGreaterThan(18_000);
    for (const m of [
      'invalid block type',
      'invalid stored block lengths',
      'invalid code lengths set',
      'too many length or distance symbols',
      'invalid distance too far back',
      'invalid distance code',
      'invalid literal/length code',
    ])
      expect(byMessage.get(m), m).toBeGreaterThan(0);
  });

  it('never rejects a stream zlib made (stored, fixed, dynamic, Huffman-only, RLE; raw and zlib-wrapped)', () => {
    const strategies = [
      { level: 0 },
      { level: 1 },
      { level: 9 },
      { strategy: zlib.constants.Z_FIXED },
      { strategy: zlib.constants.Z_HUFFMAN_ONLY },
      { strategy: zlib.constants.Z_RLE },
    ];
    for (let i = 0; i < 300; i++) {
      const data =
        i % 3 === 0 ? Buffer.from(seededBytes(i + 1, i * 7)) : Buffer.from(`record ${i};`.repeat((i % 50) + 1));
      for (const options of strategies) {
        expect(deflateStartError(zlib.deflateRawSync(data, options))).toBeUndefined();
        expect(zlibStartError(zlib.deflateSync(data, options))).toBeUndefined();
      }
    }
  });

  it('leaves to zlib what it cannot decide: too few bytes, a zlib header with a preset dictionary', () => {
    expect(deflateStartError(new Uint8Array([0x05]))).toBeUndefined(); // a dynamic block header cut short
    expect(zlibStartError(new Uint8Array([0x78, 0xbb, 0, 0, 0, 1, 0xff]))).toBeUndefined(); // FDICT set
    // A wrapped stream is read after its two-byte header.
    expect(zlibStartError(new Uint8Array([0x78, 0x9c, 0xff, 0xff]))).toBe(
      zlibSays(new Uint8Array([0x78, 0x9c, 0xff, 0xff]), 'zlib'),
    );
  });
});
