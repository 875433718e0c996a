/**
 * The paths collected during enumeration that plugins asked about
 * (`meta.indexPatterns`), so a parser or a key hint can find a sibling file
 * (a key, a companion database) without a second walk of the source.
 */
import picomatch from 'picomatch';

export interface SourceIndex {
  find(pattern: string): readonly string[];
  /**
   * An archive's own indexed paths (with those of the archives holding it), over the scan's index
   * (`scopedIndex`): what a parse child is told beside the scan's snapshot, once per scope.
   */
  readonly scope?: { readonly id: number; readonly paths: readonly string[] };
}

/** The index a scan fills as it enumerates. */
export interface GrowingSourceIndex extends SourceIndex {
  add(path: string): void;
  size(): number;
  paths(): readonly string[];
  /** A new, empty index over the same patterns (an archive's own, scan-walk.ts). */
  spawn(): GrowingSourceIndex;
  /** Whether any pattern was declared (else nothing is ever indexed, and no listing need be read for it). */
  readonly watching: boolean;
}

const OPTIONS = { dot: true };

/** Patterns of plain characters and `*`/`?` wildcards only: their literal runs must appear in any path they match. */
const SIMPLE = /^[A-Za-z0-9._\-/*?]+$/;

/**
 * The longest literal run of a simple pattern (without the slashes next to a wildcard: a globstar and its
 * slash also match no folder), which every path the pattern matches contains; undefined when the pattern is
 * not that simple (braces, classes, escapes, negation, extglobs; `.` or `..` segments, which picomatch treats apart).
 */
export function requiredLiteral(pattern: string): string | undefined {
  if (!SIMPLE.test(pattern) || /(^|\/)\.{1,2}(\/|$)/.test(pattern)) return undefined;
  let best: string | undefined;
  for (const piece of pattern.split(/[*?]+/)) {
    const run = piece.replace(/^\/+|\/+$/g, '');
    if (run.length > (best?.length ?? 0)) best = run;
  }
  return best;
}

/**
 * Whether a path matches any of `patterns`, as `picomatch(pattern, { dot: true })` says (a path equal to the
 * pattern, or one its regular expression matches; never the empty path), without picomatch's result objects:
 * a pattern's regular expression runs only on paths holding its literal run. Every path of the source goes
 * through this in the pre-pass (31 patterns: ~8 µs a path through picomatch's matchers, ~1 µs here).
 */
export function anyPatternMatcher(patterns: readonly string[]): (path: string) => boolean {
  const literal = new Set(patterns);
  const tests = patterns.map((p) => ({ run: requiredLiteral(p), re: picomatch.makeRe(p, OPTIONS) }));
  return (path) => {
    if (path === '') return false;
    if (literal.has(path)) return true;
    for (const t of tests) if ((t.run === undefined || path.includes(t.run)) && t.re.test(path)) return true;
    return false;
  };
}

/** Compiled `find` patterns kept at most: key hints ask patterns made from each item's folder, one scan long. */
const FIND_CACHE = 256;

/** `find`, with each pattern compiled once (parsers ask the same few patterns for many items). */
function finder(paths: () => readonly string[]): (pattern: string) => readonly string[] {
  const compiled = new Map<string, (path: string) => boolean>();
  return (pattern) => {
    let m = compiled.get(pattern);
    if (!m) {
      if (compiled.size >= FIND_CACHE) compiled.clear();
      compiled.set(pattern, (m = anyPatternMatcher([pattern])));
    }
    return paths().filter((p) => m(p));
  };
}

/** An index over the paths that matched plugins' `indexPatterns` during enumeration. */
export function createSourceIndex(patterns: readonly string[]): GrowingSourceIndex {
  const matches = anyPatternMatcher(patterns);
  const paths: string[] = [];
  // An archive opened ahead of the walk and then opened again (scan-walk.ts) lists its members twice.
  const seen = new Set<string>();
  return {
    add(path) {
      if (!seen.has(path) && matches(path)) {
        seen.add(path);
        paths.push(path);
      }
    },
    find: finder(() => paths),
    size: () => paths.length,
    paths: () => paths,
    spawn: () => createSourceIndex(patterns),
    watching: patterns.length > 0,
  };
}

/**
 * Paths an archive's own index keeps at most: those of its members that match plugins' `indexPatterns` (key files,
 * playlists, `info.xml`...), not every member; a path is a few hundred bytes at most, so a few MiB an archive. Past
 * it the index is partial, and the archive's item and each member whose key hint it leaves undecided say so
 * (ARCHIVE_INDEX_LIMIT). One index per open archive: those on the walk's path (the depth limit) and those opened
 * ahead of it (scan-walk.ts, AHEAD_MAX_ARCHIVES).
 */
export const ARCHIVE_INDEX_MAX_PATHS = 16_384;

/**
 * Fills an archive's own index from its listing (each path under `prefix`): why it stopped short (more paths
 * matching than `maxPaths`, more members than `maxListed` (the archives' INDEX_MAX_MEMBERS), a listing that failed
 * or kept nothing), or undefined when the whole listing is in.
 */
export async function fillArchiveIndex(
  into: GrowingSourceIndex,
  listing: AsyncIterable<string>,
  prefix: string,
  maxListed: number,
  maxPaths = ARCHIVE_INDEX_MAX_PATHS,
): Promise<string | undefined> {
  let listed = 0;
  try {
    for await (const p of listing) {
      if (++listed > maxListed) return `the archive lists more than ${maxListed} members`;
      into.add(prefix + p);
      if (into.size() > maxPaths)
        return `more than ${maxPaths} of its members are named like the files plugins look for beside others (keys, playlists, backup descriptors)`;
    }
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code === 'ARCHIVE_INDEX_LIMIT'
      ? (err as Error).message
      : `its listing could not be read: ${(err as Error).message}`;
  }
}

let scopes = 0;

/**
 * An archive's own index over the index of what holds it: `find` answers from the archive's paths first, then
 * the outer ones (a folder's, an outer archive's), each path once. A member thus sees its siblings inside the
 * archive as a folder's file sees its own, and what lies outside as before.
 */
export function scopedIndex(own: readonly string[], outer: SourceIndex): SourceIndex {
  const inside = finder(() => own);
  return {
    find(pattern) {
      const a = inside(pattern);
      const b = outer.find(pattern);
      if (a.length === 0) return b;
      if (b.length === 0) return a;
      const seen = new Set(a);
      return [...a, ...b.filter((p) => !seen.has(p))];
    },
    scope: { id: ++scopes, paths: outer.scope ? [...own, ...outer.scope.paths] : own },
  };
}

/** An index over a fixed list of paths (a snapshot of the scan's index, in a parse child process). */
export function fixedSourceIndex(paths: readonly string[]): SourceIndex {
  return { find: finder(() => paths) };
}
