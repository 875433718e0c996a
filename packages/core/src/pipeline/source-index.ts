/**
 * The paths collected during enumeration that plugins asked about
 * (`meta.indexPatterns`), so a parser or a key hint can find a sibling file
 * (a key, a companion database) without a second walk of the source.
 */
import picomatch from 'picomatch';

export interface SourceIndex {
  find(pattern: string): readonly string[];
}

/** The index a scan fills as it enumerates. */
export interface GrowingSourceIndex extends SourceIndex {
  add(path: string): void;
  size(): number;
  paths(): readonly string[];
}

/** An index over the paths that matched plugins' `indexPatterns` during enumeration. */
export function createSourceIndex(patterns: readonly string[]): GrowingSourceIndex {
  const matchers = patterns.map((p) => picomatch(p, { dot: true }));
  const paths: string[] = [];
  // An archive opened ahead of the walk and then opened again (scan-walk.ts) lists its members twice.
  const seen = new Set<string>();
  return {
    add(path) {
      if (!seen.has(path) && matchers.some((m) => m(path))) {
        seen.add(path);
        paths.push(path);
      }
    },
    find(pattern) {
      const m = picomatch(pattern, { dot: true });
      return paths.filter((p) => m(p));
    },
    size: () => paths.length,
    paths: () => paths,
  };
}

/** An index over a fixed list of paths (a snapshot of the scan's index, in a parse child process). */
export function fixedSourceIndex(paths: readonly string[]): SourceIndex {
  return {
    find(pattern) {
      const m = picomatch(pattern, { dot: true });
      return paths.filter((p) => m(p));
    },
  };
}
