/**
 * Source kinds are values passed to openSource, not a registry: the list the
 * caller gives is all it knows, asked in order; a source's folder layout
 * reaches the folder walk only when that source is in the list. A third-party
 * kind here is a real one (a folder with an `ACME.idx` naming its files).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinSources, folderSource } from './builtin.js';
import { defineSource } from './definition.js';
import type { FolderLayout } from './folder-layout.js';
import { FolderSource } from './folder.js';
import { detectSourceKind, openSource, SourceError } from './open.js';
import type { EvidenceSource, SourceEntry } from './source.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-open-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** `ACME.idx` lines are `<stored name>\t<real path>`. */
function readIndex(dir: string): Map<string, string> {
  const lines = fs.readFileSync(path.join(dir, 'ACME.idx'), 'utf8').split('\n');
  return new Map(lines.filter((l) => l.includes('\t')).map((l) => l.split('\t') as [string, string]));
}

const acmeLayout: FolderLayout = {
  id: 'acme-dump',
  matches: (names) => names.has('ACME.idx'),
  open(dir) {
    const index = readIndex(dir);
    const real = new Map([...index].map(([a, b]) => [b, a]));
    return {
      annotate(entry, inside, prefix) {
        const logical = index.get(inside);
        if (logical) entry.logicalPath = prefix ? `${prefix}/${logical}` : logical;
      },
      logicalOf: (inside) => index.get(inside),
      storedOf: (logical) => real.get(logical),
    };
  },
};

const acmeDump = defineSource({
  id: 'acme-dump',
  guess: (p, st) => st.isDirectory() && fs.existsSync(path.join(p, 'ACME.idx')),
  open: async (p) => {
    const folder = new FolderSource(p);
    const index = acmeLayout.open(p);
    const source: EvidenceSource = {
      info: { path: p, kind: 'folder' },
      async *entries(signal) {
        for await (const e of folder.entries(signal)) {
          index.annotate(e, e.path, '', async () => undefined);
          yield e;
        }
      },
      close: () => folder.close(),
    };
    return source;
  },
  folderLayout: acmeLayout,
});

function makeDump(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'ACME.idx'), 'f0001\tChats/one.txt\n');
  fs.writeFileSync(path.join(dir, 'f0001'), 'hello\n');
  return dir;
}

async function entriesOf(source: EvidenceSource): Promise<SourceEntry[]> {
  const out: SourceEntry[] = [];
  try {
    for await (const e of source.entries()) out.push(e);
  } finally {
    await source.close();
  }
  return out;
}

describe('openSource with the sources the caller passes', () => {
  const dump = makeDump(path.join(tmp, 'dump'));
  const image = path.join(tmp, 'image');
  makeDump(path.join(image, 'Users/ada/AcmeBackup'));
  fs.writeFileSync(path.join(image, 'notes.txt'), 'plain\n');

  it('asks the sources in list order: a third-party kind before the built-ins wins, after them the folder does', () => {
    expect(detectSourceKind(dump)).toBe('folder');
    expect(detectSourceKind(dump, [acmeDump, ...builtinSources])).toBe('acme-dump');
    expect(detectSourceKind(dump, [...builtinSources, acmeDump])).toBe('folder');
  });

  it('opens the kind named, and refuses one not in the list, naming those that are', async () => {
    const named = await entriesOf(await openSource(dump, { kind: 'acme-dump', sources: [acmeDump, folderSource] }));
    expect(named.find((e) => e.path === 'f0001')?.logicalPath).toBe('Chats/one.txt');
    const refused = await openSource(dump, { kind: 'acme-dump' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SourceError);
    expect((refused as SourceError).code).toBe('SOURCE_KIND_UNSUPPORTED');
    expect((refused as Error).message).toBe(
      'source type acme-dump is not supported; supported: ios-backup, zip, tar, tar.gz, tar.xz, tar.zst, tar.bz2, tar.lzma, tar.lz, tar.lz4, tar.Z, tar.lzo, folder',
    );
  });

  it('gives the folder walk the folder layouts of the sources in the list, and only those', async () => {
    const withAcme = await entriesOf(await openSource(image, { sources: [acmeDump, ...builtinSources] }));
    expect(withAcme.find((e) => e.path === 'Users/ada/AcmeBackup/f0001')?.logicalPath).toBe(
      'Users/ada/AcmeBackup/Chats/one.txt',
    );
    expect(withAcme.find((e) => e.path === 'notes.txt')?.logicalPath).toBeUndefined();
    const builtinOnly = await entriesOf(await openSource(image));
    expect(builtinOnly.map((e) => e.path)).toEqual(withAcme.map((e) => e.path));
    expect(builtinOnly.some((e) => e.logicalPath !== undefined)).toBe(false);
  });

  it('says what it knows when no source in the list takes the path', () => {
    const file = path.join(tmp, 'notes.bin');
    fs.writeFileSync(file, 'neither folder nor archive');
    expect(() => detectSourceKind(file)).toThrow(
      `${file} is not a folder or an archive evtriage can read (ios-backup, zip, tar, tar.gz, tar.xz, tar.zst, tar.bz2, tar.lzma, tar.lz, tar.lz4, tar.Z, tar.lzo, folder). Use --source-type to say what it is.`,
    );
    expect(() => detectSourceKind(dump, [])).toThrow(/can read \(\)/);
  });
});
