/**
 * TAR layouts real tools write (packages/core/fixtures/tar/generate.sh): a
 * directory whose header declares a size (no data follows it: the next header
 * does), a hard link, whose own header holds no bytes, GNU sparse members
 * (tar --sparse), GNU dump directories (tar --listed-incremental), a GNU volume label and Solaris ACL records.
 * Each TAR is read in place and as a gzip stream.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tarStream } from '../lazy-require.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { ArchiveOptions } from './archive-common.js';
import { TarSource } from './tar.js';

const FIX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/tar');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-tar-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every entry of the TAR (or of its gzip), with its bytes read whole or its error. */
async function members(
  file: string,
  gzip: boolean,
  opts: ArchiveOptions = {},
): Promise<Array<{ path: string; kind: string; text?: string; error?: string }>> {
  let at = path.join(FIX, file);
  if (gzip) {
    at = path.join(tmp, `${file}.gz`);
    fs.writeFileSync(at, zlib.gzipSync(fs.readFileSync(path.join(FIX, file))));
  }
  const source = await TarSource.fromFile(at, at, gzip ? 'tar.gz' : 'tar', opts);
  const out: Array<{ path: string; kind: string; text?: string; error?: string }> = [];
  try {
    for await (const e of source.entries()) {
      if (e.error || e.kind !== 'file' || !e.open) {
        out.push({ path: e.path, kind: e.kind, ...(e.error ? { error: e.error.code } : {}) });
        continue;
      }
      const r = await e.open();
      out.push({ path: e.path, kind: e.kind, text: (await r.read(0, e.size)).toString('latin1') });
      await r.close();
      e.release?.();
    }
  } finally {
    await source.close();
  }
  return out;
}

describe('TAR source', () => {
  for (const gzip of [false, true]) {
    const how = gzip ? 'as a gzip stream' : 'in place';
    it(`reads on past a directory whose header declares a size, ${how}`, async () => {
      // Directories are not entries of a TAR source; the file after this one must be reached and read.
      expect(await members('dir-with-size.tar', gzip)).toEqual([
        { path: 'docs/after.txt', kind: 'file', text: 'after the directory\n' },
      ]);
    });
  }

  it('reads a hard link through its target, in place and (after a second pass) in a stream', async () => {
    const both = [
      { path: 'a.txt', kind: 'file', text: 'hello world\n' },
      { path: 'b.txt', kind: 'file', text: 'hello world\n' },
    ];
    expect(await members('hardlink.tar', false)).toEqual(both);
    expect(await members('hardlink.tar', true)).toEqual(both);
  });

  it('gives each of two links the bytes of the member before them, not of a copy appended later (tar -r)', async () => {
    for (const gzip of [false, true]) {
      const got = await members('hardlinks-appended.tar', gzip);
      expect(got.map((m) => [m.path, m.text])).toEqual(
        expect.arrayContaining([
          ['b.txt', 'first version\n'],
          ['c.txt', 'first version\n'],
          ['d.txt', 'after the links\n'],
        ]),
      );
      expect(got.filter((m) => m.text === 'second version\n')).toHaveLength(1);
      expect(got).toHaveLength(5);
      expect(got.every((m) => !m.error)).toBe(true);
    }
  });

  it('stops reading links through past the expanded-bytes limit: the rest keep their error', async () => {
    // 14 bytes behind each of two links, 20 allowed: the first link is read through, the second is not, in place and
    // in a stream (where the links wait for the second pass and the refused one is handed out first).
    const opts = { limits: { ...DEFAULT_LIMITS, maxExpandedBytes: 20 } };
    for (const gzip of [false, true]) {
      const links = (await members('hardlinks-appended.tar', gzip, opts))
        .filter((m) => m.path === 'b.txt' || m.path === 'c.txt')
        .sort((a, b) => a.path.localeCompare(b.path));
      expect(links).toEqual([
        { path: 'b.txt', kind: 'file', text: 'first version\n' },
        { path: 'c.txt', kind: 'file', error: 'TAR_HARD_LINK' },
      ]);
    }
  });

  it('lets links hand out no more than the members hold and 64 MiB: a fan-out of links to one large member', async () => {
    // A 40 MiB member and ten links to it (tar-stream's pack, as GNU tar writes a hard link: a header, no data).
    const at = path.join(tmp, 'fan-out.tar');
    const pack = tarStream().pack();
    const done = new Promise<void>((resolve, reject) => {
      const out = fs.createWriteStream(at);
      out.on('finish', () => resolve());
      out.on('error', reject);
      pack.pipe(out);
    });
    pack.entry({ name: 'big.bin', size: 40 * 1024 * 1024 }, Buffer.alloc(40 * 1024 * 1024));
    for (let i = 0; i < 10; i++) pack.entry({ name: `link-${i}.bin`, type: 'link', linkname: 'big.bin' });
    pack.finalize();
    await done;
    const source = await TarSource.fromFile(at, at, 'tar');
    const links: Array<{ read: boolean }> = [];
    try {
      for await (const e of source.entries())
        if (e.path.startsWith('link-')) links.push({ read: !e.error && !!e.open });
    } finally {
      await source.close();
    }
    // 40 MiB of members and 64 MiB more: two links (80 MiB) fit, the third would not.
    expect(links.map((l) => l.read)).toEqual([true, true, false, false, false, false, false, false, false, false]);
  });

  it('reads a GNU sparse member through its map, holes as zeros, and lists the members after it', async () => {
    const file = path.join(FIX, 'gnu-sparse.tar');
    const source = await TarSource.fromFile(file, file, 'tar');
    const got = new Map<string, { kind: string; size: number; bytes?: Buffer; error?: string }>();
    try {
      for await (const e of source.entries()) {
        const r = e.open && !e.error ? await e.open() : undefined;
        got.set(e.path, {
          kind: e.kind,
          size: e.size,
          ...(r ? { bytes: await r.read(0, e.size) } : {}),
          ...(e.error ? { error: e.error.code } : {}),
        });
        await r?.close();
      }
    } finally {
      await source.close();
    }
    expect([...got.keys()]).toEqual(['disk.img', 'small-sparse.db', 'notes.txt', 'sub/z.txt']);
    // The files as generate.sh wrote them: text at each MiB of the image, an SQLite header 64 KiB into the other.
    const disk = Buffer.alloc(9 * 1024 * 1024);
    for (let i = 0; i < 8; i++)
      Buffer.from(`region ${i} of a sparse disk image\n`.repeat(20)).copy(disk, i * 1024 * 1024);
    const db = Buffer.alloc(200_000);
    Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(100, 'x')]).copy(db, 65536);
    expect(got.get('disk.img')).toMatchObject({ kind: 'file', size: disk.length });
    expect(got.get('disk.img')!.bytes!.equals(disk)).toBe(true);
    expect(got.get('small-sparse.db')!.bytes!.equals(db)).toBe(true);
    expect(got.get('notes.txt')!.bytes!.toString()).toBe('after the sparse members\n');
    expect(got.get('sub/z.txt')!.bytes!.toString()).toBe('more\n');
  });

  it('in a gzip stream, lists a GNU sparse member without reading it, saying why (its map is not read there)', async () => {
    const got = await members('gnu-sparse.tar', true);
    expect(got[0]).toEqual({ path: 'disk.img', kind: 'other', error: 'TAR_MEMBER_TYPE_UNKNOWN' });
  });

  it('in place, lists past a large member without reading its data through', async () => {
    // Written with tar-stream's packer: a small file, 3 MiB, a member with a PAX long name, a small file.
    const pack = tarStream().pack();
    const big = Buffer.alloc(3 * 1024 * 1024, 'evidence ');
    const longName = `${'deep/'.repeat(30)}after-the-big-one.txt`;
    const parts: Buffer[] = [];
    pack.on('data', (c: unknown) => parts.push(c as Buffer));
    const done = new Promise<void>((r) => pack.on('end', () => r()));
    pack.entry({ name: 'first.txt' }, 'first\n');
    pack.entry({ name: 'big.bin' }, big);
    pack.entry({ name: longName }, 'long name\n');
    pack.entry({ name: 'last.txt' }, 'last\n');
    pack.finalize();
    await done;
    const bytes = Buffer.concat(parts);
    let read = 0;
    const reader = {
      size: bytes.length,
      read: async (p: number, l: number) => {
        const b = bytes.subarray(p, p + l);
        read += b.length;
        return b;
      },
    };
    const source = new TarSource({ kind: 'random', reader, close: async () => {} }, { path: 'x.tar', kind: 'tar' });
    const listed: Array<[string, number]> = [];
    for await (const e of source.entries()) listed.push([e.path, e.size]);
    expect(listed).toEqual([
      ['first.txt', 6],
      ['big.bin', big.length],
      [longName, 10],
      ['last.txt', 5],
    ]);
    // The listing read its first 1 MiB chunk and the headers after the big member, not the member's 3 MiB.
    expect(read).toBeLessThan(big.length / 2);
    await source.close();
  });

  it('in place, takes GNU dump directories (tar --listed-incremental) for the directories they are', async () => {
    expect(await members('incremental.tar', false)).toEqual([
      { path: 'docs/a.txt', kind: 'file', text: 'a\n' },
      { path: 'docs/sub/b.txt', kind: 'file', text: 'b\n' },
    ]);
    // A stream gives no typeflag tar-stream does not know: there they stay entries of kind other.
    expect((await members('incremental.tar', true)).map((m) => [m.path, m.kind])).toEqual([
      ['docs', 'other'],
      ['docs/sub', 'other'],
      ['docs/a.txt', 'file'],
      ['docs/sub/b.txt', 'file'],
    ]);
  });

  it('in place, records about other members (Solaris ACL, GNU volume label) are no members', async () => {
    // Solaris tar writes an 'A' record (the ACL) before each member it applies to; libarchive reads it as that
    // member's ACL. As members they were special files of kind other, and each real member a duplicate name.
    expect(await members('solaris-acl.tar', false)).toEqual([
      { path: 'file-with-posix-acls', kind: 'file', text: '' },
      { path: 'file-with-nfsv4-acls', kind: 'file', text: '' },
    ]);
    expect(await members('volume-label.tar', false)).toEqual([{ path: 'notes.txt', kind: 'file', text: 'labelled\n' }]);
  });

  for (const gzip of [false, true]) {
    const how = gzip ? 'in a gzip stream' : 'in place';
    it(`stops at the end-of-archive zero blocks when bytes that are no header follow them (AIX tar), ${how}`, async () => {
      // tar-stream read on past the zero blocks and called the archive damaged at the bytes after them.
      expect((await members('aix-native.tar', gzip)).map((m) => [m.path, m.kind, m.error])).toEqual([
        ['sample/link-to-txt-file.lnk', 'symlink', undefined],
        ['sample/text-file.txt', 'file', undefined],
      ]);
    });
  }

  it('in place, reads on past a header whose checksum was summed as signed bytes (HP-UX, old Sun tars)', async () => {
    const got = await members('signed-checksum.tar', false);
    expect(got.map((m) => [m.path.startsWith('caf') ? 'caf?.txt' : m.path, m.text, m.error])).toEqual([
      ['before.txt', 'before\n', undefined],
      ['caf?.txt', 'signed\n', undefined],
      ['after.txt', 'after\n', undefined],
    ]);
    // A stream cannot be read again at that header: the members before it are read and the damage is said.
    expect((await members('signed-checksum.tar', true)).map((m) => [m.path, m.error])).toEqual([
      ['before.txt', undefined],
      [expect.any(String), 'ARCHIVE_CORRUPT'],
    ]);
  });

  it('refuses a GNU sparse member whose holes claim more than the expanded-bytes limit, and reads on', async () => {
    // gnu-sparse.tar with the first member's real size set to 1 TiB (base-256), its header checksum made anew.
    const bytes = Buffer.from(fs.readFileSync(path.join(FIX, 'gnu-sparse.tar')));
    const realSize = Buffer.alloc(12);
    realSize[0] = 0x80;
    realSize.writeUIntBE(2 ** 40, 6, 6);
    realSize.copy(bytes, 483);
    bytes.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += bytes[i]!;
    bytes.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const reader = { size: bytes.length, read: async (p: number, l: number) => bytes.subarray(p, p + l) };
    const source = new TarSource({ kind: 'random', reader, close: async () => {} }, { path: 'x.tar', kind: 'tar' });
    const listed: Array<[string, string | undefined]> = [];
    for await (const e of source.entries()) listed.push([e.path, e.error?.code]);
    await source.close();
    expect(listed).toEqual([
      ['disk.img', 'TAR_SPARSE_MAP'],
      ['small-sparse.db', undefined],
      ['notes.txt', undefined],
      ['sub/z.txt', undefined],
    ]);
  });

  for (const version of ['0.1', '1.0']) {
    it(`in place, reads a PAX sparse member (format ${version}) by its real name, through its map`, async () => {
      const file = path.join(FIX, `pax-sparse-${version}.tar`);
      const source = await TarSource.fromFile(file, file, 'tar');
      const got: Array<[string, number, Buffer]> = [];
      try {
        for await (const e of source.entries()) {
          const r = await e.open!();
          got.push([e.path, e.size, await r.read(0, e.size)]);
          await r.close();
        }
      } finally {
        await source.close();
      }
      // As generate.sh wrote it: 50 lines at each of the first three MiB of a 4 MiB file.
      const disk = Buffer.alloc(4 * 1024 * 1024);
      for (let i = 0; i < 3; i++) Buffer.from(`pax region ${i}\n`.repeat(50)).copy(disk, i * 1024 * 1024);
      expect(got.map(([p, size]) => [p, size])).toEqual([
        ['disk.img', disk.length],
        ['after.txt', 6],
      ]);
      expect(got[0]![2].equals(disk)).toBe(true);
      expect(got[1]![2].toString()).toBe('after\n');
    });
  }
});
