/** How source names become manifest paths (docs/sources.md, "Paths"). */

/**
 * The manifest path contract's escape: `!/` separates an archive from its
 * members (`outer.zip!/member`), so a name component that itself ends in `!`
 * (a folder called `evil.zip!`) has each of its trailing `!` doubled. In a
 * manifest path, a component ending in an odd run of `!` is therefore always
 * an archive followed by the separator; an even run is part of the name.
 */
export function escapePathBangs(p: string): string {
  return p.includes('!') ? p.replace(/!+(?=\/|$)/g, (run) => run + run) : p;
}

/** The inverse of `escapePathBangs` for a path with no archive separator (a folder source's own path). */
export function unescapePathBangs(p: string): string {
  return p.includes('!') ? p.replace(/!+(?=\/|$)/g, (run) => run.slice(0, Math.ceil(run.length / 2))) : p;
}
