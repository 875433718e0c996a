/**
 * Shards: one source scanned as N parts on N machines (docs/distributed.md).
 * A part is a contiguous run of the top-level walk, so the parts' items,
 * concatenated in shard order, are the single scan's items in its order, and
 * every archive's members stay in the part of the archive.
 */
import type { EvidenceSource } from '../sources/source.js';

/** Part `index` (0-based) of `count`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Parses `K/N` (1-based K, as written on the command line) into a 0-based spec. */
export function parseShard(text: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || k < 1 || k > n || n > 100_000) {
    throw new RangeError(
      `"${text}" is not a shard: write K/N with 1 <= K <= N (e.g. 2/6 for the second of six parts).`,
    );
  }
  return { index: k - 1, count: n };
}

/**
 * Top-level entries `[start, end)` of the walk that part `spec` processes,
 * given `total` entries. The last part is open-ended, so the parts cover the
 * walk whatever `total` was: an estimate only moves the cut points.
 */
export function shardRange(spec: ShardSpec, total: number): { start: number; end?: number } {
  const cut = (i: number) => Math.floor((i * total) / spec.count);
  const start = cut(spec.index);
  return spec.index === spec.count - 1 ? { start } : { start, end: cut(spec.index + 1) };
}

/**
 * Counts the top-level entries a scan would walk: from the source's cheap
 * listing (no stat) where it has one, else by walking its entries once.
 */
export async function countTopLevel(
  source: EvidenceSource,
  keep: (path: string) => boolean,
  signal?: AbortSignal,
): Promise<number> {
  let n = 0;
  if (source.listPaths) {
    for await (const p of source.listPaths(signal)) if (keep(p)) n++;
    return n;
  }
  for await (const e of source.entries(signal)) {
    if (keep(e.path)) n++;
    e.release?.();
  }
  return n;
}
