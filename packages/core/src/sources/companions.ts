/**
 * Which members of an archive a member may ask for beside it, from the archive's listing: a companion read whole
 * (`readSibling`: `x.db` and `x.db-wal` / `x.db-journal`, an MMKV file and its `.crc`) or a later volume of a split
 * set opened by name (`openSibling`: `a.7z.001` and `a.7z.002`...). A source that reads members in place answers
 * those by offset; a streamed one must keep the companions a member needs until that member has been read
 * (tar.ts). The relation is by name and folder only, as a folder's neighbours are found.
 */
import { laterVolumeNamer } from './volume-names.js';

/**
 * A companion suffix: what `readSibling` may ask (read-small.ts: letters, digits, `.`, `_`, `-`), beginning with a
 * separator (`-wal`, `.crc`), so `ab` is no companion of `a`.
 */
const COMPANION_SUFFIX = /^[-._][A-Za-z0-9._-]{0,31}$/;
/** Volumes of one split set looked for at most (as the 7-Zip opener copies out, sevenzip-workdir.ts). */
const MAX_VOLUMES = 999;

function split(p: string): { dir: string; base: string } {
  const at = p.lastIndexOf('/');
  return { dir: p.slice(0, at + 1), base: p.slice(at + 1) };
}

/**
 * For each listed name, the other listed names it may ask for (suffix companions and later volumes), in listing
 * order; names that ask for none are absent. O(names × 32): each name is checked against the few names it could
 * be a suffix companion of, never against all.
 *
 * @example
 * companionsOf(['d/x.db', 'd/x.db-wal', 'd/y']).get('d/x.db'); // ['d/x.db-wal']
 */
export function companionsOf(names: readonly string[]): Map<string, string[]> {
  const listed = new Set(names);
  const out = new Map<string, string[]>();
  const add = (of: string, companion: string) => {
    const list = out.get(of);
    if (!list) out.set(of, [companion]);
    else if (!list.includes(companion)) list.push(companion);
  };
  for (const name of names) {
    const { dir, base } = split(name);
    // Suffix companion: the name is another listed name plus a separator and at most 32 name characters.
    for (let k = Math.max(1, base.length - 32); k < base.length; k++) {
      if (!'-._'.includes(base[k]!)) continue;
      const owner = dir + base.slice(0, k);
      if (owner !== name && listed.has(owner) && COMPANION_SUFFIX.test(base.slice(k))) add(owner, name);
    }
    const later = laterVolumeNamer(base);
    for (let i = 1; later && i <= MAX_VOLUMES; i++) {
      const volume = dir + later(i);
      if (!listed.has(volume)) break;
      add(name, volume);
    }
  }
  return out;
}

/**
 * Bytes a streamed archive holds for companions by default: the members held back between a member and its later
 * companions, plus earlier companions kept past their own turn. Held bytes stay in the spool (memory up to its
 * pool, then private temporary files, spool.ts), so this bounds disk and delay; memory is the spool's.
 */
export const COMPANION_HOLD_BYTES = 256 * 1024 * 1024;

/** One member of a streamed archive's listing, in walk order: its name when it is a regular file with bytes to read. */
export interface ListedMember {
  name?: string;
  size: number;
}

/** What a streamed archive does about companions, worked out from its listing before the walk. */
export interface HoldPlan {
  /** Walk position of a member → positions of the companions it is given (earlier and later). */
  granted: Map<number, number[]>;
  /** Walk position of a member → the last position its handing out waits for (its last later companion). */
  waitFor: Map<number, number>;
  /** Walk position of a companion → how many granted members hold its bytes beside its own turn. */
  holders: Map<number, number>;
  /** Walk position of a member → why its companions are not held (the budget), and which. */
  refused: Map<number, { names: string[]; bytes: number }>;
}

/**
 * Decides, in walk order, which members get their companions: a member whose companions come later is held back
 * (with every member after it, so items still leave in walk order) until the last of them has passed; earlier ones
 * are kept past their own turn. Granted while the bytes held at once (the held-back run, merged with one still
 * open, plus the earlier companions) stay within `budget`; beyond it the member is refused, with the figures.
 * The plan depends on the listing only, so a scan gives the same answer each time.
 */
export function holdPlan(listing: readonly ListedMember[], budget: number): HoldPlan {
  const plan: HoldPlan = { granted: new Map(), waitFor: new Map(), holders: new Map(), refused: new Map() };
  const position = new Map<string, number>();
  listing.forEach((m, i) => m.name !== undefined && position.set(m.name, i));
  const names = listing.flatMap((m) => (m.name !== undefined ? [m.name] : []));
  const companions = companionsOf(names);
  if (companions.size === 0) return plan;
  // before[i]: bytes of the members before position i (the held-back run from a to b holds before[b + 1] - before[a]).
  const before = [0];
  for (const m of listing) before.push(before[before.length - 1]! + m.size);
  let runStart = -1;
  let runEnd = -1;
  for (let i = 0; i < listing.length; i++) {
    const name = listing[i]!.name;
    const wanted = name === undefined || position.get(name) !== i ? undefined : companions.get(name);
    if (!wanted) continue;
    const at = wanted.map((n) => position.get(n)!).filter((p) => p !== i);
    const later = at.filter((p) => p > i);
    const earlierBytes = at.filter((p) => p < i).reduce((n, p) => n + listing[p]!.size, 0);
    const last = later.length ? Math.max(...later) : -1;
    const start = i <= runEnd ? runStart : i;
    const end = Math.max(last, i <= runEnd ? runEnd : -1);
    const held = end >= 0 ? before[end + 1]! - before[start]! : 0;
    if (held + earlierBytes > budget) {
      plan.refused.set(i, { names: wanted, bytes: held + earlierBytes });
      continue;
    }
    plan.granted.set(i, at);
    if (last >= 0) {
      plan.waitFor.set(i, last);
      runStart = start;
      runEnd = end;
    }
    for (const p of at) plan.holders.set(p, (plan.holders.get(p) ?? 0) + 1);
  }
  return plan;
}
