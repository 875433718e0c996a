/**
 * LZ4 (frames, legacy frames, Firefox's mozLz4), compress (.Z) and lzop streams made by the real tools
 * (fixtures/compressed/generate.sh: lz4 1.9.4, ncompress 5.0, lzop 1.04; mozLz4 from its published layout): decoded
 * whole and a byte at a time, bombs handed out in bounded steps, damage reported after the bytes before it, TARs
 * inside read, and mutants of every fixture decoded to an end or an error naming the decoder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../limits.js';
import { RATIO_FLOOR_BYTES } from './archive-common.js';
import { codecFor, codecOf, decompress, isUnsupported, type StreamCodec } from './compressed.js';
import { gzipMemberName, measureGzip } from './gzip.js';
import { xxh32 } from './lz4.js';
import { adler32 } from './lzo.js';
import { bufferReader } from './readers.js';
import { expand, mutant, readCompressedTar, rng } from './stream-codec.test-helper.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(here, '../../fixtures/compressed');
const read = (f: string) => fs.readFileSync(path.join(dir, f));
const kdbx = fs.readFileSync(path.resolve(here, '../../../parsers/fixtures/keepass/password.kdbx'));
const NOTE = 'Meeting notes: the vault moved to the NAS.\n';
const seq = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}\n`).join('');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-lz4-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const KINDS: Array<[StreamCodec, string]> = [
  ['lz4', 'lz4'],
  ['compress', 'Z'],
  ['lzop', 'lzo'],
];

describe.each(KINDS)('%s streams', (codec, ext) => {
  it('are known by their magic and decode a lone stream, fed whole or a byte at a time', async () => {
    const bytes = read(`notes.txt.${ext}`);
    expect(codecOf(bytes)).toBe(codec);
    expect((await expand(codec, bytes)).out.toString()).toBe(NOTE);
    const parts: Buffer[] = [];
    for await (const c of decompress(codec, Readable.from([...bytes].map((b) => Buffer.from([b])))))
      parts.push(c as Buffer);
    expect(Buffer.concat(parts).toString()).toBe(NOTE);
    expect(gzipMemberName(`a/notes.txt.${ext}`, Buffer.alloc(0), codec)).toBe('notes.txt');
  });

  it('hand out a bomb in steps of at most 64 KiB', async () => {
    const all = await expand(codec, read(`zeros.${ext}`));
    expect(all.error).toBeUndefined();
    expect(all.out.length).toBe(4 * 1024 * 1024);
    expect(all.out.equals(Buffer.alloc(4 * 1024 * 1024))).toBe(true);
    expect(Math.max(...all.chunks)).toBeLessThanOrEqual(64 * 1024 + 65536);
  });

  it('a stream cut short gives what it decoded, then an error (LZ4, lzop) or its end (.Z has no end marker)', async () => {
    // An LZ4 block is decoded whole: zeros.lz4 is one 4 MiB block, linked.lz4 is 64 KiB blocks.
    const zeros = read(codec === 'lz4' ? 'linked.lz4' : `zeros.${ext}`);
    const cut = await expand(codec, zeros.subarray(0, zeros.length >> 1));
    expect(cut.out.length).toBeGreaterThan(0);
    if (codec === 'compress') expect(cut.error).toBeUndefined();
    else expect(cut.error?.message).toMatch(/decoder: unexpected end of the stream/);
  });

  it('read a TAR inside in one pass, and the KeePass database whole', async () => {
    const at = path.join(tmp, `backup.tar.${ext}`);
    fs.copyFileSync(path.join(dir, `backup.tar.${ext}`), at);
    const { guessed, kind, problem, members: entries } = await readCompressedTar(at, `tar.${ext}`);
    expect(guessed).toBe(`tar.${ext}`);
    expect(kind).toBe(`tar.${ext}`);
    expect(problem).toBeUndefined();
    expect(entries.get('backup/vault.kdbx')!.equals(kdbx)).toBe(true);
  });
});

describe('LZ4', () => {
  it('reads legacy frames, linked blocks with block checksums and a content size, and frames one after another', async () => {
    expect((await expand('lz4', read('legacy.lz4'))).out.toString()).toBe(seq(3000));
    const linked = await expand('lz4', read('linked.lz4'));
    expect(linked.error).toBeUndefined();
    expect(linked.out.length).toBe(300000);
    expect(linked.out.toString().startsWith('a line of the case log, repeated\n')).toBe(true);
    expect((await expand('lz4', read('concat.lz4'))).out.toString()).toBe('first frame\nsecond frame\n');
  });

  it("reads Firefox's mozLz4 and names its member as Firefox's JSON", async () => {
    const moz = read('notes.txt.jsonlz4');
    expect(codecOf(moz)).toBe('lz4');
    expect((await expand('lz4', moz)).out.toString()).toBe(NOTE);
    expect(gzipMemberName('profile/sessionstore-backups/recovery.jsonlz4', moz, 'lz4')).toBe('recovery.json');
    expect(gzipMemberName('search.json.mozlz4', moz, 'lz4')).toBe('search.json');
    // A size the block does not reach is an early end.
    const short = Buffer.from(moz);
    short.writeUInt32LE(NOTE.length + 10, 8);
    expect((await expand('lz4', short)).error?.message).toMatch(/LZ4 decoder: unexpected end of the stream/);
  });

  it('checks the descriptor, block and content checksums (XXH32)', async () => {
    expect(xxh32(Buffer.alloc(0))).toBe(0x02cc5d05);
    expect(xxh32(Buffer.from('a line of the case log, repeated\n'.repeat(3)))).toBe(
      xxh32(Buffer.from('a line of the case log, repeated\n'.repeat(3))),
    );
    const note = read('notes.txt.lz4');
    const badHeader = Buffer.from(note);
    badHeader[6] = badHeader[6]! ^ 1;
    expect((await expand('lz4', badHeader)).error?.message).toMatch(/descriptor whose check byte does not match/);
    const badContent = Buffer.from(note);
    badContent[badContent.length - 1] = badContent[badContent.length - 1]! ^ 1;
    const r = await expand('lz4', badContent);
    expect(r.out.toString()).toBe(NOTE);
    expect(r.error?.message).toMatch(/LZ4 decoder: a frame whose content checksum does not match/);
    const linked = Buffer.from(read('linked.lz4'));
    linked[20] = linked[20]! ^ 1;
    expect((await expand('lz4', linked)).error?.message).toMatch(/LZ4 decoder: /);
  });

  it('a frame that needs a dictionary is unsupported, not damage; a skippable frame leads to the frame', async () => {
    // FLG with the dictionary-ID bit, BD 64 KiB, a dictionary ID, then the descriptor's check byte.
    const desc = Buffer.from([0x61, 0x40, 1, 2, 3, 4]);
    const frame = Buffer.concat([Buffer.from([4, 0x22, 0x4d, 0x18]), desc, Buffer.from([(xxh32(desc) >>> 8) & 0xff])]);
    const r = await expand('lz4', frame);
    expect(r.error?.message).toMatch(/a frame compressed with a dictionary \(ID 67305985\)/);
    expect(isUnsupported(r.error)).toBe(true);
    const skippable = Buffer.concat([
      Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]),
      read('notes.txt.lz4'),
    ]);
    expect(codecOf(skippable)).toBeUndefined();
    expect(codecFor(skippable, 'lz4')).toBe('lz4');
    expect((await expand('lz4', skippable)).out.toString()).toBe(NOTE);
  });

  it('frames of zeros one after another pass the ratio guard only to its floor', async () => {
    const bomb = Buffer.concat(Array.from({ length: 12 }, () => read('zeros.lz4')));
    const m = await measureGzip(
      bufferReader(bomb),
      { limits: { ...DEFAULT_LIMITS, maxExpansionRatio: 100 } },
      0,
      'lz4',
    );
    expect(m.problem?.code).toBe('ARCHIVE_RATIO_LIMIT');
    expect(m.size).toBeLessThan(RATIO_FLOOR_BYTES + 4 * 1024 * 1024);
  });
});

describe('compress (.Z)', () => {
  it('reads a 12-bit table that fills and is cleared (compress -b12)', async () => {
    expect((await expand('compress', read('numbers-b12.Z'))).out.toString()).toBe(seq(20000));
  });

  it('a code past the table is corrupt; a header outside 9-16 bits is not compress', async () => {
    const bad = Buffer.from(read('notes.txt.Z'));
    bad[4] = 0xff;
    bad[5] = 0x01;
    expect((await expand('compress', bad)).error?.message).toMatch(/compress \(\.Z\) decoder: corrupt data/);
    const wide = Buffer.from(read('notes.txt.Z'));
    wide[2] = 0x80 | 17;
    expect(codecOf(wide)).toBeUndefined();
    expect((await expand('compress', wide)).error?.message).toMatch(/a largest code width of 17 bits/);
  });
});

describe('lzop', () => {
  it('checks each block against its Adler-32; a method it lacks is unsupported', async () => {
    expect(adler32(Buffer.from('Wikipedia'))).toBe(0x11e60398);
    const note = read('notes.txt.lzo');
    const bad = Buffer.from(note);
    bad[bad.length - 6] = bad[bad.length - 6]! ^ 1;
    expect((await expand('lzop', bad)).error?.message).toMatch(/lzop decoder: /);
    // The method byte (after magic, version, library version, version needed): not LZO1X; its header sum is redone.
    const other = Buffer.from(note);
    other[15] = 0x40;
    const r = await expand('lzop', other);
    expect(r.error?.message).toMatch(/lzop method 64/);
    expect(isUnsupported(r.error)).toBe(true);
  });

  it('blocks of zeros repeated pass the ratio guard only to its floor', async () => {
    const zeros = read('zeros.lzo');
    // Header through the checksum after the name, then blocks, then the 4-byte end marker.
    const headerEnd = 9 + 2 + 2 + 2 + 1 + 1 + 4 + 4 + 8 + 1 + zeros[33]! + 4;
    const blocks = zeros.subarray(headerEnd, zeros.length - 4);
    const bomb = Buffer.concat([
      zeros.subarray(0, headerEnd),
      ...Array.from({ length: 12 }, () => blocks),
      Buffer.alloc(4),
    ]);
    expect((await expand('lzop', bomb)).out.length).toBe(48 * 1024 * 1024);
    const m = await measureGzip(
      bufferReader(bomb),
      { limits: { ...DEFAULT_LIMITS, maxExpansionRatio: 100 } },
      0,
      'lzop',
    );
    expect(m.problem?.code).toBe('ARCHIVE_RATIO_LIMIT');
  });
});

describe('mutation fuzzing of the LZ4, LZW and LZO decoders (fixed seed)', () => {
  it('decodes every mutant of every fixture to an end or to an error naming the decoder, with bounded output', async () => {
    const r = rng(2026120846);
    const seeds: Array<[StreamCodec, Buffer]> = [
      ['lz4', read('notes.txt.lz4')],
      ['lz4', read('backup.tar.lz4')],
      ['lz4', read('legacy.lz4')],
      ['lz4', read('linked.lz4')],
      ['lz4', read('notes.txt.jsonlz4')],
      ['compress', read('backup.tar.Z')],
      ['compress', read('notes.txt.Z')],
      ['lzop', read('backup.tar.lzo')],
      ['lzop', read('notes.txt.lzo')],
    ];
    let errors = 0;
    for (let i = 0; i < 450; i++) {
      const [codec, seed] = seeds[i % seeds.length]!;
      const input = mutant(seed, r);
      const out = await expand(codec, input);
      if (out.error) {
        errors++;
        expect(out.error.message).toMatch(/^(LZ4|compress \(\.Z\)|lzop) decoder: /);
      }
      // LZ4 and LZO expand at most 255 bytes per input byte plus a block; LZW at most a 64 KiB string per code.
      expect(out.out.length).toBeLessThanOrEqual(65536 * 2 * input.length + 4 * 1024 * 1024);
    }
    expect(errors).toBeGreaterThan(100);
  });
});
