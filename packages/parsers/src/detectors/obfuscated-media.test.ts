import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { obfuscatedMediaDetector } from './obfuscated-media.js';

const nq = 'sdcard/SystemAndroid/Data/MTUwOTQ0Mg==';

testDetector(
  obfuscatedMediaDetector,
  {
    fixtures: new URL('../../fixtures/obfuscated-media/', import.meta.url),
    valid: [
      // NQ Vault: the first 128 bytes XORed with one byte.
      {
        file: `${nq}/.image/1701862800123.bin`,
        format: 'jpeg-obfuscated',
        status: 'opaque',
        reasons: ['JPEG_BODY_WITHOUT_HEADER'],
      },
      {
        file: `${nq}/.image/1701863100012.bin`,
        format: 'jpeg-obfuscated',
        status: 'opaque',
        reasons: ['JPEG_BODY_WITHOUT_HEADER'],
      },
      {
        file: `${nq}/.video/1701862900456.bin`,
        format: 'mp4-obfuscated',
        status: 'opaque',
        reasons: ['MP4_BOXES_WITHOUT_HEADER'],
      },
      {
        file: `${nq}/.image/1701863000789.bin`,
        format: 'png-obfuscated',
        status: 'opaque',
        reasons: ['PNG_BODY_WITHOUT_HEADER'],
      },
      // Header cut off: a carved picture missing its first KiB, a video missing 16 bytes.
      {
        file: 'carved/f0001024.bin',
        format: 'jpeg-obfuscated',
        status: 'opaque',
        reasons: ['JPEG_BODY_WITHOUT_HEADER'],
      },
      {
        file: 'carved/f0002048.bin',
        format: 'mp4-obfuscated',
        status: 'opaque',
        reasons: ['MP4_BOXES_WITHOUT_HEADER'],
      },
    ],
    // Encrypted whole (as LockMyPix does), random bytes that end like a JPEG or a PNG, and a JNG, whose
    // PNG-family signature is intact in front of the JPEG stream it carries.
    invalid: [
      { file: 'intact/plasma.jng' },
      { file: 'carved/f0004711.aes.bin' },
      { file: 'carved/random-ffd9.bin' },
      { file: 'carved/random-iend.bin' },
    ],
  },
  { framework: { describe, it } },
);

describe('obfuscated-media on look-alikes', () => {
  const probeOf = (bytes: Uint8Array) => ({
    path: 'x.bin',
    logicalPath: 'x.bin',
    name: 'x.bin',
    extension: 'bin',
    size: bytes.length,
    head: bytes,
    tail: new Uint8Array(0),
    samples: [],
    complete: true,
  });
  const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

  it('calls none of 2,000 seeded random buffers ending in FFD9 or IEND obfuscated media', () => {
    let seed = 22;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    let hits = 0;
    for (let n = 0; n < 2000; n++) {
      const b = new Uint8Array(4096 + (n % 8) * 1024);
      for (let i = 0; i < b.length; i++) b[i] = next();
      if (n % 2 === 0) b.set([0xff, 0xd9], b.length - 2);
      else b.set([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82], b.length - 12);
      if (obfuscatedMediaDetector.detect(probeOf(b), ctx)) hits++;
    }
    expect(hits).toBe(0);
  });

  it('reads past garbled first bytes that look like the start of a chunk type', () => {
    const url = new URL(`../../fixtures/obfuscated-media/${nq}/.image/1701863000789.bin`, import.meta.url);
    const png = new Uint8Array(fs.readFileSync(url));
    png.fill(0x49, 0, 4); // "IIII": a chunk-type letter before any chunk could start
    expect(obfuscatedMediaDetector.detect(probeOf(png), ctx)).toMatchObject({ format: { id: 'png-obfuscated' } });
  });

  it('stays linear on a head of repeated markers and box headers', () => {
    const markers = new Uint8Array(65536);
    for (let i = 0; i < markers.length; i += 4) markers.set([0xff, 0xc4, 0x00, 0x02], i);
    const boxes = new Uint8Array(65536);
    for (let i = 0; i < boxes.length; i += 8) boxes.set([0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65], i);
    const t = performance.now();
    expect(obfuscatedMediaDetector.detect(probeOf(markers), ctx)).toBeUndefined();
    expect(obfuscatedMediaDetector.detect(probeOf(boxes), ctx)).toBeUndefined();
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
