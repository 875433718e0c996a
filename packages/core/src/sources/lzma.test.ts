/**
 * LZMA streams made by the real tools (fixtures/compressed/generate.sh: xz --format=lzma, lzip, 7-Zip's ZIP
 * method 14): decoded whole and in bounded steps, lzip members read as one, damage and bombs reported, TARs
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
import { LzmaDecoder, MAX_DICTIONARY } from './lzma.js';
import { bufferReader } from './readers.js';
import { expand, mutant, readCompressedTar, rng } from './stream-codec.test-helper.js';
import { ZipSource } from './zip.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(here, '../../fixtures/compressed');
const read = (f: string) => fs.readFileSync(path.join(dir, f));
const kdbx = fs.readFileSync(path.resolve(here, '../../../parsers/fixtures/keepass/password.kdbx'));
const NOTE = 'Meeting notes: the vault moved to the NAS.\n';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-lzma-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const KINDS: Array<[StreamCodec, string]> = [
  ['lzma', 'lzma'],
  ['lzip', 'lz'],
];

describe.each(KINDS)('%s streams', (codec, ext) => {
  it('decode a lone stream, fed whole or a few bytes at a time', async () => {
    expect((await expand(codec, read(`notes.txt.${ext}`))).out.toString()).toBe(NOTE);
    const bytes = read(`notes.txt.${ext}`);
    const trickle = Readable.from([...bytes].map((b) => Buffer.from([b])));
    const parts: Buffer[] = [];
    for await (const c of decompress(codec, trickle)) parts.push(c as Buffer);
    expect(Buffer.concat(parts).toString()).toBe(NOTE);
  });

  it('hand out a bomb in 64 KiB steps, and the ratio guard stops it early', async () => {
    const zeros = read(`zeros.${ext}`);
    const all = await expand(codec, zeros);
    expect(all.error).toBeUndefined();
    expect(all.out.length).toBe(64 * 1024 * 1024);
    expect(all.out.equals(Buffer.alloc(64 * 1024 * 1024))).toBe(true);
    expect(Math.max(...all.chunks)).toBeLessThanOrEqual(64 * 1024 + 273);
    const m = await measureGzip(
      bufferReader(zeros),
      { limits: { ...DEFAULT_LIMITS, maxExpansionRatio: 100 } },
      0,
      codec,
    );
    expect(m.problem?.code).toBe('ARCHIVE_RATIO_LIMIT');
    // Stopped within a step or two past the floor under which no ratio is refused, well short of 64 MiB.
    expect(m.size).toBeLessThan(RATIO_FLOOR_BYTES + 4 * 1024 * 1024);
  });

  it('a small stream cut short gives the bytes it decoded before the cut, then the error', async () => {
    const bytes = read(`notes.txt.${ext}`);
    const cut = await expand(codec, bytes.subarray(0, bytes.length - (codec === 'lzip' ? 26 : 8)));
    expect(cut.error?.message).toMatch(/decoder: unexpected end of the stream/);
    expect(cut.out.length).toBeGreaterThan(0);
    expect(NOTE.startsWith(cut.out.toString())).toBe(true);
  });

  it('a stream cut short gives what it decoded, then an error saying it ended early', async () => {
    const zeros = read(`zeros.${ext}`);
    const cut = await expand(codec, zeros.subarray(0, zeros.length >> 1));
    expect(cut.error?.message).toMatch(/decoder: unexpected end of the stream/);
    expect(cut.out.length).toBeGreaterThan(0);
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

describe('what tells the LZMA kinds apart', () => {
  it('lzip by its magic; LZMA-alone, which has none, only where a detector decoded it', () => {
    expect(codecOf(read('notes.txt.lz'))).toBe('lzip');
    expect(codecOf(read('notes.txt.lzma'))).toBeUndefined();
    expect(codecFor(read('notes.txt.lzma'), 'lzma')).toBe('lzma');
    expect(codecFor(read('notes.txt.lzma'), undefined)).toBeUndefined();
    expect(gzipMemberName('a/notes.txt.lzma', Buffer.alloc(0), 'lzma')).toBe('notes.txt');
    expect(gzipMemberName('backup.tlz', Buffer.alloc(0), 'lzma')).toBe('backup.tar');
    expect(gzipMemberName('a/notes.txt.lz', Buffer.alloc(0), 'lzip')).toBe('notes.txt');
  });

  it('an LZMA-alone header may give the size and the stream still end with a marker (both are valid)', async () => {
    const sized = Buffer.from(read('notes.txt.lzma'));
    sized.writeUInt32LE(NOTE.length, 5);
    sized.writeUInt32LE(0, 9);
    expect((await expand('lzma', sized)).out.toString()).toBe(NOTE);
    // A size the stream's marker comes before is an early end.
    sized.writeUInt32LE(NOTE.length + 5, 5);
    expect((await expand('lzma', sized)).error?.message).toMatch(/LZMA decoder: unexpected end of the stream/);
  });

  it('lzip members one after the other read as one; a member whose CRC-32 is wrong is an error', async () => {
    expect((await expand('lzip', read('concat.lz'))).out.toString()).toBe('first member\nsecond member\n');
    const bad = Buffer.from(read('notes.txt.lz'));
    bad.writeUInt8(bad.readUInt8(bad.length - 20) ^ 1, bad.length - 20);
    expect((await expand('lzip', bad)).error?.message).toMatch(/lzip decoder: a member whose CRC-32 does not match/);
  });

  it('a member whose trailer gives another member size is an error, as `lzip -t` says (its data is still given)', async () => {
    const good = read('concat.lz');
    const lying = Buffer.from(good);
    // The first member's trailer ends where the second member's "LZIP" begins.
    const second = lying.indexOf('LZIP', 4);
    lying.writeBigUInt64LE(2n ** 62n, second - 8);
    const r = await expand('lzip', lying);
    expect(r.out.toString()).toBe('first member\n');
    expect(r.error?.message).toMatch(
      /lzip decoder: a member whose trailer gives a member size of 4611686018427388000 bytes, not its \d+/,
    );
  });

  it('a header asking for a dictionary past 64 MiB is refused before it is allocated', async () => {
    const big = Buffer.from(read('notes.txt.lzma'));
    big.writeUInt32LE(0x80000000, 1);
    big.writeUInt32LE(0xffffffff, 5);
    big.writeUInt32LE(0xffffffff, 9);
    const refused = (await expand('lzma', big)).error;
    expect(refused?.message).toMatch(new RegExp(`2147483648-byte dictionary, past the ${MAX_DICTIONARY} bytes`));
    // Valid, and read by xz --format=lzma -d: not damage (ARCHIVE_UNSUPPORTED where it is recorded).
    expect(isUnsupported(refused)).toBe(true);
    // With the size given, a smaller dictionary is enough: the one the header asked for is not needed.
    expect(() => new LzmaDecoder({ lc: 3, lp: 0, pb: 2, dictionarySize: 2 ** 31 }, 1000)).not.toThrow();
  });

  it('bytes that are not LZMA fail with no output', async () => {
    const garbage = Buffer.from(read('notes.txt.lzma'));
    garbage[0] = 0xff;
    const r = await expand('lzma', garbage);
    expect(r.error?.message).toMatch(/LZMA decoder: not an LZMA stream: a properties byte of 255/);
    expect(r.out.length).toBe(0);
  });
});

describe('ZIP members compressed with LZMA (method 14)', () => {
  it('are read, by the size the central directory gives', async () => {
    const at = path.join(tmp, 'lzma-member.zip');
    fs.copyFileSync(path.join(dir, 'lzma-member.zip'), at);
    const zip = await ZipSource.fromFile(at);
    const got: Array<[string, string | undefined, Buffer | undefined]> = [];
    for await (const e of zip.entries())
      got.push([
        e.path,
        String(e.facts?.container?.method),
        e.open ? await (await e.open()).read(0, e.size) : undefined,
      ]);
    await zip.close();
    const numbers = Array.from({ length: 3000 }, (_, i) => `${i + 1}\n`).join('');
    expect(got.map(([p, m]) => [p, m])).toEqual([['numbers.txt', 'lzma']]);
    expect(got[0]![2]!.toString()).toBe(numbers);
  });
});

describe('mutation fuzzing of the LZMA decoder (fixed seed)', () => {
  it('decodes every mutant of every fixture to an end or to an error naming the decoder, with bounded output', async () => {
    const r = rng(2026120701);
    const seeds: Array<[StreamCodec, Buffer]> = [
      ['lzma', read('notes.txt.lzma')],
      ['lzma', read('backup.tar.lzma')],
      ['lzip', read('concat.lz')],
      ['lzip', read('backup.tar.lz')],
    ];
    let errors = 0;
    for (let i = 0; i < 400; i++) {
      const [codec, seed] = seeds[i % seeds.length]!;
      const input = mutant(seed, r);
      const out = await expand(codec, input);
      if (out.error) {
        errors++;
        expect(out.error.message).toMatch(/^(LZMA|lzip) decoder: /);
      }
      // A mutated header may declare any size; what comes out is still bounded by the input's symbols.
      expect(out.out.length).toBeLessThanOrEqual(273 * 8 * input.length + 64 * 1024);
    }
    expect(errors).toBeGreaterThan(100);
  });
});
