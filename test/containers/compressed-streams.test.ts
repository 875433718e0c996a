/**
 * xz, Zstandard, bzip2, LZMA, lzip, LZ4, compress (.Z) and lzop streams end to end (fixtures made by the real tools:
 * packages/core/fixtures/compressed/generate.sh): inside a folder each is a container whose
 * members are classified (a KeePass database in a .tar.xz is found encrypted at depth 1), a
 * bomb stops at the ratio guard, a cut stream keeps what it gave; given on the command line a
 * .tar.xz/.tar.zst/.tar.bz2 is the source, as a .tar.gz is.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSourceKind } from '@evtriage/core';
import { codes, scanPath, type ScanResult } from './helpers.js';

const dir = fileURLToPath(new URL('../../packages/core/fixtures/compressed/', import.meta.url));
const EXTS = ['xz', 'zst', 'bz2'] as const;
let tree: string;
let r: ScanResult;

beforeAll(async () => {
  tree = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-compressed-'));
  for (const f of fs.readdirSync(dir)) if (f !== 'generate.sh') fs.copyFileSync(path.join(dir, f), path.join(tree, f));
  r = await scanPath(tree);
}, 60_000);
afterAll(() => fs.rmSync(tree, { recursive: true, force: true }));

describe.each(EXTS)('.%s inside a folder', (ext) => {
  it('a TAR inside is opened: the KeePass database is encrypted at depth 1, the hard link read', () => {
    const vault = r.byPath.get(`backup.tar.${ext}!/backup/vault.kdbx`);
    expect(vault?.classification.status).toBe('encrypted');
    expect(vault?.format?.id).toBe('kdbx');
    expect(vault?.depth).toBe(1);
    expect(codes(r.byPath.get(`backup.tar.${ext}`))).toEqual([]);
    const link = r.byPath.get(`backup.tar.${ext}!/backup/readme-link.txt`);
    expect(link?.size).toBe(29);
    expect(codes(link)).toEqual([]);
  });

  it('a lone stream is one member named without the suffix; concatenated streams are one', () => {
    expect(r.byPath.get(`notes.txt.${ext}!/notes.txt`)?.size).toBe(43);
    expect(r.byPath.get(`concat.${ext}!/concat`)?.size).toBe(ext === 'zst' ? 25 : 27);
  });

  it('a bomb stops at the ratio guard; a cut stream is recorded as truncated', () => {
    expect(codes(r.byPath.get(`zeros.${ext}`))).toContain('ARCHIVE_RATIO_LIMIT');
    expect([...r.byPath.keys()].some((p) => p.startsWith(`zeros.${ext}!/`))).toBe(false);
    expect(codes(r.byPath.get(`truncated.tar.${ext}`))).toContain('ARCHIVE_TRUNCATED');
  });
});

describe.each(EXTS)('a .tar.%s given as the source', (ext) => {
  it('is detected by name and by magic, and its members are scanned', async () => {
    const file = path.join(dir, `backup.tar.${ext}`);
    expect(detectSourceKind(file)).toBe(`tar.${ext}`);
    const renamed = path.join(tree, `evidence-${ext}.bin`);
    fs.copyFileSync(file, renamed);
    expect(detectSourceKind(renamed)).toBe(`tar.${ext}`);
    const s = await scanPath(file);
    expect(s.header.source.kind).toBe(`tar.${ext}`);
    expect(s.byPath.get('backup/vault.kdbx')?.classification.status).toBe('encrypted');
    expect(s.byPath.get('backup/readme-link.txt')?.size).toBe(29);
  });
});

describe.each(['streams-in.zip', 'streams-in.tar.gz'])('compressed TARs inside %s', (outer) => {
  // Members read from memory: a counting 'data' listener once lost the first chunk, and an xz stream read as empty.
  it.each(['xz', 'zst', 'bz2', 'lzma', 'lz'])(
    'backup.tar.%s is opened: the KeePass database is encrypted at depth 2',
    (ext) => {
      const vault = r.byPath.get(`${outer}!/backup.tar.${ext}!/backup/vault.kdbx`);
      expect(vault?.classification.status).toBe('encrypted');
      expect(vault?.depth).toBe(2);
      expect(codes(r.byPath.get(`${outer}!/backup.tar.${ext}`))).toEqual([]);
    },
  );

  it('a lone xz or Zstandard stream is one member', () => {
    expect(r.byPath.get(`${outer}!/notes.txt.xz!/notes.txt`)?.size).toBe(43);
    expect(r.byPath.get(`${outer}!/notes.txt.zst!/notes.txt`)?.size).toBe(43);
  });
});

describe.each(['lzma', 'lz'] as const)('LZMA: .%s inside a folder', (ext) => {
  it('a TAR inside is opened (LZMA-alone once its detector decoded it): the KeePass database is encrypted', () => {
    const vault = r.byPath.get(`backup.tar.${ext}!/backup/vault.kdbx`);
    expect(vault?.classification.status).toBe('encrypted');
    expect(vault?.depth).toBe(1);
    expect(codes(r.byPath.get(`backup.tar.${ext}`))).toEqual([]);
  });

  it('a lone stream is one member; a bomb stops at the ratio guard', () => {
    expect(r.byPath.get(`notes.txt.${ext}!/notes.txt`)?.size).toBe(43);
    expect(codes(r.byPath.get(`zeros.${ext}`))).toContain('ARCHIVE_RATIO_LIMIT');
  });
});

describe('LZMA elsewhere', () => {
  it('lzip members one after the other are one member; a ZIP member compressed with LZMA is read', () => {
    expect(r.byPath.get('concat.lz!/concat')?.size).toBe(27);
    const member = r.byPath.get('lzma-member.zip!/numbers.txt');
    expect(member?.classification.status).toBe('analysable');
    expect(codes(member)).toEqual([]);
  });

  it('a lone .lzma or .lz given as the source is one member, its expansion', async () => {
    for (const ext of ['lzma', 'lz']) {
      const s = await scanPath(path.join(dir, `notes.txt.${ext}`));
      expect(s.header.source.kind).toBe('file');
      expect([...s.byPath.keys()]).toEqual(['notes.txt']);
      expect(s.byPath.get('notes.txt')?.size).toBe(43);
    }
  });

  it('a .tar.lz is a source by name and by magic, a .tar.lzma by name', async () => {
    expect(detectSourceKind(path.join(dir, 'backup.tar.lzma'))).toBe('tar.lzma');
    const renamed = path.join(tree, 'evidence-lz.bin');
    fs.copyFileSync(path.join(dir, 'backup.tar.lz'), renamed);
    expect(detectSourceKind(renamed)).toBe('tar.lz');
    for (const ext of ['lzma', 'lz']) {
      const s = await scanPath(path.join(dir, `backup.tar.${ext}`));
      expect(s.header.source.kind).toBe(`tar.${ext}`);
      expect(s.byPath.get('backup/vault.kdbx')?.classification.status).toBe('encrypted');
    }
  });
});

describe.each(['lz4', 'Z', 'lzo'] as const)('.%s (LZ4, compress, lzop) inside a folder and as the source', (ext) => {
  it('a TAR inside is opened: the KeePass database is encrypted at depth 1; a lone stream is one member', () => {
    const vault = r.byPath.get(`backup.tar.${ext}!/backup/vault.kdbx`);
    expect(vault?.classification.status).toBe('encrypted');
    expect(vault?.format?.id).toBe('kdbx');
    expect(vault?.depth).toBe(1);
    expect(codes(r.byPath.get(`backup.tar.${ext}`))).toEqual([]);
    expect(r.byPath.get(`notes.txt.${ext}!/notes.txt`)?.size).toBe(43);
    expect(r.byPath.get(`zeros.${ext}!/zeros`)?.size).toBe(4 * 1024 * 1024);
  });

  it('a .tar.%s is a source by name and by magic; a lone stream given as the source is its expansion', async () => {
    const renamed = path.join(tree, `evidence-${ext}.bin`);
    fs.copyFileSync(path.join(dir, `backup.tar.${ext}`), renamed);
    expect(detectSourceKind(renamed)).toBe(`tar.${ext}`);
    const s = await scanPath(path.join(dir, `backup.tar.${ext}`));
    expect(s.header.source.kind).toBe(`tar.${ext}`);
    expect(s.byPath.get('backup/vault.kdbx')?.classification.status).toBe('encrypted');
    const lone = await scanPath(path.join(dir, `notes.txt.${ext}`));
    expect([...lone.byPath.keys()]).toEqual(['notes.txt']);
  });
});

describe('streams that are not damaged but need what the decoders lack', () => {
  it.each([
    ['dict96.xz', 'dict96', 'xz -d'],
    ['long-window.zst', 'long-window', 'zstd -d'],
    ['zstd-dictionary.zst', 'zstd-dictionary', 'zstd -d'],
    ['bcj-x86.xz', 'bcj-x86', 'xz -d'],
  ])('%s: ARCHIVE_UNSUPPORTED on the container and its member, which is not called empty', (file, member, tool) => {
    expect(codes(r.byPath.get(file))).toContain('ARCHIVE_UNSUPPORTED');
    const m = r.byPath.get(`${file}!/${member}`);
    expect(codes(m)).toEqual(['ARCHIVE_UNSUPPORTED']);
    expect(m?.format?.id).not.toBe('empty');
    expect(m?.errors[0]?.message).toContain(`\`${tool}\``);
  });

  it('a bzip2 block that never ends is an error on the container, not memory kept', () => {
    expect(r.byPath.get('bzip2-endless-lengths.bz2!/bzip2-endless-lengths')?.format?.id).not.toBe('empty');
    expect(codes(r.byPath.get('bzip2-endless-lengths.bz2'))).toContain('ARCHIVE_TRUNCATED');
  });
});

describe.each(EXTS)('a lone .%s stream given as the source', (ext) => {
  it('is one member, its expansion, named without the suffix (not read as a TAR)', async () => {
    const s = await scanPath(path.join(dir, `notes.txt.${ext}`));
    expect(s.header.source.kind).toBe('file');
    expect([...s.byPath.keys()]).toEqual(['notes.txt']);
    expect(s.byPath.get('notes.txt')?.format?.id).toBe('text');
    expect(s.byPath.get('notes.txt')?.size).toBe(43);
  });

  it('a bomb of zeros is read whole (the source is the evidence: no ratio guard)', async () => {
    const s = await scanPath(path.join(dir, `zeros.${ext}`));
    expect([...s.byPath.keys()]).toEqual(['zeros']);
    expect(s.byPath.get('zeros')?.size).toBe(64 * 1024 * 1024);
    expect(codes(s.byPath.get('zeros'))).toEqual([]);
  }, 60_000);
});

it('a lone stream the decoder cannot read, given as the source, is one member with the reason', async () => {
  const s = await scanPath(path.join(dir, 'long-window.zst'));
  expect([...s.byPath.keys()]).toEqual(['long-window']);
  expect(codes(s.byPath.get('long-window'))).toEqual(['ARCHIVE_UNSUPPORTED']);
});

describe('sparse members of a compressed TAR (GNU tar --sparse; read as a stream, the holes cannot be re-created)', () => {
  const under = (archive: string) => [...r.byPath.keys()].filter((p) => p.startsWith(`${archive}!/`)).sort();

  it("old-GNU type 'S' (GNU tar's default): an item saying what to do, and the member after it is read", () => {
    expect(under('sparse-gnu.tar.xz')).toEqual([
      'sparse-gnu.tar.xz!/d/abefore.txt',
      'sparse-gnu.tar.xz!/d/holes.img',
      'sparse-gnu.tar.xz!/d/zafter.txt',
    ]);
    const holes = r.byPath.get('sparse-gnu.tar.xz!/d/holes.img');
    expect(codes(holes)).toEqual(['TAR_MEMBER_TYPE_UNKNOWN']);
    expect(holes?.errors[0]?.message).toMatch(/sparse files as type 'S'.*xz -d/);
    expect(r.byPath.get('sparse-gnu.tar.xz!/d/zafter.txt')?.size).toBe(6);
  });

  it('PAX 1.0: its real name and size, the reason, and no placeholder GNUSparseFile path', () => {
    expect(under('sparse-pax.tar.zst')).toEqual([
      'sparse-pax.tar.zst!/d/abefore.txt',
      'sparse-pax.tar.zst!/d/holes.img',
      'sparse-pax.tar.zst!/d/zafter.txt',
    ]);
    const holes = r.byPath.get('sparse-pax.tar.zst!/d/holes.img');
    expect(holes?.size).toBe(13 * 1024 * 1024);
    expect(codes(holes)).toEqual(['TAR_SPARSE_MAP']);
    expect(holes?.errors[0]?.message).toMatch(/read as a stream.*scan the TAR/);
    expect(r.byPath.get('sparse-pax.tar.zst!/d/zafter.txt')?.size).toBe(6);
  });
});

describe("pzstd's output (a skippable frame before the first frame)", () => {
  it('is a Zstandard stream inside a folder: a lone stream and a TAR', () => {
    expect(codes(r.byPath.get('pzstd-numbers.zst'))).toEqual([]);
    expect(r.byPath.get('pzstd-numbers.zst!/pzstd-numbers')?.size).toBe(13893);
    expect(r.byPath.get('pzstd-backup.tar.zst!/backup/vault.kdbx')?.classification.status).toBe('encrypted');
    expect(r.byPath.get('pzstd-backup.tar.zst!/backup/readme-link.txt')?.size).toBe(29);
  });

  it('is a Zstandard source given on the command line', async () => {
    const file = path.join(dir, 'pzstd-backup.tar.zst');
    expect(detectSourceKind(file)).toBe('tar.zst');
    const s = await scanPath(file);
    expect(s.byPath.get('backup/vault.kdbx')?.classification.status).toBe('encrypted');
  });
});
