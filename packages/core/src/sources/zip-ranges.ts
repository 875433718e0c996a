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

/** Disjoint byte ranges claimed by the members read so far, sorted by start. */
export class MemberRanges {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** Claims `[start, end)`; when it overlaps an earlier claim, claims nothing and returns that claim. */
  claim(start: number, end: number): { start: number; end: number } | undefined {
    // First claimed range starting at or after `start` (binary search; members are usually in offset order).
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && this.ends[lo - 1]! > start) return { start: this.starts[lo - 1]!, end: this.ends[lo - 1]! };
    if (lo < this.starts.length && this.starts[lo]! < end) return { start: this.starts[lo]!, end: this.ends[lo]! };
    this.starts.splice(lo, 0, start);
    this.ends.splice(lo, 0, end);
    return undefined;
  }
}

/** The item error for a member refused because its bytes overlap another's. */
export function overlapMessage(span: { start: number; end: number }, earlier: { start: number; end: number }): string {
  return `The member's bytes (offsets ${span.start}-${span.end}) overlap those of another member (offsets ${earlier.start}-${earlier.end}), as in a non-recursive zip bomb; not expanded (Info-ZIP unzip refuses such archives too).`;
}
