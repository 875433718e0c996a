import { describe, expect, it } from 'vitest';
import { createSourceIndex, fixedSourceIndex } from './source-index.js';

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
});
