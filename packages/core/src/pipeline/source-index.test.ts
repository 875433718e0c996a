import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { anyPatternMatcher, createSourceIndex, fixedSourceIndex, requiredLiteral } from './source-index.js';

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
