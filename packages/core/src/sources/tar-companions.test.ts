/**
 * A TAR member's companions (companions.ts), read in place by offset and, from a stream, held: GNU tar's
 * companions.tar (name order: companions after the member) and companions-reversed.tar (before it), from
 * packages/core/fixtures/tar/generate.sh, each read in place and as a gzip stream.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArchiveOptions } from './archive-common.js';
import type { SourceEntry } from './source.js';
import { TarSource } from './tar.js';

const FIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/tar');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-tar-companions-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function open(file: string, gzip: boolean, opts: ArchiveOptions = {}): Promise<TarSource> {
  let at = path.join(FIX, file);
  if (gzip) {
    at = path.join(tmp, `${file}.gz`);
    fs.writeFileSync(at, zlib.gzipSync(fs.readFileSync(path.join(FIX, file))));
  }
  return TarSource.fromFile(at, at, gzip ? 'tar.gz' : 'tar', opts);
}

/** Every entry, held (not released) until the walk ends, as a slow pipeline would. */
async function walk(source: TarSource): Promise<SourceEntry[]> {
  const out: SourceEntry[] = [];
  for await (const e of source.entries()) out.push(e);
  return out;
}

const text = (b: Buffer | undefined) => b?.toString('latin1');
async function opened(e: SourceEntry, name: string): Promise<string | undefined> {
  const r = await e.openSibling?.(name);
  if (!r) return undefined;
  try {
    return (await r.read(0, r.size)).toString('latin1');
  } finally {
    await r.close();
  }
}

describe('TAR companions', () => {
  for (const file of ['companions.tar', 'companions-reversed.tar'])
    for (const gzip of [false, true]) {
      const how = `${file}, ${gzip ? 'as a gzip stream' : 'in place'}`;
      it(`gives a member its companions of the same folder, ${how}`, async () => {
        const source = await open(file, gzip);
        try {
          const entries = await walk(source);
          const at = new Map(entries.map((e) => [e.path, e]));
          // Items leave in walk order, every member once.
          const order =
            file === 'companions.tar' ? [...entries].map((e) => e.path) : [...entries].reverse().map((e) => e.path);
          expect(order).toEqual([
            'd/a.7z.001',
            'd/a.7z.002',
            'd/x.db',
            'd/x.db,old',
            'd/x.db-wal',
            'd/y',
            'd/y.crc',
            'other/x.db-wal',
          ]);
          // The pipeline may release a companion before the member that asks for it is read.
          at.get('d/x.db-wal')!.release?.();
          at.get('d/y.crc')!.release?.();
          at.get('d/a.7z.002')!.release?.();
          const db = at.get('d/x.db')!;
          expect(text(await db.readSibling!('-wal', 1024))).toBe('wal frames\n');
          expect(await db.readSibling!('-journal', 1024)).toBeUndefined();
          await expect(db.readSibling!('-wal', 4)).rejects.toMatchObject({ code: 'SIBLING_TOO_LARGE', size: 11 });
          expect(text(await at.get('d/y')!.readSibling!('.crc', 1024))).toBe('mmkv meta\n');
          expect(await opened(at.get('d/a.7z.001')!, 'a.7z.002')).toBe('volume two\n');
          // Another folder's -wal is no companion; nor is a path.
          expect(await opened(at.get('d/a.7z.001')!, '../other/x.db-wal')).toBeUndefined();
          for (const e of entries) expect(e.facts?.problems ?? []).toEqual([]);
          for (const e of entries) e.release?.();
        } finally {
          await source.close();
        }
      });
    }

  // In name order x.db waits for its -wal with x.db,old between (9 + 9 + 11 bytes) and y for its .crc (10 + 10);
  // in reverse order the -wal (11) and the .crc (10) are kept past their turn.
  for (const [file, budget] of [
    ['companions.tar', 20],
    ['companions-reversed.tar', 10],
  ] as const)
    it(`says why a streamed member's companion past the budget is not read beside it (${file})`, async () => {
      const source = await open(file, true, { companionBytes: budget });
      try {
        const entries = await walk(source);
        expect(entries).toHaveLength(8);
        const db = entries.find((e) => e.path === 'd/x.db')!;
        expect(db.facts?.problems?.map((p) => p.code)).toEqual(['COMPANION_NOT_HELD']);
        expect(db.facts!.problems![0]!.message).toContain('"d/x.db-wal"');
        expect(db.facts!.problems![0]!.message).toContain(`${budget}-byte companion budget`);
        expect(await db.readSibling?.('-wal', 1024)).toBeUndefined();
        // y and its .crc fit.
        const y = entries.find((e) => e.path === 'd/y')!;
        expect(y.facts?.problems ?? []).toEqual([]);
        expect(text(await y.readSibling!('.crc', 1024))).toBe('mmkv meta\n');
        for (const e of entries) e.release?.();
      } finally {
        await source.close();
      }
    });

  it('hands out a member waiting for a companion the stream never brings (cut before it), without it', async () => {
    const tar = fs.readFileSync(path.join(FIX, 'companions.tar'));
    const cut = tar.indexOf(Buffer.from('d/x.db-wal\0'));
    expect(cut % 512).toBe(0);
    const at = path.join(tmp, 'cut.tar.gz');
    fs.writeFileSync(at, zlib.gzipSync(tar.subarray(0, cut)));
    // The listing pass sees the same cut stream (GNU tar and tar-stream take a TAR ending at a header boundary as
    // ended): x.db waits for nothing and is handed out in its turn.
    const source = await TarSource.fromFile(at, at, 'tar.gz');
    try {
      const entries = await walk(source);
      expect(entries.map((e) => e.path)).toEqual(['d/a.7z.001', 'd/a.7z.002', 'd/x.db', 'd/x.db,old']);
      expect(await entries[2]!.readSibling?.('-wal', 1024)).toBeUndefined();
      for (const e of entries) e.release?.();
    } finally {
      await source.close();
    }
  });

  it('reads a plain TAR in place beyond any budget (siblings by offset, nothing held)', async () => {
    const source = await open('companions.tar', false, { companionBytes: 1 });
    try {
      const db = (await walk(source)).find((e) => e.path === 'd/x.db')!;
      expect(db.facts?.problems).toBeUndefined();
      expect(text(await db.readSibling!('-wal', 1024))).toBe('wal frames\n');
    } finally {
      await source.close();
    }
  });
});
