/**
 * The path contract's escape and the per-archive unique paths: a name ending
 * in `!` can never be read as an archive separator, and two members with the
 * same stored path get different manifest paths.
 */
import { describe, expect, it } from 'vitest';
import { MemberPaths } from './archive-names.js';
import { escapePathBangs, unescapePathBangs } from './manifest-paths.js';

describe('escapePathBangs', () => {
  it('doubles each trailing ! of a component and nothing else', () => {
    expect(escapePathBangs('evil.zip!/m.txt')).toBe('evil.zip!!/m.txt');
    expect(escapePathBangs('a!!/b!')).toBe('a!!!!/b!!');
    expect(escapePathBangs('wow!this/is!fine')).toBe('wow!this/is!fine');
    expect(escapePathBangs('plain/path.txt')).toBe('plain/path.txt');
  });

  it('is undone by unescapePathBangs, and never makes an odd run (a separator)', () => {
    for (const p of ['x!', 'x!!/y', '!/!!/!!!', 'a!b!/c']) {
      const e = escapePathBangs(p);
      expect(unescapePathBangs(e)).toBe(p);
      for (const run of e.match(/!+(?=\/|$)/g) ?? []) expect(run.length % 2).toBe(0);
    }
  });
});

describe('escapePathBangs on hostile names', () => {
  const byRegex = (p: string, size: (run: number) => number) =>
    p.replace(/!+(?=\/|$)/g, (run) => '!'.repeat(size(run.length)));

  it('agrees with the regex it replaces on generated paths of !, / and letters', () => {
    let seed = 37;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2_000; i++) {
      const p = Array.from({ length: next() % 12 }, () => '!!/a'[next() % 4]).join('');
      expect(escapePathBangs(p)).toBe(byRegex(p, (n) => n * 2));
      expect(unescapePathBangs(p)).toBe(byRegex(p, (n) => Math.ceil(n / 2)));
    }
  });

  it('a member name of 65,000 ! and a letter is walked once (the regex took 5 s a name)', () => {
    const name = '!'.repeat(65_000) + 'x';
    expect(escapePathBangs(name)).toBe(name);
    expect(escapePathBangs(`${name}/${name}!`)).toBe(`${name}/${name}!!`);
    expect(unescapePathBangs(`${name}!!`)).toBe(`${name}!`);
  });
});

describe('MemberPaths', () => {
  it('keeps the first path and qualifies later duplicates before the extension', () => {
    const paths = new MemberPaths();
    expect(paths.claim('in.zip')).toEqual({ path: 'in.zip' });
    const second = paths.claim('in.zip');
    expect(second.path).toBe('in~2.zip');
    expect(second.problem?.code).toBe('MEMBER_NAME_DUPLICATE');
    expect(paths.claim('in.zip').path).toBe('in~3.zip');
    // A real member called in~2.zip comes later: it is qualified in turn, never shared.
    expect(paths.claim('in~2.zip').path).toBe('in~2~2.zip');
    expect(paths.claim('dir/README').path).toBe('dir/README');
    expect(paths.claim('dir/README').path).toBe('dir/README~2');
    expect(paths.claim('d.x/noext').path).toBe('d.x/noext');
    expect(paths.claim('d.x/noext').path).toBe('d.x/noext~2');
  });

  it('qualifies a name stored 5,000 times with one lookup per claim (each suffix is looked up once)', () => {
    // A 47 MB ZIP whose central directory names one member 1,000,000 times took
    // more than 5 minutes for 50,000 of them: each duplicate searched its suffix from ~2
    // (quadratic: 12.5 million lookups here).
    const paths = new MemberPaths();
    const seen = new Set<string>();
    let lookups = 0;
    const taken = (paths as unknown as { taken: Set<string> }).taken;
    const has = taken.has.bind(taken);
    taken.has = (k: string) => (lookups++, has(k));
    for (let i = 0; i < 5_000; i++) seen.add(paths.claim('a.txt').path);
    expect(seen.size).toBe(5_000);
    expect(seen.has('a~5000.txt')).toBe(true);
    expect(lookups).toBeLessThan(3 * 5_000);
  });
});
