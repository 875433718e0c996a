import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { resolveKeyHint } from './process-entry.js';
import {
  anyPatternMatcher,
  createSourceIndex,
  fillArchiveIndex,
  fixedSourceIndex,
  requiredLiteral,
  scopedIndex,
} from './source-index.js';

async function* listing(paths: readonly string[], fail?: Error): AsyncGenerator<string> {
  for (const p of paths) yield p;
  if (fail) throw fail;
}

describe("an archive's own index", () => {
  it('holds the matching member paths under the archive, found before the outer paths, each once', async () => {
    const outer = createSourceIndex(['**/*.key', '**/*.m3u8']);
    outer.add('top/enc.key');
    outer.add('top/a.zip');
    const own = outer.spawn();
    const limit = await fillArchiveIndex(
      own,
      listing(['vod/list.m3u8', 'vod/seg0.ts', 'vod/enc.key']),
      'top/a.zip!/',
      100,
    );
    expect(limit).toBeUndefined();
    expect(own.paths()).toEqual(['top/a.zip!/vod/list.m3u8', 'top/a.zip!/vod/enc.key']);
    const index = scopedIndex(own.paths(), outer);
    expect(index.find('**/*.key')).toEqual(['top/a.zip!/vod/enc.key', 'top/enc.key']);
    expect(index.find('top/a.zip\\!/vod/*.m3u8')).toEqual(['top/a.zip!/vod/list.m3u8']);
    // A parse child is told the archive's paths (and its outer archives'), over its snapshot of the scan's.
    const inner = scopedIndex(['top/a.zip!/b.tar!/x.key'], index);
    expect(inner.scope?.paths).toEqual(['top/a.zip!/b.tar!/x.key', ...own.paths()]);
    expect(inner.scope?.id).not.toBe(index.scope?.id);
  });

  it('stops at its bounds and says why: matching paths, listed members, a listing that fails', async () => {
    const make = () => createSourceIndex(['**/*.key']);
    const keys = Array.from({ length: 5 }, (_, i) => `k${i}.key`);
    const past = make();
    expect(await fillArchiveIndex(past, listing(keys), 'a.zip!/', 100, 3)).toMatch(/more than 3 of its members/);
    expect(past.size()).toBe(4);
    expect(await fillArchiveIndex(make(), listing(['a', 'b', 'c']), 'a.zip!/', 2)).toMatch(/more than 2 members/);
    const failed = await fillArchiveIndex(make(), listing(['x.key'], new Error('bad header')), 'a.tar!/', 100);
    expect(failed).toBe('its listing could not be read: bad header');
    const dropped = Object.assign(new Error('the TAR lists more than 9 members; no listing is kept'), {
      code: 'ARCHIVE_INDEX_LIMIT',
    });
    expect(await fillArchiveIndex(make(), listing([], dropped), 'a.tar!/', 100)).toBe(dropped.message);
  });

  it('decides key hints: found is present; absent is "no" only when complete', () => {
    const hint = { description: 'd', kind: 'key-file' as const, present: 'unknown' as const, lookFor: ['**/*.key'] };
    const index = fixedSourceIndex(['a.zip!/k.key']);
    const none = fixedSourceIndex([]);
    expect(resolveKeyHint(hint, index, true).present).toBe('yes');
    expect(resolveKeyHint(hint, none, true).present).toBe('no');
    // A partial (bounded) index: found is found, absence decides nothing.
    expect(resolveKeyHint(hint, index, false, true)).toMatchObject({ present: 'yes', foundAt: ['a.zip!/k.key'] });
    expect(resolveKeyHint(hint, none, false, true).present).toBe('unknown');
    // An index still filling as the walk goes: never decided on the item.
    expect(resolveKeyHint(hint, index, false).present).toBe('unknown');
  });
});

describe('the source index', () => {
  it('holds the paths that match a pattern, each once, in the order they came', () => {
    const index = createSourceIndex(['**/files/key', '**/*.crypt14']);
    for (const p of [
      'a/files/key',
      'a/Databases/msgstore.db.crypt14',
      'a/notes.txt',
      'a/files/key', // an archive opened ahead of the walk and then again lists its members twice
      'b.zip!/files/key',
    ])
      index.add(p);
    expect(index.paths()).toEqual(['a/files/key', 'a/Databases/msgstore.db.crypt14', 'b.zip!/files/key']);
    expect(index.find('**/files/key')).toEqual(['a/files/key', 'b.zip!/files/key']);
    expect(index.size()).toBe(3);
  });

  it('answers the same from a snapshot of its paths (a parse child)', () => {
    const fixed = fixedSourceIndex(['a/files/key', 'a/Databases/msgstore.db.crypt14']);
    expect(fixed.find('**/*.crypt14')).toEqual(['a/Databases/msgstore.db.crypt14']);
  });

  it("matches exactly what picomatch's matchers match", () => {
    const patterns = [
      '**/com.whatsapp/files/key',
      '**/*.crypt14',
      '**/.ssh/id_*',
      '**/tdata/D877F783D5D3EF8C/map?',
      'a/**/b',
      '*.key',
      '**/*',
      'x?y/z',
      '{a,b}/key',
      '**/[ab]/k',
      './k',
      '!x/key',
      '**/+(a|b).db',
      'dir\\*.txt',
    ];
    const paths = [
      '',
      'key',
      'a/b',
      'a/x/y/b',
      'ab',
      'a/files/key',
      'com.whatsapp/files/key',
      'x/com.whatsapp/files/key',
      'x/com.whatsapp/files/key2',
      'x/com.whatsapp.w4b/files/key',
      'y/msgstore.db.crypt14',
      'y/.crypt14',
      'h/.ssh/id_rsa',
      'h/.ssh/id_rsa/more',
      '.ssh/id_ed25519',
      'u/tdata/D877F783D5D3EF8C/maps',
      'u/tdata/D877F783D5D3EF8C/map',
      'secret.key',
      'd/secret.key',
      '.key',
      'xay/z',
      'x/y/z',
      'a/key',
      'c/key',
      'q/a/k',
      'k',
      './k',
      'x/key',
      'q/a.db',
      'q/ab.db',
      'dir*.txt',
      'dir\\a.txt',
      ...patterns,
    ];
    const oracle = patterns.map((p) => picomatch(p, { dot: true }));
    for (const path of paths) {
      expect(anyPatternMatcher(patterns)(path), path).toBe(oracle.some((m) => m(path)));
      patterns.forEach((p, i) => expect(anyPatternMatcher([p])(path), `${p} on ${path}`).toBe(oracle[i]!(path)));
    }
  });

  it('takes a literal run only from patterns of plain characters and wildcards', () => {
    expect(requiredLiteral('**/com.whatsapp/files/key')).toBe('com.whatsapp/files/key');
    expect(requiredLiteral('a/**/bc')).toBe('bc');
    expect(requiredLiteral('**/*')).toBeUndefined();
    expect(requiredLiteral('{a,b}/key')).toBeUndefined();
    expect(requiredLiteral('./k')).toBeUndefined();
    expect(requiredLiteral('a/../k')).toBeUndefined();
  });
});
