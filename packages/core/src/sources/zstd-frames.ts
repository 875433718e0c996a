/**
 * Where a Zstandard stream's frames end, followed byte by byte as the compressed bytes arrive (RFC 8878 §3.1):
 * frame headers, block headers and sizes, the content checksum, skippable frames. fzstd decodes the frames but
 * skips their checksums (the low 32 bits of the content's XXH64), so damaged block data decoded to other bytes
 * without a word; with the frames' ends known, the decoder's thread hashes each frame's output and checks it.
 */

/** A frame's end within the bytes given to `feed`: where it ends, and its checksum when the frame has one. */
export interface FrameEnd {
  /** Offset in the bytes fed just now, one past the frame's last byte. */
  at: number;
  checksum?: number;
}

const ZSTD_MAGIC = 0xfd2fb528;

type Part = 'magic' | 'descriptor' | 'header' | 'block' | 'body' | 'checksum' | 'skip-size' | 'skip' | 'lost';

export class FrameTracker {
  private part: Part = 'magic';
  /** Bytes still needed for the current part. */
  private need = 4;
  /** The current part's bytes, when it is a header the tracker reads (at most 14 bytes). */
  private held: number[] = [];
  private hasChecksum = false;
  private lastBlock = false;

  /** Whether the tracker still follows the stream (a byte it cannot read leaves the decoder to refuse the stream). */
  get following(): boolean {
    return this.part !== 'lost';
  }

  /** Whether a frame has begun and not ended: its output is being produced. */
  get inFrame(): boolean {
    return (
      this.part === 'descriptor' ||
      this.part === 'header' ||
      this.part === 'block' ||
      this.part === 'body' ||
      this.part === 'checksum'
    );
  }

  /** Reads `bytes`, the stream's next bytes, and says where frames that have a checksum or none end in them. */
  feed(bytes: Uint8Array): FrameEnd[] {
    const ends: FrameEnd[] = [];
    let at = 0;
    while (at < bytes.length && this.part !== 'lost') {
      const take = Math.min(this.need, bytes.length - at);
      const reads = this.part !== 'body' && this.part !== 'skip';
      if (reads) for (let i = 0; i < take; i++) this.held.push(bytes[at + i]!);
      at += take;
      this.need -= take;
      if (this.need > 0) break;
      const end = this.next();
      if (end) ends.push({ at, ...(end.checksum !== undefined ? { checksum: end.checksum } : {}) });
    }
    return ends;
  }

  /** The current part is complete: on to the next; a frame's end when this part closed one. */
  private next(): { checksum?: number } | undefined {
    const h = this.held;
    this.held = [];
    const u32 = (o: number) => (h[o]! | (h[o + 1]! << 8) | (h[o + 2]! << 16) | (h[o + 3]! << 24)) >>> 0;
    switch (this.part) {
      case 'magic': {
        const magic = u32(0);
        if (magic === ZSTD_MAGIC) return this.expect('descriptor', 1);
        if (magic >>> 4 === 0x184d2a5) return this.expect('skip-size', 4);
        return this.expect('lost', 0);
      }
      case 'descriptor': {
        const d = h[0]!;
        this.hasChecksum = (d & 4) !== 0;
        const single = (d >> 5) & 1;
        const fcs = d >> 6;
        const rest = (single ? 0 : 1) + [0, 1, 2, 4][d & 3]! + (fcs === 0 ? single : 1 << fcs);
        this.lastBlock = false;
        return rest > 0 ? this.expect('header', rest) : this.expect('block', 3);
      }
      case 'header':
        return this.expect('block', 3);
      case 'block': {
        const v = h[0]! | (h[1]! << 8) | (h[2]! << 16);
        this.lastBlock = (v & 1) === 1;
        const type = (v >> 1) & 3;
        if (type === 3) return this.expect('lost', 0);
        const size = type === 1 ? 1 : v >>> 3;
        if (size > 0) return this.expect('body', size);
        return this.afterBody();
      }
      case 'body':
        return this.afterBody();
      case 'checksum':
        this.expect('magic', 4);
        return { checksum: u32(0) };
      case 'skip-size': {
        const size = u32(0);
        return size > 0 ? this.expect('skip', size) : this.expect('magic', 4);
      }
      case 'skip':
        return this.expect('magic', 4);
      default:
        return undefined;
    }
  }

  private afterBody(): { checksum?: number } | undefined {
    if (!this.lastBlock) return this.expect('block', 3);
    if (this.hasChecksum) return this.expect('checksum', 4);
    this.expect('magic', 4);
    return {};
  }

  private expect(part: Part, need: number): undefined {
    this.part = part;
    this.need = need;
    return undefined;
  }
}
