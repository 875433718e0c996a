import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { rasterHeadersDetector } from './raster-headers.js';

const im = 'made-by/imagemagick';

testDetector(
  rasterHeadersDetector,
  {
    fixtures: new URL('../../fixtures/raster-headers/', import.meta.url),
    valid: [
      { file: `${im}/plasma.pfm`, format: 'pfm', status: 'analysable', reasons: ['PFM_HEADER_SIZE'] },
      { file: `${im}/plasma-grey.pfm`, format: 'pfm', status: 'analysable', reasons: ['PFM_HEADER_SIZE'] },
      { file: `${im}/plasma.pgx`, format: 'pgx', status: 'analysable', reasons: ['PGX_HEADER_SIZE'] },
      { file: 'made-by/openjpeg/plasma_0.pgx', format: 'pgx', status: 'analysable', reasons: ['PGX_HEADER_SIZE'] },
      { file: `${im}/plasma.mtv`, format: 'mtv', status: 'analysable', reasons: ['MTV_HEADER_SIZE'] },
      { file: `${im}/plasma.viff`, format: 'viff', status: 'analysable', reasons: ['VIFF_HEADER_SIZE'] },
      { file: `${im}/plasma.vips`, format: 'vips', status: 'analysable', reasons: ['VIPS_HEADER_SIZE'] },
      { file: 'made-by/libvips/plasma.v', format: 'vips', status: 'analysable', reasons: ['VIPS_HEADER_SIZE'] },
    ],
    // A raster cut short no longer accounts for the file, and two numbers on a text line are not a header.
    invalid: [{ file: 'cut/plasma.pfm' }, { file: 'cut/plasma.viff' }, { file: 'cut/two-numbers.txt' }],
  },
  { framework: { describe, it } },
);

describe('raster-headers on look-alikes', () => {
  const probeOf = (head: Uint8Array, size = head.length) => ({
    path: 'x.bin',
    logicalPath: 'x.bin',
    name: 'x.bin',
    extension: 'bin',
    size,
    head,
    tail: new Uint8Array(0),
    samples: [],
    complete: size === head.length,
  });
  const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

  it('takes the size of the file, not of the probe, as the raster to account for', () => {
    // An MTV header of 100 × 100 pixels: 30,008 bytes in all, of which the probe holds the first 4 KiB.
    const head = new Uint8Array(4096).fill(0x80);
    head.set(new TextEncoder().encode('100 100\n'));
    expect(rasterHeadersDetector.detect(probeOf(head, 30008), ctx)).toMatchObject({ format: { id: 'mtv' } });
    expect(rasterHeadersDetector.detect(probeOf(head, 30009), ctx)).toBeUndefined();
  });

  it('calls none of 2,000 seeded random buffers behind each magic a raster picture', () => {
    let seed = 2026120701;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    const magics = [
      [0x50, 0x46, 0x0a],
      [0x50, 0x47, 0x20],
      [0xab, 0x01, 0x01, 0x03, 0x02],
      [0x08, 0xf2, 0xa6, 0xb6],
    ];
    let claimed = 0;
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: 1024 + (next() << 4) }, next);
      bytes.set(magics[i % magics.length]!);
      if (rasterHeadersDetector.detect(probeOf(bytes), ctx)) claimed++;
    }
    expect(claimed).toBe(0);
  });
});
