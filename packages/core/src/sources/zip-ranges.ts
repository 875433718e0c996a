/**
 * Overlapping ZIP members: a "non-recursive zip bomb" (D. Fifield, 2019)
 * points many central-directory records at the same compressed bytes, so a
 * small archive expands to thousands of copies. Like Info-ZIP's unzip (6.0
 * patch for CVE-2019-13232), the ranges members occupy are checked against each
 * other from the central directory alone: the first member to claim bytes is
 * read, later ones that overlap it are refused.
 */

/** Where a member's bytes lie, from its directory record: at least its local header's fixed part and its data. */
export function memberSpan(localHeaderOffset: number, compressedSize: number): { start: number; end: number } {
  // The real span is 30 + name + extra + data; 30 + data is inside it, so honest neighbours never overlap.
  return { start: localHeaderOffset, end: localHeaderOffset + 30 + compressedSize };
}

/** Most ranges one block holds before it is split in two. */
const BLOCK_MAX = 1024;

interface Block {
  starts: number[];
  ends: number[];
}

/**
 * Disjoint byte ranges claimed by the members read so far, sorted by start, in
 * blocks of at most BLOCK_MAX: an insertion moves at most a block's ranges, so a
 * directory listed in falling offset order (1,000,000 records: each insert at
 * the front of one sorted array took the scan quadratic time) costs
 * O(n log n + n x BLOCK_MAX) like one in rising order.
 */
export class MemberRanges {
  private readonly blocks: Block[] = [];

  /** Claims `[start, end)`; when it overlaps an earlier claim, claims nothing and returns that claim. */
  claim(start: number, end: number): { start: number; end: number } | undefined {
    if (this.blocks.length === 0) {
      this.blocks.push({ starts: [start], ends: [end] });
      return undefined;
    }
    // The last block whose first range starts before `start` (or the first block).
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.blocks[mid]!.starts[0]! < start) lo = mid + 1;
      else hi = mid;
    }
    const b = Math.max(0, lo - 1);
    const block = this.blocks[b]!;
    // First range of that block starting at or after `start`.
    lo = 0;
    hi = block.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (block.starts[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    // The claim before `start` ends after it, or the claim after it starts before `end`: an overlap.
    if (lo > 0 && block.ends[lo - 1]! > start) return { start: block.starts[lo - 1]!, end: block.ends[lo - 1]! };
    const next = lo < block.starts.length ? { blk: block, i: lo } : { blk: this.blocks[b + 1], i: 0 };
    if (next.blk && next.blk.starts[next.i]! < end)
      return { start: next.blk.starts[next.i]!, end: next.blk.ends[next.i]! };
    block.starts.splice(lo, 0, start);
    block.ends.splice(lo, 0, end);
    if (block.starts.length > BLOCK_MAX) {
      const half = block.starts.length >>> 1;
      this.blocks.splice(b + 1, 0, { starts: block.starts.splice(half), ends: block.ends.splice(half) });
    }
    return undefined;
  }
}

/** The item error for a member refused because its bytes overlap another's. */
export function overlapMessage(span: { start: number; end: number }, earlier: { start: number; end: number }): string {
  return `The member's bytes (offsets ${span.start}-${span.end}) overlap those of another member (offsets ${earlier.start}-${earlier.end}), as in a non-recursive zip bomb; not expanded (Info-ZIP unzip refuses such archives too).`;
}
