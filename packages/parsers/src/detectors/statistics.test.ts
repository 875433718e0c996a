import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createCipheriv } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, FolderSource, scan, type Detection, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '../index.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { fixtureBytes, wholeFileProbe } from './probe.test-helper.js';
import { statisticsDetector } from './statistics.js';

describe('statistical fallback (fixtures made by openssl, python3 zlib and brotli)', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('statistics');
  });

  it('suspects headerless ciphertext, never certain, with its figures', () => {
    const item = items.get('raw-aes-ctr.bin')!;
    expect(item.classification.status).toBe('encrypted');
    expect(item.classification.certainty).toBe('suspected');
    expect(item.classification.entropy!.shannon).toBeGreaterThan(7.9);
    expect(item.classification.entropy!.chiSquareP).toBeGreaterThan(0.001);
  });

  it('reads each byte of a mid-size file once: 26 and 32 KiB of ciphertext are uniform, not a volume header', () => {
    for (const size of [26_624, 32_768]) {
      const item = items.get(`ciphertext-${size}.bin`)!;
      expect(item.classification.status).toBe('encrypted');
      expect(item.classification.reasons[0]!.code).toBe('STATISTICALLY_RANDOM');
      expect(item.classification.entropy!.sampledBytes).toBeLessThanOrEqual(size);
    }
  });

  it('calls a headerless DEFLATE stream opaque, not encrypted: the chi-square test rejects uniform bytes', () => {
    const item = items.get('raw-deflate.bin')!;
    expect(item.classification.status).toBe('opaque');
    expect(item.classification.entropy!.chiSquareP).toBeLessThan(0.001);
  });

  it('calls a Brotli stream (no magic) opaque compressed data by a trial decode, not ciphertext', () => {
    const item = items.get('page.js.br')!;
    expect(item.classification.status).toBe('opaque');
    expect(item.format?.id).toBe('brotli-raw');
    expect(item.classification.reasons[0]!.code).toBe('BROTLI_STREAM');
  });

  it('calls structured binary records opaque', () => {
    expect(items.get('records.bin')!.classification.status).toBe('opaque');
  });

  it("calls random bytes behind a clear format's magic number a damaged file of that format, not ciphertext", () => {
    // overwritten.mkv: ffmpeg's EBML magic, then random bytes; the EBML detector finds no header behind it.
    const item = items.get('overwritten.mkv')!;
    expect(item.classification.status).toBe('opaque');
    expect(item.format?.id).toBe('damaged-file');
    const reason = item.classification.reasons[0]!;
    expect(reason.code).toBe('SIGNATURE_WITHOUT_STRUCTURE');
    expect(reason.figures).toMatchObject({ signatureDetector: 'ebml', signatureOffset: 0, signatureBytes: 4 });
    expect(reason.message).toContain('Matroska');
  });

  it('calls an LZMA-alone header before bytes that do not decode a damaged LZMA file, not ciphertext', () => {
    // damaged.lzma: xz's header and first bytes, then 101 bytes that are not its stream (117 bytes in all).
    const item = items.get('damaged.lzma')!;
    expect(item.classification.status).toBe('opaque');
    expect(item.format?.id).toBe('damaged-file');
    const reason = item.classification.reasons[0]!;
    expect(reason.code).toBe('SIGNATURE_WITHOUT_STRUCTURE');
    expect(reason.figures).toMatchObject({ signatureDetector: 'compressed-streams', signatureBytes: 13 });
    expect(reason.message).toContain('LZMA-alone');
  });

  it('tests a small sample on its high nibbles, and says so (R data file, every printable ASCII character once)', () => {
    // Through the engine the file is R's serialization (r-serialized); the statistics alone still judge its bytes.
    expect(items.get('chars.rds')!.format?.id).toBe('r-serialized');
    const bytes = fs.readFileSync(new URL('../../fixtures/statistics/chars.rds', import.meta.url));
    const verdict = statisticsDetector.detect(wholeFileProbe(bytes, 'chars.rds'), { limits: DEFAULT_LIMITS });
    const d = (Array.isArray(verdict) ? verdict[0] : verdict) as Detection;
    expect(d.status).toBe('opaque');
    const reason = d.reasons[0]!;
    // After a short header the rest looks uniform on 256 values: that test alone called it ciphertext.
    expect(reason.figures!.nibbleTestBytes).toBeLessThan(141);
    expect(reason.figures!.nibbleChiSquareP).toBeLessThan(0.0001);
    expect(reason.message).toMatch(/after the first (16|32|64)/);
    expect(reason.message).toContain('16 high nibbles');
  });

  it('does not call a 32-byte random key encrypted: too small for statistics', () => {
    expect(items.get('tiny-key.bin')!.classification.status).toBe('opaque');
  });
});

describe('context refines random bytes (fixtures made by 7z, sqlcipher and python3)', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('statistics');
  });

  it('calls random bytes named like key material opaque key material, not encrypted', () => {
    const item = items.get('keyfile1')!;
    expect(item.classification.status).toBe('opaque');
    expect(item.format?.id).toBe('random-keyfile');
    expect(item.classification.reasons.map((r) => r.code)).toContain('RANDOM_KEY_MATERIAL');
    expect(item.classification.entropy!.chiSquareP).toBeGreaterThan(0.001);
  });

  it('sets a clear trailer aside: 1,200 random bytes before 2 KiB of log text are ciphertext, raw DEFLATE stays compressed', () => {
    const judge = (bytes: Uint8Array) => {
      const v = statisticsDetector.detect(wholeFileProbe(bytes, 'carved.bin'), { limits: DEFAULT_LIMITS });
      return (Array.isArray(v) ? v[0] : v) as Detection;
    };
    const log = Buffer.from(
      Array.from({ length: 80 }, (_, i) => `Dec  7 22:${10 + (i % 50)} host sshd[${900 + i}]: ok\n`).join(''),
    );
    const trailer = log.subarray(0, 2048);
    const carved = judge(Buffer.concat([seededBytes(46, 1200), trailer]));
    expect(carved.status).toBe('encrypted');
    // The boundary is found to the byte, give or take the last random bytes that happen to be text.
    const set = carved.reasons[0]!.figures?.['clearTrailerBytes'] as number;
    expect(set).toBeGreaterThanOrEqual(2048);
    expect(set).toBeLessThan(2048 + 8);
    expect(carved.reasons[0]!.message).toContain('clear bytes that end the file');
    const text = Buffer.from(Array.from({ length: 300 }, (_, i) => `line ${i} of the notes\n`).join(''));
    const compressed = judge(Buffer.concat([zlib.deflateRawSync(text), trailer]));
    expect(compressed.status).not.toBe('encrypted');
    // Under 256 bytes before the trailer are too few to judge alone: the whole file is judged.
    const tiny = judge(Buffer.concat([seededBytes(47, 200), trailer]));
    expect(tiny.status).not.toBe('encrypted');
    expect(tiny.reasons[0]!.figures?.['clearTrailerBytes']).toBeUndefined();
  });

  it('sets trailing zero padding aside: 1,200 random bytes padded to 4 KiB are ciphertext, raw DEFLATE stays compressed', () => {
    const judge = (bytes: Uint8Array) => {
      const v = statisticsDetector.detect(wholeFileProbe(bytes, 'carved.bin'), { limits: DEFAULT_LIMITS });
      return (Array.isArray(v) ? v[0] : v) as Detection;
    };
    const padded = judge(Buffer.concat([seededBytes(44, 1200), Buffer.alloc(4096 - 1200)]));
    expect(padded.status).toBe('encrypted');
    expect(padded.reasons[0]!.figures).toMatchObject({ zeroPaddingBytes: 2896 });
    expect(padded.reasons[0]!.message).toContain('The 2896 zero bytes that end the file, padding, were set aside');
    const text = Buffer.from(Array.from({ length: 300 }, (_, i) => `line ${i} of the notes\n`).join(''));
    const deflated = zlib.deflateRawSync(text);
    const compressed = judge(Buffer.concat([deflated, Buffer.alloc(4096 - (deflated.length % 4096))]));
    expect(compressed.status).not.toBe('encrypted');
    // Fewer than 32 zeros are not padding: a field's high bytes (the figures are over the whole file).
    const short = judge(Buffer.concat([seededBytes(45, 1200), Buffer.alloc(8)]));
    expect(short.reasons[0]!.figures?.['zeroPaddingBytes']).toBeUndefined();
  });

  it('sets clear bytes after whole zero blocks aside (an empty tar with a line feed), never bytes that are not clear', () => {
    const judge = (name: string) => {
      const v = statisticsDetector.detect(wholeFileProbe(fixtureBytes('statistics', name), name), {
        limits: DEFAULT_LIMITS,
      });
      return (Array.isArray(v) ? v : [v]) as Detection[];
    };
    for (const [name, trailing] of [
      ['empty-tar-newline.tar', 1],
      ['empty-tar-appended-note.tar', 57],
    ] as const) {
      const [d] = judge(name);
      expect(d!.format.id).toBe('zero-filled');
      expect(d!.status).toBe('analysable');
      expect(d!.reasons[0]).toMatchObject({ code: 'ALL_ZERO', figures: { size: 10240 } });
      expect(d!.reasons.find((r) => r.code === 'TRAILING_DATA')?.figures).toEqual({ trailingBytes: trailing });
    }
    const random = judge('zeros-then-random.bin');
    expect(random.map((d) => d.format.id)).not.toContain('zero-filled');
    expect(random.flatMap((d) => d.reasons).some((r) => r.code === 'TRAILING_DATA')).toBe(false);
  });

  it('takes a key-like name for key material only when the file is small and random from its first byte', () => {
    const judge = (bytes: Uint8Array, name: string) => {
      const v = statisticsDetector.detect(wholeFileProbe(bytes, name), { limits: DEFAULT_LIMITS });
      return (Array.isArray(v) ? v : [v]) as Detection[];
    };
    const formats = (ds: Detection[]) => ds.map((d) => d.format.id);
    expect(formats(judge(seededBytes(41, 4096), 'backup.key'))).toContain('random-keyfile');
    // 100 KiB of random bytes is a message, not a key, whatever it is called (a SQLCipher database named .key).
    const large = judge(seededBytes(42, 100 * 1024), 'backup.key');
    expect(formats(large)).not.toContain('random-keyfile');
    expect(large[0]!.status).toBe('encrypted');
    // A clear text header set aside first: a format's ciphertext under a key-like name.
    const header = Buffer.from('{"kdf":"scrypt","n":32768,"r":8,"p":1,"salt":"c2FsdHNhbHRzYWx0c2FsdA=="}\n');
    const vault = judge(Buffer.concat([header, seededBytes(43, 8192)]), 'vault.key');
    expect(formats(vault)).not.toContain('random-keyfile');
    expect(vault[0]!.status).toBe('encrypted');
  });

  it('calls the second volume of a split 7z archive a continuation, not ciphertext', () => {
    const item = items.get('archive.7z.002')!;
    expect(item.classification.status).toBe('opaque');
    expect(item.format?.id).toBe('split-archive-volume');
  });

  it('suspects SQLCipher for a random file named as a database, with its key hint', () => {
    const item = items.get('sqlcipher-whole.db')!;
    expect(item.classification.status).toBe('encrypted');
    expect(item.format?.id).toBe('sqlcipher');
    expect(item.classification.certainty).toBe('suspected');
    expect(item.encryption).toMatchObject({ scheme: 'sqlcipher', keyHint: { present: 'unknown' } });
  });

  it('suspects (never certain) a TrueCrypt/VeraCrypt-like volume from a random 512-byte header in a sector-aligned file', () => {
    const item = items.get('volume.hc')!;
    expect(item.classification.status).toBe('encrypted');
    expect(item.format?.id).toBe('truecrypt-veracrypt');
    expect(item.classification.certainty).toBe('suspected');
    const reason = item.classification.reasons.find((r) => r.code === 'RANDOM_VOLUME_HEADER')!;
    expect(typeof reason.figures?.['headerDistinctBytes']).toBe('number');
    expect(typeof reason.figures?.['headerShannon']).toBe('number');
  });

  it('names a random .cpt file as ccrypt (the tool leaves no clear header)', () => {
    const item = items.get('notes.txt.cpt')!;
    expect(item.classification.status).toBe('encrypted');
    expect(item.format?.id).toBe('ccrypt');
    expect(item.classification.reasons.map((r) => r.code)).toContain('RANDOM_WITH_TOOL_EXTENSION');
  });

  it('sees a random body behind a short clear prefix (an IV-like run) and records the prefix', () => {
    const item = items.get('prefixed.bin')!;
    expect(item.classification.status).toBe('encrypted');
    expect(item.classification.reasons[0]!.figures).toMatchObject({ clearPrefixBytes: 16 });
  });
});

describe('block profile: clear headers and trailers set aside (fixtures made by openssl and python3)', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('statistics');
  });

  it('reads ciphertext behind a 4 KiB clear header page as ciphertext-like, and says which blocks were set aside', () => {
    const reason = items
      .get('header-page-ciphertext.bin')!
      .classification.reasons.find((r) => r.code === 'STATISTICALLY_RANDOM')!;
    expect(reason.figures).toMatchObject({ clearRanges: '0-4096', blockBytes: 512 });
    expect(Number(reason.figures!.bodyChiSquareP)).toBeGreaterThan(0.001);
    // The whole probe is not uniform: only the body is.
    expect(items.get('header-page-ciphertext.bin')!.classification.entropy!.chiSquareP).toBeLessThan(0.001);
  });

  it('reads ciphertext before a 1.3 KiB trailer as ciphertext-like', () => {
    const item = items.get('ciphertext-trailer.bin')!;
    const reason = item.classification.reasons.find((r) => r.code === 'STATISTICALLY_RANDOM')!;
    expect(String(reason.figures!.clearRanges)).toMatch(/-31331$/);
    expect(Number(reason.figures!.uniformBlocks)).toBeGreaterThan(10);
  });
});

describe('context in its stated order: catalogue over path and name (fixture made by sqlcipher)', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('statistics');
  });

  it('calls Signal\'s signal-key-value.db an encrypted database, not key material, although its name holds "key"', () => {
    const item = items.get('data/data/org.thoughtcrime.securesms/databases/signal-key-value.db')!;
    expect(item.classification.status).toBe('encrypted');
    expect(item.format?.id).toBe('sqlcipher');
    const codes = item.classification.reasons.map((r) => r.code);
    expect(codes[0]).toBe('RANDOM_DATABASE_OF_ENCRYPTING_APP');
    // The name heuristic was considered and lost, visibly.
    expect(item.classification.reasons.find((r) => r.code === 'OTHER_CANDIDATES')?.message).toMatch(
      /random-keyfile \(statistics, 0\.55, path\)/,
    );
    expect(item.encryption?.keyHint?.kind).toBe('keystore');
  });

  it('still calls a random file named like key material, outside any app, key material', () => {
    expect(items.get('keyfile1')!.format?.id).toBe('random-keyfile');
  });
});

/** A seeded xorshift32 stream of 32-bit numbers. */
function xorshift(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** The statistical fallback's first answer for `head`, the whole of a file called `name`. */
async function firstAnswer(head: Uint8Array, name: string): Promise<Detection | undefined> {
  const { statisticsDetector } = await import('./statistics.js');
  const probe = {
    path: name,
    logicalPath: name,
    name,
    extension: 'bin',
    size: head.length,
    head,
    tail: new Uint8Array(0),
    samples: [],
    complete: true,
  };
  const d = statisticsDetector.detect(probe, { limits: {} as never, signal: new AbortController().signal });
  return (Array.isArray(d) ? (d as readonly Detection[])[0] : d) as Detection | undefined;
}

describe('trial inflates from short offsets do not explain away ciphertext', () => {
  it('calls 300 seeded random 4 KiB buffers ciphertext-like, none of them compressed', async () => {
    const next = xorshift(0x9e3779b9);
    for (let i = 0; i < 300; i++) {
      const first = await firstAnswer(
        Uint8Array.from({ length: 4096 }, () => next() & 0xff),
        'blob.bin',
      );
      expect(first?.format.id, first?.reasons[0]?.message).toBe('unknown-encrypted');
    }
  });
});

describe('compressed data behind a text header, and records of zlib streams (node:zlib is zlib)', () => {
  // A vault-like file: a JSON header of KDF parameters longer than 64 bytes, a line feed, then its body.
  const header = Buffer.from(
    '{"version":2,"cipher":"aes-256-gcm","kdf":"scrypt","salt":"U6/gg9nD0xT8ltam6v7Glg==","n":32768,"length":267}\n',
  );
  const text = Buffer.from(
    Array.from(seededBytes(41, 900), (b) => ['noon ', 'the ', 'at ', 'courier '][b % 4]).join(''),
  );

  it('finds raw DEFLATE where the text header ends, and never in random bytes there (100 seeded bodies)', async () => {
    const deflated = await firstAnswer(new Uint8Array(Buffer.concat([header, zlib.deflateRawSync(text)])), 'a.store');
    expect(deflated?.status).toBe('opaque');
    expect(deflated?.reasons[0]?.message).toContain(
      `raw DEFLATE stream starts at byte ${header.length}, after a text header`,
    );
    const next = xorshift(0x51ed270b);
    for (let i = 0; i < 100; i++) {
      const body = Uint8Array.from({ length: 200 + (next() % 3000) }, () => next() & 0xff);
      const d = await firstAnswer(new Uint8Array(Buffer.concat([header, body])), 'a.store');
      expect(d?.reasons[0]?.code, d?.reasons[0]?.message).not.toBe('COMPRESSED_AFTER_HEADER');
    }
  });

  it('finds raw DEFLATE and Brotli past a NUL that ends the text header', async () => {
    for (const [body, how] of [
      [zlib.deflateRawSync(text), 'raw DEFLATE'],
      // A real Brotli stream (brotli over a JavaScript page), as uniform as ciphertext.
      [fixtureBytes('statistics', 'page.js.br'), 'Brotli'],
    ] as const) {
      const file = new Uint8Array(Buffer.concat([header.subarray(0, -1), Buffer.from([0]), body]));
      const d = await firstAnswer(file, 'a.store');
      expect(d?.status, `${how}: ${d?.reasons[0]?.message}`).toBe('opaque');
      expect(d?.reasons[0]?.figures?.streamOffset).toBe(header.length);
    }
  });

  it('tests the body after a text header however short (from 64 bytes), ciphertext or compressed', async () => {
    // Node's AES-256-GCM over 64 to 400 bytes of text, behind the JSON header: a vault's small entry.
    const next = xorshift(0x7e57da7a);
    let encrypted = 0;
    for (let i = 0; i < 100; i++) {
      const cipher = createCipheriv('aes-256-gcm', Buffer.from(seededBytes(300 + i, 32)), Buffer.alloc(12, i));
      const body = Buffer.concat([cipher.update(text.subarray(0, 64 + (next() % 337))), cipher.final()]);
      const d = await firstAnswer(new Uint8Array(Buffer.concat([header, body])), 'entry.store');
      if (d?.status === 'encrypted') {
        encrypted++;
        // The text ends where the body's first byte is not printable: at the header's end or a few bytes on.
        expect(d.reasons[0]?.message).toMatch(/random after a \d+-byte text header/);
        expect(d.reasons[0]?.figures?.clearPrefixBytes).toBeGreaterThanOrEqual(header.length);
      }
    }
    // The nibble test over so few bytes rejects uniform bytes at p < 0.0001: a file in a thousand at most.
    expect(encrypted).toBeGreaterThanOrEqual(99);
    // The same header before a short raw DEFLATE stream: compressed, found by its trial inflate.
    const small = await firstAnswer(
      new Uint8Array(Buffer.concat([header, zlib.deflateRawSync(text.subarray(0, 400))])),
      'entry.store',
    );
    expect(small?.status, small?.reasons[0]?.message).toBe('opaque');
  });

  it('measures a zlib stream that ended by the bytes it took, not by the records after it', async () => {
    const record = (t: Buffer) => {
      const z = zlib.deflateSync(t);
      const len = Buffer.alloc(2);
      len.writeUInt16LE(z.length);
      return Buffer.concat([len, Buffer.from('D'), z]);
    };
    // Three records, the two after the first each about as long as the first's output: the first stream inflates
    // to more than it took, but to less than all the bytes after its start.
    const parts = [text.subarray(0, 1000), Buffer.from(seededBytes(42, 700)), Buffer.from(seededBytes(43, 700))];
    const file = new Uint8Array(Buffer.concat([Buffer.from('REC1'), ...parts.map(record)]));
    const d = await firstAnswer(file, 'cache.bin');
    expect(d?.status, d?.reasons[0]?.message).toBe('opaque');
    expect(d?.reasons[0]?.message).toMatch(
      /a zlib stream starts at byte 7, after a short header \(its first \d+ bytes inflate to 1000\)/,
    );
  });
});

describe('a binary header of salt, IV and lengths, then the body (node:crypto AES, node:zlib)', () => {
  // A magic, a version, a 32-byte salt, a 16-byte IV, PBKDF2 rounds, the body's size as a u64 and 16 reserved
  // bytes: 82 bytes whose salt and IV are random, so only the fields' zero bytes show where the header ends.
  const header = (bodyBytes: number) => {
    const h = Buffer.alloc(82);
    h.write('VLTx', 0, 'latin1');
    h.writeUInt16LE(3, 4);
    h.set(seededBytes(61, 48), 6);
    h.writeUInt32LE(600_000, 54);
    h.writeBigUInt64LE(BigInt(bodyBytes), 58);
    return h;
  };

  it('tests the body after the last field for ciphertext, and finds raw DEFLATE there', async () => {
    const c = createCipheriv('aes-256-ctr', Buffer.from(seededBytes(62, 32)), Buffer.from(seededBytes(63, 16)));
    const body = Buffer.concat([c.update(Buffer.from(seededBytes(64, 700).map((b) => b & 0x3f))), c.final()]);
    const encrypted = await firstAnswer(new Uint8Array(Buffer.concat([header(body.length), body])), 'a.vlt');
    expect(encrypted?.status, encrypted?.reasons[0]?.message).toBe('encrypted');
    expect(encrypted?.reasons[0]?.figures).toMatchObject({ clearPrefixBytes: 82 });
    const text = Buffer.from(
      Array.from(seededBytes(65, 700), (b) => ['noon ', 'the ', 'at ', 'courier '][b % 4]).join(''),
    );
    const deflated = zlib.deflateRawSync(text);
    const compressed = await firstAnswer(new Uint8Array(Buffer.concat([header(deflated.length), deflated])), 'a.vlt');
    expect(compressed?.status, compressed?.reasons[0]?.message).toBe('opaque');
  });
});

describe('small samples: the high-nibble test does not explain away short ciphertext', () => {
  it('calls 1,000 seeded random buffers of 65 to 1,279 bytes ciphertext-like, all but a few in a thousand', async () => {
    const next = xorshift(0x2545f491);
    let missed = 0;
    for (let i = 0; i < 1000; i++) {
      const head = Uint8Array.from({ length: 65 + (next() % 1215) }, () => next() & 0xff);
      if ((await firstAnswer(head, 'token.bin'))?.status !== 'encrypted') missed++;
    }
    // The nibble test rejects about 1 in 10,000 uniform samples (p <= 0.0001); the 256-value test misses some too.
    expect(missed).toBeLessThanOrEqual(10);
  });
});

describe('a TrueCrypt/VeraCrypt volume is random from its first byte', () => {
  // An encrypted Aria table's data file: a clear 8 KiB bitmap page, then encrypted pages (sector-aligned, 480 KiB).
  // Its body is uniform, but a volume's header is ciphertext from byte 0: a clear first page rules a volume out.
  it('calls a random body behind a clear first page unknown ciphertext, not a suspected volume', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-clear-head-'));
    try {
      const page = new Uint8Array(8192);
      page.set(seededBytes(35, 20));
      const bytes = Buffer.concat([page, seededBytes(36, 480 * 1024 - 8192)]);
      fs.writeFileSync(path.join(dir, 'bitmap-page-then-pages.mad.bak'), bytes);
      fs.writeFileSync(path.join(dir, 'sectors.img'), seededBytes(37, 480 * 1024));
      const items = new Map<string, EvidenceItem>();
      for await (const item of scan(new FolderSource(dir), { plugins: builtinPlugins, containers: builtinContainers }))
        items.set(item.path, item);
      const behindPage = items.get('bitmap-page-then-pages.mad.bak')!;
      expect(behindPage.classification.status).toBe('encrypted');
      expect(behindPage.format?.id).toBe('unknown-encrypted');
      expect(behindPage.classification.reasons[0]!.figures).toMatchObject({ clearRanges: '0-8192' });
      expect(items.get('sectors.img')!.format?.id).toBe('truecrypt-veracrypt');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a short body that a binary header declares by its length field', () => {
  // A vault entry as apps write one: a magic, a version, a salt and a nonce, KDF parameters and a time, then the
  // body's length (4 bytes little-endian or 2 bytes big-endian) and the body, Node's AES-256-GCM over 64 to 200 bytes of text and its tag.
  const text = Buffer.from(
    Array.from(seededBytes(51, 900), (b) => ['ledger ', 'pin ', 'at ', 'harbour '][b % 4]).join(''),
  );
  function entry(i: number, body: Uint8Array): Uint8Array {
    const length = Buffer.alloc(i % 2 ? 4 : 2);
    if (i % 2) length.writeUInt32LE(body.length);
    else length.writeUInt16BE(body.length);
    const kdf = Buffer.alloc(20);
    kdf.writeUInt32LE(600_000);
    kdf.writeUInt32LE(65_536, 4);
    kdf.writeUInt16LE(4, 8);
    kdf.writeBigUInt64LE(BigInt(1_733_000_000 + i * 3_600), 12);
    const header = Buffer.concat([
      Buffer.from('KVS1\x02\x00'),
      seededBytes(400 + i, 16),
      seededBytes(500 + i, 12),
      kdf,
    ]);
    return new Uint8Array(Buffer.concat([header, length, body]));
  }
  const sealed = (i: number, n: number) => {
    const c = createCipheriv('aes-256-gcm', Buffer.from(seededBytes(600 + i, 32)), Buffer.alloc(12, i));
    return Buffer.concat([c.update(text.subarray(0, n)), c.final(), c.getAuthTag()]);
  };

  it('tests the body from 64 bytes on, the header whatever its share of the file (100 entries of 136-272 bytes)', async () => {
    const next = xorshift(0x5eed_1e27);
    let encrypted = 0;
    let declared = 0;
    for (let i = 0; i < 100; i++) {
      const file = entry(i, sealed(i, 64 + (next() % 137)));
      const d = await firstAnswer(file, 'entry.dat');
      if (d?.status === 'encrypted') encrypted++;
      if (/header whose length field declares the rest/.test(d?.reasons[0]?.message ?? '')) declared++;
    }
    // Without the field, a body after a header of a quarter of the file or more is not tested: 48 of these were
    // opaque before.
    expect(encrypted).toBeGreaterThanOrEqual(95);
    expect(declared).toBeGreaterThanOrEqual(40);
  });

  it('looks for a compressed stream where a length field past the first 64 bytes declares the body', async () => {
    // A 70-byte header (a magic, a salt, then the body's 2-byte length and a 4-byte tag after it), a raw DEFLATE
    // body of log lines, a 20-byte MAC: the stream starts past the first 64 bytes and after no field's zero bytes.
    const lines = Array.from(seededBytes(71, 60), (b, i) => `2024-03-${(i % 28) + 1} id=${i * 7919} v=${b * 31}\n`);
    const body = zlib.deflateRawSync(Buffer.from(lines.join('')));
    const length = Buffer.alloc(2);
    length.writeUInt16BE(body.length);
    const header = Buffer.concat([Buffer.from('JJHQ_01\x01'), seededBytes(72, 56), length, Buffer.from('x-AB')]);
    const file = new Uint8Array(Buffer.concat([header, body, seededBytes(73, 20)]));
    const d = await firstAnswer(file, 'a.vlt');
    expect(d?.status, d?.reasons[0]?.message).toBe('opaque');
    expect(d?.reasons[0]?.figures?.streamOffset).toBe(header.length);
  });

  it('does not call what the field declares encrypted when it is clear or compressed', async () => {
    for (let i = 0; i < 20; i++) {
      const plain = await firstAnswer(entry(i, text.subarray(0, 80 + i * 5)), 'entry.dat');
      expect(plain?.status, plain?.reasons[0]?.message).not.toBe('encrypted');
      const counters = Buffer.alloc(96 + i * 8);
      for (let k = 0; k * 4 < counters.length; k++) counters.writeUInt32LE(1_700_000_000 + k * 37 * (i + 1), k * 4);
      const table = await firstAnswer(entry(i, counters), 'entry.dat');
      expect(table?.status, table?.reasons[0]?.message).not.toBe('encrypted');
      const deflated = await firstAnswer(entry(i, zlib.deflateRawSync(text.subarray(0, 300 + i * 20))), 'entry.dat');
      expect(deflated?.status, deflated?.reasons[0]?.message).not.toBe('encrypted');
    }
  });
});
