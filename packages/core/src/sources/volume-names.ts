/**
 * The names of a split archive's later volumes, as 7-Zip looks for them beside the first (its volume naming:
 * `a.7z.001` then `a.7z.002`..., `a.part1.rar` then `a.part2.rar`..., the old RAR `a.rar` then `a.r00`, `a.r01`...).
 * Used for an archive nested in another, whose volumes are copied out with it (a folder's are read in place), and by
 * the archive sources to know which later members a first volume will ask for (companions.ts).
 */

/** The name of the volume after the first at `index` (1: the second), or undefined when `name` is no first volume. */
export function laterVolumeNamer(name: string): ((index: number) => string) | undefined {
  const numbered = /^(.+\.)(0*1)$/.exec(name);
  if (numbered) {
    const [, stem, first] = numbered;
    return (i) => `${stem}${String(i + 1).padStart(first!.length, '0')}`;
  }
  const part = /^(.+\.part)(0*1)(\.rar)$/i.exec(name);
  if (part) {
    const [, stem, first, ext] = part;
    return (i) => `${stem}${String(i + 1).padStart(first!.length, '0')}${ext}`;
  }
  // The old naming's first volume is `a.rar`; `a.part2.rar` is a later volume of the new one, never a first.
  const oldRar = /\.part\d+\.rar$/i.test(name) ? null : /^(.+\.)(rar)$/i.exec(name);
  if (oldRar) {
    const [, stem, ext] = oldRar;
    // r00...r99, then s00... as WinRAR names them; 7-Zip follows the same letters.
    const letter = ext![0] === 'R' ? 'R' : 'r';
    return (i) =>
      `${stem}${String.fromCharCode(letter.charCodeAt(0) + Math.floor((i - 1) / 100))}${String((i - 1) % 100).padStart(2, '0')}`;
  }
  return undefined;
}
