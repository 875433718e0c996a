import fs from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  isBrotli,
  isRawDeflate,
  trialBrotli,
  trialInflate,
  trialLzma,
  trialRawLzma,
  zlibStreamNearStart,
} from './trial-decode.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

const fixture = (plugin: string, name: string) =>
  new Uint8Array(fs.readFileSync(new URL(`../../fixtures/${plugin}/${name}`, import.meta.url)));

describe('trial decoding', () => {
  it('inflates a raw DEFLATE stream made by zlib, closed or only flushed', () => {
    expect(isRawDeflate(trialInflate(fixture('statistics', 'raw-deflate.bin'), 'raw', false))).toBe(true);
    const flushed = trialInflate(fixture('statistics', 'cache-entry.bin'), 'raw', true);
    expect(flushed).toMatchObject({ ok: true, ended: false });
    expect(isRawDeflate(flushed)).toBe(true);
  });

  it('takes a whole file whose raw stream ends before a trailer of 16 bytes at most (gzip, a ZIP data descriptor)', () => {
    const stream = zlib.deflateRawSync(Buffer.from('the courier arrives at noon. '.repeat(40)));
    const withTrailer = (n: number) => Buffer.concat([stream, Buffer.from(seededBytes(n, n))]);
    expect(isRawDeflate(trialInflate(withTrailer(8), 'raw', true))).toBe(true);
    expect(trialInflate(withTrailer(100), 'raw', true)).toMatchObject({ ok: false });
  });

  it('takes a raw stream of 128 bytes or more that expands and ends before the next record, never random bytes', () => {
    const words = (seed: number) =>
      Buffer.from(
        Array.from(seededBytes(seed, 600), (b) => ['noon ', 'the ', 'courier ', 'at ', 'arrives '][b % 5]).join(''),
      );
    const record = zlib.deflateRawSync(words(11));
    expect(record.length).toBeGreaterThanOrEqual(128);
    const records = Buffer.concat([record, Buffer.from([0, 0, 1, 40]), zlib.deflateRawSync(words(12))]);
    const t = trialInflate(records, 'raw', true);
    expect(t).toMatchObject({ ok: true, ended: true, consumed: record.length });
    expect(isRawDeflate(t)).toBe(true);
    // Random bytes: 20,000 seeded 2 KiB buffers, none a stream that ends early having expanded 128 bytes or more.
    let hits = 0;
    for (let seed = 1; seed <= 20_000; seed++)
      if (isRawDeflate(trialInflate(seededBytes(seed * 65_537, 2048), 'raw', true))) hits++;
    expect(hits).toBe(0);
  });

  it('takes no stored block for evidence of DEFLATE: its LEN/NLEN check passes by chance and it copies bytes through', () => {
    // Ciphertext whose first five bytes happen to read as a stored block's header (1 start in about 260,000).
    const body = Buffer.from(seededBytes(51, 6000));
    body.set([0x00, 0xf0, 0xff, 0x0f, 0x00]);
    const chance = trialInflate(body, 'raw', false);
    expect(chance).toMatchObject({ ok: true, storedStart: true });
    expect(isRawDeflate(chance)).toBe(false);
    // zlib's own stored block of random bytes (level 0): a DEFLATE file when it ends with the file (Go's
    // huffman-rand goldens are such files), not when more bytes follow it.
    const stored = zlib.deflateRawSync(Buffer.from(seededBytes(52, 3000)), { level: 0 });
    expect(isRawDeflate(trialInflate(stored, 'raw', true))).toBe(true);
    const followed = Buffer.concat([stored, Buffer.from(seededBytes(53, 400))]);
    expect(isRawDeflate(trialInflate(followed, 'raw', true))).toBe(false);
    expect(isRawDeflate(trialInflate(stored.subarray(0, 2000), 'raw', false))).toBe(false);
    // A stored block without a final block that spans the whole file, as Go's flate writer leaves its goldens.
    const open = Buffer.concat([Buffer.from([0x00, 0xe8, 0x03, 0x17, 0xfc]), Buffer.from(seededBytes(54, 1000))]);
    expect(isRawDeflate(trialInflate(open, 'raw', true))).toBe(true);
  });

  it('takes a zlib stream that ended, whatever follows it (its Adler-32 checked)', () => {
    const z = zlib.deflateSync(Buffer.from('the courier arrives at noon. '.repeat(40)));
    expect(trialInflate(Buffer.concat([z, Buffer.from(seededBytes(3, 200))]), 'zlib', true)).toMatchObject({
      ok: true,
      ended: true,
    });
  });

  it('finds a zlib stream behind a header, ended or cut by the window, and none in random bytes', () => {
    const text = Buffer.from('tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor a <a@b> 0 +0000\n'.repeat(3));
    const header = Buffer.from(seededBytes(5, 14));
    const ended = Buffer.concat([header, zlib.deflateSync(text), Buffer.from(seededBytes(6, 4000))]);
    expect(zlibStreamNearStart(ended)).toMatchObject({ offset: 14, trial: { ended: true } });
    // A stream longer than the window: 1 KiB and more decoded without error, in a compressed (not stored) block.
    const long = Buffer.concat([header, zlib.deflateSync(Buffer.from(seededBytes(7, 20000)).map((b) => b & 0x0f))]);
    expect(zlibStreamNearStart(long)).toMatchObject({ offset: 14, trial: { ended: false } });
    // Random bytes in a stored block copy through without error: not believed unless the stream ends (Adler-32).
    const stored = Buffer.concat([header, zlib.deflateSync(Buffer.from(seededBytes(8, 20000)), { level: 0 })]);
    expect(zlibStreamNearStart(stored.subarray(0, 6000))).toBeUndefined();
    let hits = 0;
    for (let seed = 1; seed <= 2000; seed++) if (zlibStreamNearStart(seededBytes(seed * 7919, 6000))) hits++;
    expect(hits).toBe(0);
  });

  it('takes a stream cut short by other bytes (blocks each starting a stream) by the start that decodes', () => {
    const text = Buffer.from(
      Array.from(seededBytes(61, 4000), (b) => ['noon ', 'the ', 'courier ', 'at ', 'arrives '][b % 5]).join(''),
    );
    // Two blocks of 1,024 bytes, each a sequence number and the first 1,022 bytes of its own stream.
    const blocks = (compress: (b: Buffer) => Buffer) =>
      Buffer.concat(
        [0, 1].map((i) => Buffer.concat([Buffer.from([0, i]), compress(text.subarray(i * 1000)).subarray(0, 1022)])),
      );
    // The whole fails where the first stream's cut meets the second block; its first 1,024 bytes decode.
    const inflated = trialInflate(blocks(zlib.deflateRawSync).subarray(2), 'raw', true);
    expect(inflated).toMatchObject({ ok: true, ended: false, input: 1024 });
    expect(isRawDeflate(inflated)).toBe(true);
    const brotli = trialBrotli(blocks((b) => zlib.brotliCompressSync(b)).subarray(2), true);
    expect(brotli).toMatchObject({ ok: true, ended: false, input: 1024 });
    expect(isBrotli(brotli)).toBe(true);
  });

  it('does not take ciphertext for raw DEFLATE (1,200 seeded random buffers of 64 B-16 KiB)', () => {
    let hits = 0;
    for (let seed = 1; seed <= 1200; seed++) {
      const n = [64, 256, 1024, 16384][seed % 4]!;
      if (isRawDeflate(trialInflate(seededBytes(seed * 40503, n), 'raw', true))) hits++;
    }
    expect(hits).toBe(0);
  });

  it('decodes a Brotli stream made by brotli, and never random bytes (1,200 seeded buffers of 64 B-16 KiB)', () => {
    expect(isBrotli(trialBrotli(fixture('statistics', 'page.js.br'), true))).toBe(true);
    let hits = 0;
    for (let seed = 1; seed <= 1200; seed++) {
      const n = [64, 256, 1024, 16384][seed % 4]!;
      if (isBrotli(trialBrotli(seededBytes(seed * 7919, n), seed % 2 === 0))) hits++;
    }
    expect(hits).toBe(0);
  });

  it('decodes the first KiB of an LZMA-alone stream made by xz --format=lzma, and rejects a look-alike header', () => {
    expect(trialLzma(fixture('compressed-streams', 'records.lzma'), true).ok).toBe(true);
    const fake = trialLzma(fixture('compressed-streams', 'config-lookalike.dat'), true);
    expect(fake.ok).toBe(false);
    expect(fake.error).toMatch(/lzma/i);
  });

  it('takes an LZMA-alone stream followed by junk for a whole stream, and not the same bytes cut or damaged', () => {
    const junk = fixture('compressed-streams', 'junk-after.lzma');
    expect(trialLzma(junk, true)).toMatchObject({ ok: true, ended: true });
    // Cut inside the range-coded data: the whole file ends before the stream does.
    expect(trialLzma(junk.subarray(0, 20), true).ok).toBe(false);
    const damaged = Uint8Array.from(junk);
    damaged[14] = damaged[14]! ^ 0xff;
    damaged[15] = damaged[15]! ^ 0xff;
    expect(trialLzma(damaged, true).ok).toBe(false);
  });

  it('finds raw LZMA and LZMA2 made by liblzma, whole or cut, and never in random bytes given their first bytes', () => {
    const lzma = fixture('statistics', 'page.js.lzma-raw');
    const lzma2 = fixture('statistics', 'page.js.lzma2-raw');
    expect(trialRawLzma(lzma, true)).toMatchObject({ kind: 'lzma', properties: 0x5d });
    expect(trialRawLzma(lzma2, true)).toMatchObject({ kind: 'lzma2', properties: 0x5d });
    // Cut by a probe window: the first KiB still decodes.
    expect(trialRawLzma(lzma.subarray(0, 4096), false)).toMatchObject({ kind: 'lzma' });
    // Damaged in its first KiB: a data error.
    const damaged = Uint8Array.from(lzma);
    damaged.fill(0xff, 100, 108);
    expect(trialRawLzma(damaged, true)).toBeUndefined();
    let hits = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const bytes = seededBytes(seed * 104729, [1024, 4096, 16384][seed % 3]!);
      // Half as raw LZMA starts (a 0 byte), half as an LZMA2 chunk that resets the dictionary (0xE0, properties 0x5D).
      if (seed % 2 === 0) bytes[0] = 0;
      else bytes.set([0xe0, 0x3f, 0xff, 0x3f, 0xff, 0x5d, 0x00]);
      if (trialRawLzma(bytes, seed % 4 < 2)) hits++;
    }
    expect(hits).toBe(0);
    // Zeros decode as LZMA for as long as they last: a zero-filled header before random bytes is not a stream.
    const zeroHeader = seededBytes(77, 4096);
    zeroHeader.fill(0, 0, 1024);
    expect(trialRawLzma(zeroHeader, true)).toBeUndefined();
  });

  it('bounds the output of a trial inflate (a bomb costs at most the cap)', () => {
    const bomb = new Uint8Array(zlib.deflateRawSync(Buffer.alloc(8 * 1024 * 1024)));
    const t = trialInflate(bomb, 'raw', true);
    expect(t).toMatchObject({ ok: true, capped: true });
  });
});

describe('trial decodes leave the process as they found it', () => {
  it('restores Error.stackTraceLimit after decodes that fail (it is lowered only while a decoder runs)', () => {
    const before = Error.stackTraceLimit;
    const random = seededBytes(7, 4096);
    expect(trialBrotli(random, true).ok).toBe(false);
    expect(trialInflate(random, 'zlib', true).ok).toBe(false);
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('still traced').stack).toContain('trial-decode.test');
  });
});
