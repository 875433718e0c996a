import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import type { Detection } from '@evtriage/core/contract';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

describe('file-type fallback (fixtures made by netpbm)', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('file-type');
  });

  it('identifies images through file-type, with the MIME type', () => {
    expect(items.get('photo.jpg')!.format).toMatchObject({ id: 'jpeg', mime: 'image/jpeg', detector: 'file-type' });
    expect(items.get('image.png')!.format).toMatchObject({ id: 'png', mime: 'image/png' });
    expect(items.get('photo.jpg')!.classification.status).toBe('analysable');
  });

  it('decides by content when the extension lies', () => {
    expect(items.get('photo-named.txt')!.format?.id).toBe('jpeg');
  });

  it('knows a transport stream by its names (.ts, .m2ts), not only .mts', () => {
    expect(items.get('clip.m2ts')!.format).toMatchObject({ id: 'mts', extensionMismatch: false });
  });
});

describe('file-type leaves GZIP to the archives detector and the gzip container', () => {
  it('does not inflate a gzip stream made by gzip(1)', async () => {
    const { fileTypeDetector } = await import('./file-type.js');
    const fs = await import('node:fs');
    const bytes = fs.readFileSync(new URL('../../fixtures/archives/a.txt.gz', import.meta.url));
    const probe = {
      path: 'a.txt.gz',
      logicalPath: 'a.txt.gz',
      name: 'a.txt.gz',
      extension: 'gz',
      size: bytes.length,
      head: bytes,
      tail: new Uint8Array(0),
      samples: [],
      complete: true,
    };
    expect(
      await fileTypeDetector.detect(probe, { limits: {} as never, signal: new AbortController().signal }),
    ).toBeUndefined();
    const items = await scanFixtures('archives');
    expect(items.get('a.txt.gz')!.format).toMatchObject({ id: 'gzip', detector: 'archives' });
  });
});

describe('file-type: the other names a type is known by', () => {
  it('knows compressed tarballs by their short extensions (.tbz2, .txz made by bzip2 and xz)', async () => {
    const items = await scanFixtures('file-type');
    expect(items.get('notes.tbz2')!.format).toMatchObject({ id: 'bzip2', extensionMismatch: false });
    expect(items.get('notes.txz')!.format).toMatchObject({ id: 'xz', extensionMismatch: false });
    // The same content under a name no compressor uses is still flagged.
    expect(items.get('photo-named.txt')!.format).toMatchObject({ id: 'jpeg', extensionMismatch: true });
  });
});

describe('file-type: MPEG audio found by frame sync alone must chain its frames', () => {
  it('names MP3 and MP2 without an ID3 tag (ffmpeg), and not a 0xFF run or one header before noise', async () => {
    const items = await scanFixtures('file-type');
    for (const [file, id] of [
      ['tone.mp3', 'mp3'],
      ['tone.mp2', 'mp2'],
    ] as const) {
      expect(items.get(file)!.format).toMatchObject({ id, detector: 'file-type' });
      expect(items.get(file)!.classification.reasons[0]!.figures).toMatchObject({ frames: 4 });
    }
    for (const file of ['ff-run.part', 'sync-then-noise.bin']) {
      expect(items.get(file)!.format?.id ?? 'none').not.toMatch(/^mp[123]$/);
    }
  });

  it('reads frame lengths from the header fields (ISO/IEC 11172-3)', async () => {
    const { mpegFrameAt } = await import('./mpeg-audio.js');
    const fs = await import('node:fs');
    const mp3 = new Uint8Array(fs.readFileSync(new URL('../../fixtures/file-type/tone.mp3', import.meta.url)));
    const first = mpegFrameAt(mp3, 0)!;
    expect(first).toMatchObject({ version: 3, layer: 3, bitrate: 64000 });
    // 144 * 64000 / 44100 = 208 bytes, plus the padding bit; the next header sits there.
    expect(first.length).toBe(208 + ((mp3[2]! >> 1) & 1));
    expect(mpegFrameAt(mp3, first.length)).toBeDefined();
    // Bitrate index 15 ("bad") in an all-0xFF word is not a header.
    expect(mpegFrameAt(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 0)).toBeUndefined();
  });
});

describe('file-type: icon and capture magic numbers are checked', () => {
  it("leaves a Mac datafork font (fontforge) to libmagic, not an icon; icotool's icon and text2pcap's capture stay", async () => {
    const items = await scanFixtures('file-type');
    expect(items.get('tiny.dfont')!.format).toMatchObject({ id: 'dfont', detector: 'libmagic' });
    expect(items.get('icon.ico')!.format).toMatchObject({ id: 'ico', detector: 'file-type' });
    expect(items.get('two-packets.pcap')!.format).toMatchObject({ id: 'pcap', detector: 'file-type' });
    expect(items.get('random-after-ico-magic.bin')!.format?.id).not.toBe('ico');
    expect(items.get('random-after-pcap-magic.bin')!.classification.status).not.toBe('analysable');
  });
});

describe('file-type: an XML declaration must stand before text', () => {
  it('names XML in UTF-8 (a Huawei backup info.xml), zero-padded, and in UTF-16 with non-Latin text', async () => {
    const { fileTypeDetector } = await import('./file-type.js');
    const fs = await import('node:fs');
    const info = fs.readFileSync(
      new URL('../../fixtures/huawei-backup/backupFiles1/2026-12-06_10-00-00/info.xml', import.meta.url),
    );
    // Cyrillic in UTF-16LE: every other byte is 0x04, a control character read byte by byte, not as a code unit.
    const utf16 = Buffer.from('\ufeff<?xml version="1.0" encoding="UTF-16"?><note>Привет, мир</note>\n', 'utf16le');
    for (const bytes of [info, Buffer.concat([info, Buffer.alloc(4096)]), utf16]) {
      const d = (await fileTypeDetector.detect(wholeFileProbe(bytes, 'x.dat'), {} as never)) as Detection | undefined;
      expect(d?.format.id).toBe('xml');
    }
  });

  it('leaves ciphertext and compressed data behind an XML header to the statistics', async () => {
    const { fileTypeDetector } = await import('./file-type.js');
    const { createCipheriv } = await import('node:crypto');
    const zlib = await import('node:zlib');
    const { seededBytes } = await import('../seeded-bytes.test-helper.js');
    const header = Buffer.from(
      '<?xml version="1.0"?><vault version="2"><kdf iter="100000" salt="c2FsdA=="/></vault>\n',
    );
    const cipher = createCipheriv('aes-256-ctr', seededBytes(7, 32), seededBytes(8, 16));
    const ciphertext = Buffer.concat([cipher.update(seededBytes(9, 3000)), cipher.final()]);
    const text = Buffer.from('the quick brown fox jumps over the lazy dog, 2024-03-01 id=1\n'.repeat(200));
    for (const payload of [ciphertext, zlib.deflateRawSync(text), zlib.brotliCompressSync(text)]) {
      const d = await fileTypeDetector.detect(wholeFileProbe(Buffer.concat([header, payload]), 'x.dat'), {} as never);
      expect(d).toBeUndefined();
    }
  });
});

describe('file-type: SWF is three letters, so its version and length must hold', () => {
  // No Debian tool writes SWF: a minimal movie from the SWF File Format Specification 19 (a RECT of 0..11000 ×
  // 0..8000 twips in 5-bit fields, 24 fps, one frame, ShowFrame and End tags).
  const body = Buffer.from([
    0x78, 0x00, 0x05, 0x5f, 0x00, 0x00, 0x0f, 0xa0, 0x00, 0x00, 0x18, 0x01, 0x00, 0x40, 0x00, 0x00, 0x00,
  ]);
  const header = (magic: string, length: number) => {
    const h = Buffer.alloc(8);
    h.write(magic, 0, 'latin1');
    h[3] = 10;
    h.writeUInt32LE(length, 4);
    return h;
  };

  it('names an uncompressed and a zlib-compressed movie', async () => {
    const { fileTypeDetector } = await import('./file-type.js');
    const zlib = await import('node:zlib');
    const fws = Buffer.concat([header('FWS', 8 + body.length), body]);
    const cws = Buffer.concat([header('CWS', 8 + body.length), zlib.deflateSync(body)]);
    for (const swf of [fws, cws]) {
      const d = (await fileTypeDetector.detect(wholeFileProbe(swf, 'x.swf'), {} as never)) as Detection | undefined;
      expect(d?.format.id).toBe('swf');
    }
  });

  it('leaves "FWS" before other fields and ciphertext to the statistics', async () => {
    const { fileTypeDetector } = await import('./file-type.js');
    const { seededBytes } = await import('../seeded-bytes.test-helper.js');
    // The generated store that file-type called a Flash movie: "FWSZTJJ\\x1a\\n", a u16 version, then salt and ciphertext.
    const store = Buffer.concat([Buffer.from('FWSZTJJ\x1a\n\x01\x00', 'latin1'), seededBytes(11, 1100)]);
    expect(await fileTypeDetector.detect(wholeFileProbe(store, 'x.swf'), {} as never)).toBeUndefined();
  });
});
