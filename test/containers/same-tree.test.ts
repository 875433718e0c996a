/**
 * The same extraction scanned as a folder, a ZIP, a TAR and a TAR.GZ gives
 * the same items, with the same classification and format, including the
 * members of archives inside it (ZIP in ZIP, TAR, TAR.GZ with a ZIP inside,
 * a lone GZIP). Fixtures: fixtures/make-fixtures.sh (Info-ZIP zip, GNU tar, gzip).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparable, fixtures, scanPath } from './helpers.js';

describe('one extraction, four sources', () => {
  it('folder, ZIP, TAR and TAR.GZ give the same items with the same format and classification', async () => {
    const folder = await scanPath(path.join(fixtures, 'tree'));
    const zip = await scanPath(path.join(fixtures, 'tree.zip'));
    const tar = await scanPath(path.join(fixtures, 'tree.tar'));
    const tgz = await scanPath(path.join(fixtures, 'tree.tar.gz'));
    expect(folder.header.source.kind).toBe('folder');
    expect(zip.header.source.kind).toBe('zip');
    expect(tar.header.source.kind).toBe('tar');
    expect(tgz.header.source.kind).toBe('tar.gz');

    const expected = comparable(folder.items);
    expect(comparable(zip.items)).toEqual(expected);
    expect(comparable(tar.items)).toEqual(expected);
    expect(comparable(tgz.items)).toEqual(expected);

    // The nested members are there, in every form.
    const paths = new Set(folder.items.map((i) => i.path));
    for (const p of [
      'nested/inner.zip!/docs/a.txt',
      'nested/inner.zip!/docs/copy.db',
      'nested/inner.zip!/deeper.zip!/b.txt',
      'nested/inner.tar!/docs/copy.db',
      'nested/inner.tar.gz!/deeper.zip!/b.txt',
      'nested/note.txt.gz!/note.txt',
    ]) {
      expect(paths.has(p), p).toBe(true);
    }
    const deep = folder.byPath.get('nested/inner.tar.gz!/deeper.zip!/b.txt')!;
    expect(deep.depth).toBe(2);
    expect(deep.format?.id).toBe('text');
    expect(folder.byPath.get('nested/inner.zip!/docs/copy.db')?.format?.id).toBe('sqlite');
    for (const r of [folder, zip, tar, tgz]) {
      expect(r.summary.complete).toBe(true);
      expect(
        r.items.every((i) => i.errors.every((e) => e.severity !== 'error')),
        r.header.source.kind,
      ).toBe(true);
    }
    // The symlink is recorded, not followed, with its target, from every source.
    for (const r of [folder, zip, tar, tgz]) expect(r.byPath.get('link-to-hello')?.linkTarget).toBe('notes/hello.txt');
  });

  it('hashes of members read in place, inflated or spooled equal the folder files', async () => {
    const folder = await scanPath(path.join(fixtures, 'tree'), { hash: ['sha256'] });
    for (const f of ['tree.zip', 'tree.tar', 'tree.tar.gz']) {
      const r = await scanPath(path.join(fixtures, f), { hash: ['sha256'] });
      for (const item of folder.items.filter((i) => i.kind === 'file')) {
        expect(r.byPath.get(item.path)?.hashes?.sha256, `${f}: ${item.path}`).toBe(item.hashes?.sha256);
      }
    }
  });

  it('members carry their archive times (ZIP extended timestamp, TAR mtime)', async () => {
    const zip = await scanPath(path.join(fixtures, 'tree.zip'));
    const tar = await scanPath(path.join(fixtures, 'tree.tar'));
    expect(zip.byPath.get('notes/hello.txt')?.times.modified).toBe('2026-01-02T03:04:05.000Z');
    expect(tar.byPath.get('notes/hello.txt')?.times.modified).toBe('2026-01-02T03:04:05.000Z');
    expect((zip.byPath.get('notes/hello.txt')?.details?.['container'] as { timeSource: string }).timeSource).toBe(
      'extended-timestamp',
    );
  });
});
