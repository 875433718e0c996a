/** How source names become manifest paths (docs/sources.md, "Paths"). */

/**
 * The manifest path contract's escape: `!/` separates an archive from its
 * members (`outer.zip!/member`), so a name component that itself ends in `!`
 * (a folder called `evil.zip!`) has each of its trailing `!` doubled. In a
 * manifest path, a component ending in an odd run of `!` is therefore always
 * an archive followed by the separator; an even run is part of the name.
 */
export function escapePathBangs(p: string): string {
  return p.includes('!') ? mapTrailingBangs(p, (run) => run * 2) : p;
}

/** The inverse of `escapePathBangs` for a path with no archive separator (a folder source's own path). */
export function unescapePathBangs(p: string): string {
  return p.includes('!') ? mapTrailingBangs(p, (run) => Math.ceil(run / 2)) : p;
}

/**
 * Each component's trailing run of `!` resized, the run counted back from the component's end. (The regex
 * `/!+(?=\/|$)/g` tried every `!` of a run as a start: a member name of 65,000 `!` and a letter took 5 s.)
 */
function mapTrailingBangs(p: string, size: (run: number) => number): string {
  return p
    .split('/')
    .map((part) => {
      let end = part.length;
      while (end > 0 && part.charCodeAt(end - 1) === 0x21) end--;
      const run = part.length - end;
      return run === 0 ? part : part.slice(0, end) + '!'.repeat(size(run));
    })
    .join('/');
}
