/**
 * SQLite write-ahead log analysis: which frames of a `-wal` file are valid
 * (salts equal to the header's and the running checksum chain intact), how
 * many of those are committed, how many follow the last commit, and how many
 * frames are left over from earlier WAL generations (salts differ: pages
 * written before the last checkpoint reset, often holding older or deleted
 * records). Valid committed frames hold changes a reader of the main file
 * alone does not see, unless a checkpoint already copied them back.
 * Reference: https://www.sqlite.org/fileformat2.html §4 (32-byte header,
 * 24-byte frame headers, checksum algorithm; magic 0x377f0683 means the
 * checksums use big-endian words, 0x377f0682 little-endian).
 */

export const WAL_HEADER_BYTES = 32;
export const WAL_FRAME_HEADER_BYTES = 24;

export interface WalFigures {
  /** Size of the -wal file in bytes. */
  bytes: number;
  /** Page size from the WAL header. */
  pageSize: number;
  checkpointSequence: number;
  /** Whether the header's own checksum is correct. */
  headerValid: boolean;
  /** Whole frames the file has room for. */
  frames: number;
  /** Frames with matching salts and an unbroken checksum chain, from the start. */
  validFrames: number;
  /** Valid frames up to and including the last commit frame: committed, perhaps not yet checkpointed. */
  committedFrames: number;
  /** Commit frames (transactions) among the valid frames. */
  commits: number;
  /** Distinct database pages among the committed frames. */
  committedPages: number;
  /** Valid frames after the last commit (a transaction that never committed). */
  uncommittedFrames: number;
  /** Frames whose salts belong to an earlier WAL generation (left over after a checkpoint reset). */
  staleFrames: number;
  /** Database size in pages after the last commit, from its frame header. */
  databasePagesAfterCommit: number | null;
  /** Bytes after the last whole frame. */
  trailingBytes: number;
}

/**
 * Reads the frame figures of a WAL file; undefined when the header is not a WAL header.
 *
 * @example
 * const f = analyseWal(fs.readFileSync('msgstore.db-wal'));
 * f?.committedFrames; // 12
 */
export function analyseWal(buf: Buffer): WalFigures | undefined {
  if (buf.length < WAL_HEADER_BYTES) return undefined;
  const magic = buf.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return undefined;
  const bigEndian = magic === 0x377f0683;
  const pageSize = buf.readUInt32BE(8);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return undefined;
  const salt1 = buf.readUInt32BE(16);
  const salt2 = buf.readUInt32BE(20);

  let s0 = 0;
  let s1 = 0;
  // The running sums are kept in locals while a range is summed: as variables of the closure, every
  // store of a value above 2^31 made a heap number (~10 ns a word; the tree's 28 MB of WAL took 0.3 s).
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const little = !bigEndian;
  const sum = (from: number, to: number) => {
    let a = s0;
    let b = s1;
    for (let p = from; p < to; p += 8) {
      a = (a + view.getUint32(p, little) + b) >>> 0;
      b = (b + view.getUint32(p + 4, little) + a) >>> 0;
    }
    s0 = a;
    s1 = b;
  };
  sum(0, 24);
  const headerValid = s0 === buf.readUInt32BE(24) && s1 === buf.readUInt32BE(28);

  const frameSize = WAL_FRAME_HEADER_BYTES + pageSize;
  const frames = Math.floor((buf.length - WAL_HEADER_BYTES) / frameSize);
  let validFrames = 0;
  let committedFrames = 0;
  let commits = 0;
  let staleFrames = 0;
  let databasePagesAfterCommit: number | null = null;
  let chainBroken = !headerValid;
  const pagesSeen = new Set<number>();
  const pagesCommitted = new Set<number>();
  for (let f = 0; f < frames; f++) {
    const at = WAL_HEADER_BYTES + f * frameSize;
    const pageNo = buf.readUInt32BE(at);
    const commitSize = buf.readUInt32BE(at + 4);
    const saltsMatch = buf.readUInt32BE(at + 8) === salt1 && buf.readUInt32BE(at + 12) === salt2;
    if (!saltsMatch) {
      // Salts of another generation: older content the last reset left behind.
      if (pageNo !== 0) staleFrames++;
      chainBroken = true;
      continue;
    }
    if (chainBroken) continue;
    sum(at, at + 8);
    sum(at + WAL_FRAME_HEADER_BYTES, at + frameSize);
    if (s0 !== buf.readUInt32BE(at + 16) || s1 !== buf.readUInt32BE(at + 20)) {
      chainBroken = true;
      continue;
    }
    validFrames++;
    pagesSeen.add(pageNo);
    if (commitSize !== 0) {
      commits++;
      committedFrames = validFrames;
      databasePagesAfterCommit = commitSize;
      for (const p of pagesSeen) pagesCommitted.add(p);
    }
  }
  return {
    bytes: buf.length,
    pageSize,
    checkpointSequence: buf.readUInt32BE(12),
    headerValid,
    frames,
    validFrames,
    committedFrames,
    commits,
    committedPages: pagesCommitted.size,
    uncommittedFrames: validFrames - committedFrames,
    staleFrames,
    databasePagesAfterCommit,
    trailingBytes: buf.length - WAL_HEADER_BYTES - frames * frameSize,
  };
}
