/**
 * Reading a ZIP member where it lies (zip-member.ts, what the probe workers
 * do) gives the bytes and the errors the ZIP source's own reader gives, on
 * ZIPs made by Info-ZIP zip and on odd layouts written from the APPNOTE
 * (packages/core/fixtures/zip-member/generate.sh): a local header whose extra
 * field differs from the central copy, a lying local header, sizes that lie
 * (a bomb cut at its declared size), damaged and truncated data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SourceEntry } from './source.js';
import { ZipSource } from './zip.js';
import { readStoredRanges, streamMember } from './zip-member.js';

const FIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/zip-member');
const zips = ['tree.zip', 'local-extra.zip', 'bad-local.zip', 'bomb.zip', 'damaged.zip', 'truncated.zip'];

type Outcome = { bytes: Buffer } | { error: string };
const errorOf = (o: Outcome): string | undefined => ('error' in o ? o.error : undefined);

/** The member through the source's reader, read whole in 1 MiB steps as hashing does. */
async function viaSource(entry: SourceEntry): Promise<Outcome> {
  try {
    const r = await entry.open!();
    try {
      const parts: Buffer[] = [];
      for (let pos = 0; pos < r.size;) {
        const b = await r.read(pos, Math.min(1024 * 1024, r.size - pos));
        if (b.length === 0) break;
        parts.push(Buffer.from(b));
        pos += b.length;
      }
      return { bytes: Buffer.concat(parts) };
    } finally {
      await r.close();
    }
  } catch (err) {
    return { error: `${(err as { code?: string }).code}: ${(err as Error).message}` };
  }
}

/** The member read where it lies, with the largest piece handed over at once. */
async function whereItLies(entry: SourceEntry): Promise<Outcome & { largest?: number }> {
  const loc = entry.location!;
  const fd = fs.openSync(typeof loc.file === 'string' ? loc.file : Buffer.from(loc.file), 'r');
  try {
    const parts: Buffer[] = [];
    let next = 0;
    let largest = 0;
    const got = await streamMember(fd, fs.fstatSync(fd).size, loc, (bytes, at) => {
      expect(at).toBe(next); // in order, no gaps
      next += bytes.length;
      largest = Math.max(largest, bytes.length);
      parts.push(Buffer.from(bytes));
    });
    expect(got).toBe(next);
    return { bytes: Buffer.concat(parts), largest };
  } catch (err) {
    return { error: `${(err as { code?: string }).code}: ${(err as Error).message}` };
  } finally {
    fs.closeSync(fd);
  }
}

async function members(zip: string): Promise<Map<string, SourceEntry>> {
  const src = await ZipSource.fromFile(path.join(FIX, zip));
  const out = new Map<string, SourceEntry>();
  for await (const e of src.entries()) out.set(e.path, e);
  // Entries keep reading through the source: closed by the caller's cleanup below.
  closers.push(() => src.close());
  return out;
}
const closers: Array<() => Promise<void>> = [];

describe('streamMember', () => {
  it('gives every located member of every fixture exactly what the source reader gives', async () => {
    let located = 0;
    for (const zip of zips) {
      for (const [p, entry] of await members(zip)) {
        if (!entry.location) continue;
        located++;
        const mine = await whereItLies(entry);
        const theirs = await viaSource(entry);
        if ('error' in theirs) expect(mine, `${zip} ${p}`).toEqual({ error: theirs.error });
        else {
          expect('bytes' in mine, `${zip} ${p}: ${JSON.stringify(mine)}`).toBe(true);
          expect((mine as { bytes: Buffer }).bytes.equals(theirs.bytes), `${zip} ${p}`).toBe(true);
        }
      }
    }
    expect(located).toBeGreaterThanOrEqual(15);
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  it('locates only plain stored and deflated members of a local file', async () => {
    const tree = await members('tree.zip');
    expect(tree.get('notes/diary.txt')!.location).toMatchObject({ method: 'deflate', size: 32000 });
    expect(tree.get('media/photo.jpg')!.location).toMatchObject({ method: 'stored', size: 25604 });
    expect(tree.get('secret.txt')!.location).toBeUndefined(); // encrypted: read as stored ciphertext by the source
    expect(tree.get('media/link-to-hello')!.location).toBeUndefined(); // a symlink is not read
    const bomb = await members('bomb.zip');
    expect(bomb.get('ratio.bin')!.error?.code).toBe('ARCHIVE_RATIO_LIMIT');
    expect(bomb.get('ratio.bin')!.location).toBeUndefined();
    // The same archive read through another reader (a nested archive inflated in memory) says nothing.
    const bytes = fs.readFileSync(path.join(FIX, 'tree.zip'));
    const inMemory = await ZipSource.fromReader(
      { size: bytes.length, read: async (p, l) => bytes.subarray(p, p + l) },
      async () => undefined,
      { path: 'tree.zip', kind: 'zip' },
    );
    for await (const e of inMemory.entries()) expect(e.location).toBeUndefined();
    await inMemory.close();
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  it('takes the data start from the local header, and refuses a lying one', async () => {
    const odd = await members('local-extra.zip');
    const a = await whereItLies(odd.get('a.txt')!);
    expect((a as { bytes: Buffer }).bytes.subarray(0, 30).toString()).toBe('entry 00000: the same words ag');
    const lying = await whereItLies((await members('bad-local.zip')).get('lying.txt')!);
    expect(errorOf(lying)).toMatch(/^ZIP_BAD_LOCAL_HEADER: no local file header at offset \d+$/);
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  it('cuts a member that inflates past its declared size there, holding no more than a chunk', async () => {
    const bomb = await members('bomb.zip');
    const cut = await whereItLies(bomb.get('cut.bin')!);
    expect((cut as { bytes: Buffer }).bytes).toEqual(Buffer.alloc(100_000));
    // Past the one-call size: streamed, in zlib's output chunks, stopped at 9.5 MiB of the 12 MiB it holds.
    const streamed = await whereItLies(bomb.get('cut-streamed.bin')!);
    expect((streamed as { bytes: Buffer }).bytes.length).toBe(9.5 * 1024 * 1024);
    expect(streamed.largest).toBeLessThanOrEqual(64 * 1024);
    const short = await whereItLies(bomb.get('short.txt')!);
    expect((short as { bytes: Buffer }).bytes.length).toBe(1000);
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  it("fails damaged data with zlib's error; a member the archive's end cuts yields the bytes before the cut", async () => {
    const damaged = await whereItLies((await members('damaged.zip')).get('damaged.txt')!);
    expect(errorOf(damaged)).toBe('Z_DATA_ERROR: invalid block type');
    const entry = (await members('truncated.zip')).get('cut.bin')!;
    expect(entry.location?.cut).toBe(true);
    const truncated = await whereItLies(entry);
    expect(errorOf(truncated)).toBeUndefined();
    const bytes = 'bytes' in truncated ? truncated.bytes : Buffer.alloc(0);
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.length).toBeLessThan(entry.size);
    // The same bytes through the source's own reader (the main thread's path).
    expect(await viaSource(entry)).toEqual({ bytes });
    await Promise.all(closers.splice(0).map((c) => c()));
  });
});

describe('readStoredRanges', () => {
  it('reads only the ranges asked for, clipped to the member, with the bytes the source reader gives there', async () => {
    let stored = 0;
    for (const zip of zips) {
      for (const [p, entry] of await members(zip)) {
        const loc = entry.location;
        if (!loc || loc.method !== 'stored' || loc.size < 2048) continue;
        stored++;
        const theirs = await viaSource(entry);
        if (!('bytes' in theirs)) continue;
        // A head, a middle window, a tail that runs past the end, and a range wholly past it.
        const ranges = [
          [0, 100],
          [Math.floor(loc.size / 2), 1000],
          [loc.size - 50, 80],
          [loc.size + 10, 5],
        ] as const;
        const got: Array<[number, Buffer]> = [];
        const fd = fs.openSync(typeof loc.file === 'string' ? loc.file : Buffer.from(loc.file), 'r');
        try {
          readStoredRanges(fd, fs.fstatSync(fd).size, loc, ranges, (bytes, at) => got.push([at, Buffer.from(bytes)]));
        } finally {
          fs.closeSync(fd);
        }
        const want = ranges
          .filter(([at]) => at < loc.size)
          .map(([at, n]) => [at, theirs.bytes.subarray(at, Math.min(at + n, loc.size))] as const);
        expect(
          got.map(([at, b]) => [at, b.toString('hex')]),
          `${zip} ${p}`,
        ).toEqual(want.map(([at, b]) => [at, b.toString('hex')]));
      }
    }
    expect(stored).toBeGreaterThanOrEqual(2);
    await Promise.all(closers.splice(0).map((c) => c()));
  });
});
