import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { xorObfuscatedDetector } from './xor-obfuscated.js';
import { wholeFileProbe } from './probe.test-helper.js';

const wechat = 'WeChat Files/wxid_h23b0000000000/FileStorage/Image/2026-11';
const hidden = (file: string, key: string, format: string, reach = 'whole') => ({
  file,
  format: 'xor-obfuscated',
  status: 'opaque' as const,
  reasons: ['XOR_KEY_FROM_MAGIC'],
  details: { key, format, reach },
});

testDetector(
  xorObfuscatedDetector,
  {
    fixtures: new URL('../../fixtures/xor-obfuscated/', import.meta.url),
    valid: [
      // WeChat for Windows: received pictures XORed with one byte.
      hidden(`${wechat}/0b6e2f1c9a4d8e7f3a2b1c0d9e8f7a6b.dat`, '5a', 'JPEG picture'),
      hidden(`${wechat}/1c7f3a2d0b5e9f8a4b3c2d1e0f9a8b7c.dat`, '9d', 'PNG picture'),
      hidden(`${wechat}/2d8a4b3e1c6f0a9b5c4d3e2f1a0b9c8d.dat`, '21', 'GIF picture'),
      hidden(`${wechat}/3e9b5c4f2d7a1b0c6d5e4f3a2b1c0d9e.dat`, 'e3', 'ISO media file (MP4, MOV, HEIC, 3GP)'),
      // Short repeating keys.
      hidden('vault/notes.zip.lock', '4b337921', 'ZIP archive'),
      hidden('vault/doc.pdf.lock', '1337c0', 'PDF document'),
      hidden('vault/msg.db.lock', '404142434445464748494a4b4c4d4e4f', 'SQLite database'),
      hidden('vault/shot.webp.lock', '01020304a5b6c7d8', 'WebP picture', 'unknown'),
      hidden('vault/shot.bmp.lock', '7788', 'BMP picture'),
      // A password-protected ZIP behind the XOR: encrypted, by the ZIP's own lock.
      {
        file: 'vault/locked.zip.lock',
        format: 'xor-obfuscated-encrypted',
        status: 'encrypted',
        reasons: ['XOR_KEY_FROM_MAGIC'],
        encryption: { scheme: 'zipcrypto' },
        details: { key: '66', format: 'ZIP archive', reach: 'whole' },
      },
      // Droppers' payloads.
      hidden('vault/payload.bin', 'deadbeef', 'ELF executable'),
      hidden('vault/update.bin', '1020304050', 'Windows executable (PE)'),
      hidden('vault/report.doc.lock', 'aa', 'OLE2 compound file (Office 97–2003, MSI, Outlook)'),
      hidden('vault/plain.7z.lock', '010203', '7-Zip archive', 'unknown'),
      // An app's on-device model hidden with a 4-byte key.
      hidden('vault/detector.tflite.lock', '3c71a205', 'TensorFlow Lite model'),
    ],
    // A real cipher, and random bytes behind a de-XORable PNG or SQLite header whose structure fails.
    invalid: [
      { file: 'vault/photo.aes' },
      { file: 'vault/random-png-head.bin' },
      { file: 'vault/random-sqlite-head.bin' },
    ],
  },
  { framework: { describe, it } },
);

describe('xor-obfuscated on look-alikes', () => {
  const probeOf = (bytes: Uint8Array) => wholeFileProbe(bytes, 'x.bin');
  const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };
  const fixture = (rel: string) => new Uint8Array(fs.readFileSync(new URL(`../../fixtures/${rel}`, import.meta.url)));
  let seed = 23;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;

  it('calls none of 20,000 seeded random buffers obfuscated', () => {
    let hits = 0;
    for (let n = 0; n < 20000; n++) {
      const b = new Uint8Array(256 + (n % 16) * 256);
      for (let i = 0; i < b.length; i++) b[i] = next();
      if (xorObfuscatedDetector.detect(probeOf(b), ctx)) hits++;
    }
    expect(hits).toBe(0);
  });

  it('calls none of 2,000 random buffers behind each XORed magic obfuscated (the structure check alone)', () => {
    // Each format's first bytes XORed with a random key of 1 to 4 bytes, random bytes after them.
    const magics = [
      [0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0],
      [0xff, 0xd8, 0xff, 0xdb],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
      [...Buffer.from('GIF89a')],
      [0, 0, 0, 0x20, ...Buffer.from('ftypisom')],
      [...Buffer.from('PK\x03\x04'), 20, 0],
      [...Buffer.from('%PDF-1.4')],
      [...Buffer.from('SQLite format 3\0')],
      [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4],
      [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
      [0x1c, 0, 0, 0, ...Buffer.from('TFL3')],
    ];
    const hits: number[] = [];
    for (const magic of magics) {
      let n = 0;
      for (let t = 0; t < 2000; t++) {
        const key = Array.from({ length: 1 + (t % 4) }, () => next() | 1);
        const b = new Uint8Array(2048);
        for (let i = 0; i < b.length; i++) b[i] = next();
        magic.forEach((v, i) => (b[i] = v ^ key[i % key.length]!));
        if (xorObfuscatedDetector.detect(probeOf(b), ctx)) n++;
      }
      hits.push(n);
    }
    expect(hits).toEqual(magics.map(() => 0));
  });

  it('leaves the plain files to their own detectors (a key of zeros is no key)', () => {
    for (const rel of ['sevenzip/plain.7z', 'ole2-encryption/word-clear.doc', 'sfx-archives/stub-with-text.elf'])
      expect(xorObfuscatedDetector.detect(probeOf(fixture(rel)), ctx)).toBeUndefined();
  });

  it('finds keys as long as the fixed bytes of each format allow, and no longer', () => {
    // The fixture de-XORed, then XORed again with keys of 1 to 16 bytes: the lengths found.
    const cases: [string, number[], number][] = [
      [`${wechat}/0b6e2f1c9a4d8e7f3a2b1c0d9e8f7a6b.dat`, [0x5a], 10], // JFIF
      [`${wechat}/1c7f3a2d0b5e9f8a4b3c2d1e0f9a8b7c.dat`, [0x9d], 14], // PNG
      [`${wechat}/3e9b5c4f2d7a1b0c6d5e4f3a2b1c0d9e.dat`, [0xe3], 4], // ftyp
      ['vault/msg.db.lock', Array.from({ length: 16 }, (_, i) => 0x40 + i), 16],
      ['vault/update.bin', [0x10, 0x20, 0x30, 0x40, 0x50], 16],
      ['vault/notes.zip.lock', [0x4b, 0x33, 0x79, 0x21], 4],
      ['vault/shot.bmp.lock', [0x77, 0x88], 10],
      ['vault/payload.bin', [0xde, 0xad, 0xbe, 0xef], 8],
    ];
    for (const [rel, key, longest] of cases) {
      const plainBytes = fixture(`xor-obfuscated/${rel}`).map((v, i) => v ^ key[i % key.length]!);
      const found: number[] = [];
      for (let len = 1; len <= 16; len++) {
        const k = Array.from({ length: len }, (_, i) => (0x11 + 37 * i) & 0xff);
        if (xorObfuscatedDetector.detect(probeOf(plainBytes.map((v, i) => v ^ k[i % len]!)), ctx)) found.push(len);
      }
      expect(found, rel).toEqual(Array.from({ length: longest }, (_, i) => i + 1));
    }
  });

  it('calls the file encrypted when the archive, PDF or Office document behind the XOR is', () => {
    const xored = (rel: string) => probeOf(fixture(rel).map((v) => v ^ 0x5a));
    const cases: [string, string | undefined][] = [
      ['sevenzip/content-encrypted.7z', '7z-aes-256'],
      ['sevenzip/header-encrypted.7z', '7z-aes-256'],
      ['sevenzip/plain.7z', undefined],
      ['pdf/user-password-aes256.pdf', 'pdf-standard'],
      ['pdf/plain.pdf', undefined],
      ['zip-encryption/aes256.zip', 'winzip-aes'],
      ['zip-encryption/mixed.zip', 'zipcrypto'],
      ['zip-encryption/plain.zip', undefined],
      ['ole2-encryption/agile-encrypted.docx', 'ecma-376'],
      ['ole2-encryption/word-clear.doc', undefined],
    ];
    for (const [rel, scheme] of cases) {
      const d = xorObfuscatedDetector.detect(xored(rel), ctx) as {
        status: string;
        format: { id: string };
        encryption?: { scheme: string };
      };
      expect({ rel, status: d.status, id: d.format.id, scheme: d.encryption?.scheme }).toEqual({
        rel,
        status: scheme ? 'encrypted' : 'opaque',
        id: scheme ? 'xor-obfuscated-encrypted' : 'xor-obfuscated',
        scheme,
      });
    }
  });

  it('leaves a picture or video whose header alone is XORed to obfuscated-media', () => {
    const nq = fixture('obfuscated-media/sdcard/SystemAndroid/Data/MTUwOTQ0Mg==/.video/1701862900456.bin');
    expect(xorObfuscatedDetector.detect(probeOf(nq), ctx)).toBeUndefined();
  });

  it('says when only the first bytes of a database are XORed', () => {
    const keyed = fixture('xor-obfuscated/vault/msg.db.lock');
    // Undo the 16-byte key past the first 100 bytes: the header stays keyed, the pages are plain.
    const partial = keyed.map((b, i) => (i < 100 ? b : b ^ (0x40 + (i % 16))));
    const d = xorObfuscatedDetector.detect(probeOf(partial), ctx) as {
      reasons: { message: string }[];
      details: unknown;
    };
    expect(d.details).toMatchObject({ reach: 'prefix', format: 'SQLite database' });
    expect(d.reasons[0]!.message).toMatch(
      /^Its first bytes XORed with the 16-byte key .*the rest of the file is plain/,
    );
  });

  it('finds the key wherever the file is cut into head and tail', () => {
    const jpeg = fixture('xor-obfuscated/vault/photo.aes').length; // same size as the JPEG it was made from
    const dat = fixture(
      'xor-obfuscated/WeChat Files/wxid_h23b0000000000/FileStorage/Image/2026-11/0b6e2f1c9a4d8e7f3a2b1c0d9e8f7a6b.dat',
    );
    expect(dat.length).toBe(jpeg);
    const probe = {
      ...probeOf(dat.subarray(0, 1024)),
      size: dat.length,
      tail: dat.subarray(dat.length - 512),
      complete: false,
    };
    const d = xorObfuscatedDetector.detect(probe, ctx) as { reasons: { message: string }[] };
    expect(d.reasons[0]!.message).toMatch(/the byte 0x5a .*end-of-image marker ends it/);
  });
});
