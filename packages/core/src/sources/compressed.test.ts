/**
 * xz and Zstandard streams, made by the real tools (fixtures/compressed/generate.sh): decoded whole and in
 * bounded steps, concatenated streams read as one, damage reported after the bytes before it, bombs stopped
 * by the ratio guard, and TARs inside them read in one pass per use (hard links by a second pass).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../limits.js';
import { RATIO_FLOOR_BYTES } from './archive-common.js';
import { CODEC_NAMES, codecOf, decompress, isUnsupported, type StreamCodec } from './compressed.js';
import { zstdInWorker } from './zstd-decoder.js';
import { expand, mutant, rng } from './stream-codec.test-helper.js';
import { GzipSource, gzipMemberName, measureGzip } from './gzip.js';
import { bufferReader, nextChunk } from './readers.js';
import type { SourceEntry } from './source.js';
import { guessTar, TarSource } from './tar.js';
import { ZipSource } from './zip.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(here, '../../fixtures/compressed');
const read = (f: string) => fs.readFileSync(path.join(dir, f));
const kdbx = fs.readFileSync(path.resolve(here, '../../../parsers/fixtures/keepass/password.kdbx'));
const CODECS: Array<[StreamCodec, string]> = [
  ['xz', 'xz'],
  ['zstd', 'zst'],
  ['bzip2', 'bz2'],
];

async function entriesOf(source: TarSource | GzipSource): Promise<Array<SourceEntry & { bytes?: Buffer }>> {
  const all: Array<SourceEntry & { bytes?: Buffer }> = [];
  for await (const e of source.entries()) {
    const bytes = e.open ? await (await e.open()).read(0, e.size) : undefined;
    e.release?.();
    all.push({ ...e, ...(bytes ? { bytes } : {}) });
  }
  await source.close();
  return all;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-compressed-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.each(CODECS)('%s streams', (codec, ext) => {
  it('are known by their magic, and named as gzip is', () => {
    expect(codecOf(read(`notes.txt.${ext}`))).toBe(codec);
    expect(codecOf(Buffer.from('plain text'))).toBeUndefined();
    expect(gzipMemberName(`a/notes.txt.${ext}`, Buffer.alloc(0), codec)).toBe('notes.txt');
    expect(gzipMemberName(`backup.t${ext === 'bz2' ? 'bz2' : ext}`, Buffer.alloc(0), codec)).toBe('backup.tar');
    expect(gzipMemberName('blob', Buffer.alloc(0), codec)).toBe('blob.out');
    expect(guessTar(`x.tar.${ext}`, Buffer.alloc(0))).toBe(`tar.${ext}`);
  });

  it('decode a lone stream, and concatenated streams as one (as the tools do)', async () => {
    expect((await expand(codec, read(`notes.txt.${ext}`))).out.toString()).toBe(
      'Meeting notes: the vault moved to the NAS.\n',
    );
    const cat = await expand(codec, read(`concat.${ext}`));
    expect(cat.error).toBeUndefined();
    expect(cat.out.toString()).toBe(codec === 'zstd' ? 'first frame\nsecond frame\n' : 'first stream\nsecond stream\n');
  });

  it('hand out a bomb in bounded steps, and the ratio guard stops it early', async () => {
    const zeros = read(`zeros.${ext}`);
    const all = await expand(codec, zeros);
    expect(all.out.length).toBe(64 * 1024 * 1024);
    expect(all.out.equals(Buffer.alloc(64 * 1024 * 1024))).toBe(true);
    expect(Math.max(...all.chunks)).toBeLessThanOrEqual(4 * 1024 * 1024);
    const m = await measureGzip(
      bufferReader(zeros),
      { limits: { ...DEFAULT_LIMITS, maxExpansionRatio: 100 } },
      0,
      codec,
    );
    expect(m.problem?.code).toBe('ARCHIVE_RATIO_LIMIT');
    expect(m.problem?.message).toMatch(`The ${CODEC_NAMES[codec]} stream expands`);
    // Stopped within a step or two past the floor under which no ratio is refused, well short of 64 MiB.
    expect(m.size).toBeLessThan(RATIO_FLOOR_BYTES + 4 * 1024 * 1024);
  });

  it('fail on bytes that are not a stream, with no output', async () => {
    const garbage = Buffer.from(read(`notes.txt.${ext}`));
    garbage.fill(0x41, 0, 4);
    const r = await expand(codec, garbage);
    expect(r.error?.message).toMatch(`${CODEC_NAMES[codec]} decoder`);
    expect(r.out.length).toBe(0);
  });

  it('read a TAR inside in one pass, a hard link through a second, and the KeePass database whole', async () => {
    const at = path.join(tmp, `backup.tar.${ext}`);
    fs.copyFileSync(path.join(dir, `backup.tar.${ext}`), at);
    const source = await TarSource.fromFile(at);
    expect(source.info.kind).toBe(`tar.${ext}`);
    const check = await source.check();
    expect(check.problem).toBeUndefined();
    const entries = await entriesOf(source);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect([...byPath.keys()].sort()).toEqual(['backup/readme-link.txt', 'backup/readme.txt', 'backup/vault.kdbx']);
    expect(byPath.get('backup/vault.kdbx')!.bytes!.equals(kdbx)).toBe(true);
    expect(byPath.get('backup/readme-link.txt')!.bytes!.toString()).toBe('Passwords are in vault.kdbx.\n');
    expect(byPath.get('backup/vault.kdbx')!.facts?.container?.archive).toBe(source.info.kind);
  });

  it('a TAR cut short keeps what was read, and says where it ends', async () => {
    const at = path.join(tmp, `truncated.tar.${ext}`);
    fs.copyFileSync(path.join(dir, `truncated.tar.${ext}`), at);
    const source = await TarSource.fromFile(at, at, undefined, { nested: true });
    const entries = await entriesOf(source);
    const problem = entries.find((e) => e.error?.code === 'ARCHIVE_TRUNCATED');
    expect(problem?.error?.message).toMatch(/ends early \(truncated\)/);
    if (codec === 'xz') {
      // xz hands out its blocks' bytes as they decode: the members before the cut are read.
      const vault = entries.find((e) => e.path === 'backup/vault.kdbx');
      expect(vault?.facts?.problems?.[0]?.code).toBe('MEMBER_TRUNCATED');
      expect(vault!.bytes!.equals(kdbx.subarray(0, vault!.size))).toBe(true);
    }
  });

  it('a lone stream is one member, read the same whether kept or decoded again', async () => {
    const bytes = read(`notes.txt.${ext}`);
    for (const keep of [1 << 20, 0]) {
      const base = bufferReader(bytes);
      const measured = await measureGzip(base, {}, keep, codec);
      const source = new GzipSource(
        base,
        async () => undefined,
        { name: 'notes.txt', ...measured },
        { path: `notes.txt.${ext}`, kind: 'file' },
        {},
        codec,
      );
      const [entry] = await entriesOf(source);
      expect(entry!.facts?.container?.archive).toBe(codec);
      expect(entry!.bytes!.toString()).toBe('Meeting notes: the vault moved to the NAS.\n');
    }
  });
});

describe('bytes after the last xz stream', () => {
  it('come after both streams, whole, then the error xz -d gives too (it writes the streams, then fails)', async () => {
    const r = await expand('xz', read('trailing-garbage.xz'));
    expect(r.out.toString()).toBe('first stream\nsecond stream\n');
    expect(r.error?.message).toMatch(/bytes after the last whole stream are not an xz stream/);
    // Fed a byte at a time, the streams' ends fall anywhere in the decoder's pieces: the same bytes come out.
    const trickled = decompress('xz', Readable.from([...read('trailing-garbage.xz')].map((b) => Buffer.from([b]))));
    const parts: Buffer[] = [];
    await expect(
      (async () => {
        for await (const c of trickled) parts.push(c as Buffer);
      })(),
    ).rejects.toThrow(/not an xz stream/);
    expect(Buffer.concat(parts).toString()).toBe('first stream\nsecond stream\n');
  });
});

describe('bytes after the last bzip2 stream', () => {
  it('are ignored after both streams, as bzip2 -d ignores them, and reported with their offset and length', async () => {
    const bytes = read('trailing-garbage.bz2');
    for (const [input, tail] of [
      [bytes, 16],
      // Fewer bytes than a stream header after the streams.
      [bytes.subarray(0, bytes.length - 14), 2],
    ] as const) {
      const heard: Array<{ offset: number; length: number }> = [];
      const parts: Buffer[] = [];
      for await (const c of decompress('bzip2', Readable.from([input]), (t) => heard.push(t))) parts.push(c as Buffer);
      expect(Buffer.concat(parts).toString()).toBe('first stream\nsecond stream\n');
      expect(heard).toEqual([{ offset: input.length - tail, length: tail }]);
    }
    // Nothing after the streams, however the input is cut into pieces: nothing is reported. The decoder reads
    // 64 KiB or more at a time, so a piece that large holding the end is met again only on the next header's read
    // (Go's Isaac.Newton-Opticks.txt.bz2, 132,469 bytes read in one piece, was said to have 0 trailing bytes).
    const one = read('concat.bz2');
    const concat = Buffer.concat(Array.from({ length: Math.ceil((80 * 1024) / one.length) }, () => one));
    for (const piece of [concat.length, 1024 * 1024, 7, 64, 65 * 1024]) {
      const pieces = Array.from({ length: Math.ceil(concat.length / piece) }, (_, i) =>
        concat.subarray(i * piece, (i + 1) * piece),
      );
      const heard: unknown[] = [];
      const parts: Buffer[] = [];
      for await (const c of decompress('bzip2', Readable.from(pieces), (t) => heard.push(t))) parts.push(c as Buffer);
      expect(Buffer.concat(parts).length).toBeGreaterThan(0);
      expect(heard, `pieces of ${piece} bytes`).toEqual([]);
    }
  });
});

describe('bytes after an LZMA-alone stream or the last lzip member', () => {
  it('are not read, and are reported with their offset and length (xz --format=lzma and lzip made the streams)', async () => {
    const junk = Buffer.from('appended: not a stream\n');
    for (const [codec, file] of [
      ['lzma', 'notes.txt.lzma'],
      ['lzip', 'notes.txt.lz'],
    ] as const) {
      const bytes = read(file);
      for (const [input, expected] of [
        [Buffer.concat([bytes, junk]), [{ offset: bytes.length, length: junk.length }]],
        [bytes, []],
      ] as const) {
        const heard: Array<{ offset: number; length: number }> = [];
        const parts: Buffer[] = [];
        for await (const c of decompress(codec, Readable.from([input]), (t) => heard.push(t))) parts.push(c as Buffer);
        expect(Buffer.concat(parts).toString()).toBe('Meeting notes: the vault moved to the NAS.\n');
        expect(heard, `${file}, ${input.length} bytes`).toEqual(expected);
      }
    }
  });
});

describe('xz streams the WebAssembly decoder lacks the options for', () => {
  it('a BCJ-filtered stream (xz --x86, how 7-Zip and WinZip store executables) is an error naming why', async () => {
    const bcj = read('bcj-x86.xz');
    const r = await expand('xz', bcj);
    expect(r.error?.message).toMatch(/unsupported options \(a BCJ filter/);
    expect(isUnsupported(r.error)).toBe(true);
  });
});

describe('valid streams needing what the decoders lack are told apart from damaged ones', () => {
  it.each([
    ['dict96.xz', 'xz', /a dictionary larger than the 64 MiB this decoder allows/, 'xz -d'],
    ['long-window.zst', 'zstd', /needs a 2147483648-byte window.*--memory=2048MB/, 'zstd -d'],
    ['zstd-dictionary.zst', 'zstd', /a dictionary \(ID \d+\) that is not in the stream/, 'zstd -d'],
    ['delta.xz', 'xz', /unsupported options \(a BCJ filter, a delta filter or a SHA-256 check/, 'xz -d'],
    ['sha256.xz', 'xz', /unsupported options/, 'xz -d'],
  ] as const)('%s: ARCHIVE_UNSUPPORTED, naming the tool that reads it', async (file, codec, why, tool) => {
    const r = await expand(codec, read(file));
    expect(r.error?.message).toMatch(why);
    expect(isUnsupported(r.error)).toBe(true);
    const m = await measureGzip(bufferReader(read(file)), { limits: DEFAULT_LIMITS }, 0, codec);
    expect(m.problem?.code).toBe('ARCHIVE_UNSUPPORTED');
    expect(m.problem?.message).toContain(`\`${tool}\``);
    expect(m.problem?.message).toMatch(/is not damaged/);
  });

  it.each(CODECS)('a damaged %s stream stays damage (ARCHIVE_CORRUPT or ARCHIVE_TRUNCATED)', async (codec, ext) => {
    const cut = read(`notes.txt.${ext}`).subarray(0, 20);
    const r = await expand(codec, cut);
    expect(r.error).toBeDefined();
    expect(isUnsupported(r.error)).toBe(false);
    const m = await measureGzip(bufferReader(cut), { limits: DEFAULT_LIMITS }, 0, codec);
    expect(['ARCHIVE_TRUNCATED', 'ARCHIVE_CORRUPT']).toContain(m.problem?.code);
  });
});

describe('a bzip2 block that never ends', () => {
  it('is refused once it spans more compressed bytes than any block holds, not kept whole in memory', async () => {
    // Code lengths "decrement, increment" for ever (generate.sh): bzip2 1.0.8 reads on to the end of the input.
    const head = read('bzip2-endless-lengths.bz2');
    expect((await expand('bzip2', head)).error?.message).toMatch(/unexpected end of the stream/);
    const endless = Readable.from(
      (function* () {
        yield head;
        for (let i = 0; i < 64; i++) yield Buffer.alloc(64 * 1024, 0xee);
      })(),
    );
    let pulled = 0;
    endless.on('data', (c: Buffer) => (pulled += c.length));
    const r = decompress('bzip2', endless);
    await expect(nextChunk(r)).rejects.toThrow(/a block that goes on past \d+ compressed bytes/);
    // A "BZh1" block spans at most 100000 symbols of 20 bits and 1 MiB of tables: it stopped near there.
    expect(pulled).toBeLessThan(4 * 1024 * 1024);
  });
});

describe('zstd streams that start with a skippable frame (pzstd)', () => {
  it('are known by the frame after it, and decode', async () => {
    const pz = read('pzstd-numbers.zst');
    expect(pz.readUInt32LE(0)).toBe(0x184d2a50);
    expect(codecOf(pz.subarray(0, 64))).toBe('zstd');
    // A skippable frame alone, or one running past the head, is no zstd stream known from its start.
    expect(codecOf(pz.subarray(0, 12))).toBeUndefined();
    expect((await expand('zstd', pz)).out.toString()).toBe(
      Array.from({ length: 3000 }, (_, i) => `${i + 1}\n`).join(''),
    );
  });
});

describe('zstd frame windows', () => {
  it('a frame asking for a window past 128 MiB (zstd -d refuses it too) is refused before it is allocated', async () => {
    // RFC 8878 §3.1.1.1: magic, descriptor 0 (a window descriptor follows), window log 10 + 21 = 2 GiB, then a last raw block.
    const frame = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 21 << 3, 0x19, 0x00, 0x00, 0x41, 0x42, 0x43]);
    const r = await expand('zstd', frame);
    expect(r.error?.message).toMatch(/needs a 2147483648-byte window/);
    // The same frame with a 1 MiB window decodes its three bytes.
    const ok = Buffer.from(frame);
    ok[5] = 10 << 3;
    expect((await expand('zstd', ok)).out.toString()).toBe('ABC');
  });
});

describe('a Zstandard frame the decoder loops on', () => {
  it('ends the stream with an error from the watchdog, and the next stream still decodes', async () => {
    // fzstd never returns on this frame from the Go zstd package's fuzzing corpus (generate.sh): on the main thread
    // the scan would have stalled for good. The step timeout is shortened here; the scan's is STEP_TIMEOUT_MS.
    const looping = read('zstd-decoder-loop.zst');
    const parts: Buffer[] = [];
    const run = async () => {
      for await (const c of zstdInWorker(Readable.from([looping]), () => undefined, 1000)) parts.push(c);
    };
    await expect(run()).rejects.toThrow(/no progress within 1 s/);
    expect(Buffer.concat(parts).length).toBe(0);
    expect((await expand('zstd', read('notes.txt.zst'))).out.toString()).toBe(
      'Meeting notes: the vault moved to the NAS.\n',
    );
  });
});

describe('mutation fuzzing of the decoders', () => {
  it.each(CODECS)(
    '%s: damaged streams end (bytes or an error) in bounded steps, never hang or grow without bound',
    async (codec, ext) => {
      const r = rng(0x29a + ext.length);
      const seeds = ['backup.tar', 'notes.txt', 'concat'].map((f) =>
        read(f === 'concat' ? `concat.${ext}` : `${f}.${ext}`),
      );
      for (let i = 0; i < 150; i++) {
        const bytes = mutant(seeds[i % seeds.length]!, r);
        const got = await expand(codec, bytes);
        // What a damaged stream of at most 2 KiB may yield: a few blocks' worth, never unbounded.
        expect(got.out.length).toBeLessThanOrEqual(64 * 1024 * 1024);
        if (got.error) expect(got.error.message).toMatch(`${CODEC_NAMES[codec]} decoder`);
      }
    },
    60_000,
  );
});

describe('streams cut at every byte', () => {
  it.each(CODECS)(
    '%s: every cut ends, with a prefix of the whole and an error unless it falls between two streams',
    async (codec, ext) => {
      // The TAR only for xz and bzip2: each failed Zstandard stream ends its thread (tens of ms to start again).
      const files = [`notes.txt.${ext}`, `concat.${ext}`, ...(codec === 'zstd' ? [] : [`backup.tar.${ext}`])];
      for (const f of files) {
        const whole = read(f);
        const full = (await expand(codec, whole)).out;
        for (let cut = 0; cut < whole.length; cut++) {
          const got = await expand(codec, whole.subarray(0, cut));
          expect(full.subarray(0, got.out.length).equals(got.out)).toBe(true);
          if (!got.error) {
            // A clean end short of the whole: only where the first of two concatenated streams ends.
            expect(f).toMatch(/^concat/);
            expect(got.out.length).toBeLessThan(full.length);
          } else expect(got.error.message).toMatch(`${CODEC_NAMES[codec]} decoder`);
        }
      }
    },
    120_000,
  );
});

describe('ZIP members compressed with bzip2 (12), xz (95) and Zstandard (93)', () => {
  const numbers = Array.from({ length: 3000 }, (_, i) => `${i + 1}\n`).join('');
  it.each([
    ['members.zip', 'bzip2'],
    ['xz-member.zip', 'xz'],
    ['zstd-member.zip', 'zstd'],
  ])('%s: the member is read through the %s decoder', async (file, method) => {
    const source = await ZipSource.fromFile(path.join(dir, file));
    const entries: SourceEntry[] = [];
    for await (const e of source.entries()) {
      entries.push(e);
      expect(e.error).toBeUndefined();
      expect(e.facts?.container?.method).toBe(method);
      const r = await e.open!();
      expect((await r.read(0, e.size)).toString()).toBe(numbers);
      // A read from the middle, as a probe's window is.
      expect((await r.read(10000, 5)).toString()).toBe(numbers.slice(10000, 10005));
      await r.close();
      e.release?.();
    }
    await source.close();
    expect(entries.map((e) => e.path)).toEqual(['numbers.txt']);
  });
});
