import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import fs from 'node:fs';
import { damagedPicturesDetector, lineEndDamagedPngSignature } from './damaged-pictures.js';
import { wholeFileProbe } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Damaged files from Exiv2 0.27.6's regression suite (test/data), and near misses made here:
// fixtures/damaged-pictures/generate.sh.
const VALID: Array<[file: string, format: string, code: string]> = [
  ['exiv2-bug841.png', 'png', 'DAMAGED_PNG'],
  ['issue_428_poc4.png', 'png', 'DAMAGED_PNG'],
  ['3-stringformat-outofbound-read', 'jpeg', 'DAMAGED_JPEG'],
  ['issue_2027_poc.jpg', 'jpeg', 'DAMAGED_JPEG'],
  ['issue_839_poc.rw2', 'rw2', 'DAMAGED_TIFF'],
  ['issue_1887_poc.crw', 'canon-crw', 'DAMAGED_CRW'],
  ['issue_857_poc.raf', 'raf', 'DAMAGED_RAF'],
  ['issue_851_poc.xmp', 'xml', 'DAMAGED_XMP'],
  // PNGs through a text-mode transfer: PngSuite's two, and git's logo through dos2unix's three converters.
  ['xcrn0g04.png', 'png', 'DAMAGED_PNG_LINE_ENDINGS'],
  ['xlfn0g04.png', 'png', 'DAMAGED_PNG_LINE_ENDINGS'],
  ['unix2dos.png', 'png', 'DAMAGED_PNG_LINE_ENDINGS'],
  ['dos2unix.png', 'png', 'DAMAGED_PNG_LINE_ENDINGS'],
  ['unix2mac.png', 'png', 'DAMAGED_PNG_LINE_ENDINGS'],
];

testDetector(
  damagedPicturesDetector,
  {
    fixtures: new URL('../../fixtures/damaged-pictures/', import.meta.url),
    valid: [
      ...VALID.map(([file, format, code]) => ({
        file,
        format,
        status: 'analysable' as const,
        reasons: [code],
        confidence: { min: 0.66, max: 0.66 },
      })),
      // An 8-byte signature before random bytes: damaged or a copied header, opaque, never ciphertext.
      ...['random-after-signature.png', 'fujifilm-random.raf', 'broken.png', 'converted-signature-random.png'].map(
        (file) => ({
          file,
          format: 'damaged-file',
          status: 'opaque' as const,
          reasons: ['DAMAGED_SIGNATURE_ONLY'],
        }),
      ),
    ],
    invalid: [
      { file: 'soi-then-text.jpg', name: 'ff d8 before text with no JPEG segment identifier' },
      { file: 'ifd-past-end.tif', name: 'a TIFF header whose first IFD lies past the end of the file' },
    ],
  },
  { framework: { describe, it } },
);

describe('damaged pictures', () => {
  const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };

  it('calls none of 6,000 seeded random buffers behind each signature a picture', () => {
    const signatures = [
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0d, 0x0a, 0x1a, 0x0d, 0x0a],
      [0x89, 0x50, 0x4e, 0x47, 0x0a, 0x1a, 0x0a],
      [0xff, 0xd8],
      [0x49, 0x49, 0x55, 0x00],
      [0x4d, 0x4d, 0x00, 0x2a],
      [...Buffer.from('FUJIFILM')],
      [...Buffer.from('<?xpacket begin=')],
    ];
    let seed = 27;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    let hits = 0;
    for (let n = 0; n < 6000; n++) {
      const b = new Uint8Array(1024 + (n % 4) * 512);
      for (let i = 0; i < b.length; i++) b[i] = next();
      b.set(signatures[n % signatures.length]!, 0);
      const d = damagedPicturesDetector.detect(wholeFileProbe(b, 'x.bin'), ctx) as { status: string } | undefined;
      // The 8- and 16-byte signatures are damaged files (opaque); nothing random is a picture.
      if (d && d.status !== 'opaque') hits++;
    }
    expect(hits).toBe(0);
  });

  it('through the whole engine: analysable pictures with their format, not opaque binary', async () => {
    const items = await scanFixtures('damaged-pictures');
    for (const [file, format, code] of VALID) {
      const item = items.get(file);
      expect(item?.format?.id, file).toBe(format);
      expect(item?.classification.status, file).toBe('analysable');
      expect(item?.classification.reasons[0]?.code, file).toBe(code);
    }
    // Random bytes behind a long signature: a damaged file, opaque, where the statistics said random (encrypted).
    for (const file of [
      'random-after-signature.png',
      'fujifilm-random.raf',
      'broken.png',
      'converted-signature-random.png',
    ]) {
      expect(items.get(file)?.format?.id, file).toBe('damaged-file');
      expect(items.get(file)?.classification.status, file).toBe('opaque');
    }
    // The near misses with short signatures stay with the other fallbacks.
    for (const file of ['soi-then-text.jpg', 'ifd-past-end.tif'])
      expect(items.get(file)?.format?.detector, file).not.toBe('damaged-pictures');
  });
});

describe('line-end damaged PNG signatures', () => {
  const sig = (...b: number[]) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, ...b, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

  it('reads each conversion and refuses the intact signature and bytes that are not line ends', () => {
    expect(lineEndDamagedPngSignature(sig(0x0d, 0x0d, 0x0a, 0x1a, 0x0d, 0x0a))).toBe(10);
    expect(lineEndDamagedPngSignature(sig(0x0a, 0x1a, 0x0a))).toBe(7);
    expect(lineEndDamagedPngSignature(sig(0x0d, 0x1a, 0x0d))).toBe(7);
    expect(lineEndDamagedPngSignature(sig(0x0d, 0x0a, 0x1a, 0x0a))).toBeUndefined();
    expect(lineEndDamagedPngSignature(sig(0x1a, 0x0a))).toBeUndefined();
    expect(lineEndDamagedPngSignature(sig(0x0d, 0x0a, 0x1a, 0x20))).toBeUndefined();
    expect(lineEndDamagedPngSignature(sig(0x0d, 0x0a, 0x0d, 0x0a, 0x1a, 0x0a))).toBeUndefined();
  });

  it('survives 3,000 seeded mutations of a converted PNG without throwing', () => {
    const base = fs.readFileSync(new URL('../../fixtures/damaged-pictures/xcrn0g04.png', import.meta.url));
    const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };
    let seed = 39;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    for (let n = 0; n < 3000; n++) {
      const b = new Uint8Array(base.subarray(0, 8 + (next() % (base.length - 8))));
      for (let k = 0; k < 1 + (n % 4); k++) b[4 + (next() % 12)] = next() & 0xff;
      expect(() => damagedPicturesDetector.detect(wholeFileProbe(b, 'x.png'), ctx)).not.toThrow();
    }
  });
});
