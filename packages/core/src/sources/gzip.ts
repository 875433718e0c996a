/**
 * A lone GZIP stream as a one-member source: `notes.txt.gz` expands to the
 * member `notes.txt` (the name without `.gz`; the header's FNAME when the
 * outer name has no `.gz`). The expanded size is measured by one inflating
 * pass (with the ratio guard) before the member is handed out; the member is
 * then read through an inflating reader that keeps the probe's windows. A
 * member small enough to be kept whole (`GZIP_WHOLE_BYTES`) keeps the bytes of
 * that pass, so it is inflated once, not measured and then inflated again.
 * Reference: RFC 1952 §2.3 (member header: FLG.FEXTRA/FNAME/FCOMMENT/FHCRC).
 */
import path from 'node:path';
import type { SourceInfo } from '../model/manifest.js';
import { CODEC_NAMES, CODEC_TOOLS, decompress, isUnsupported, type StreamCodec } from './compressed.js';
import type { GzipTrailing } from './gzip-members.js';
import { limitsOf, probeWindows, ratioProblem, type ArchiveOptions } from './archive-common.js';
import { decodeName } from './folder.js';
import { escapePathBangs } from './manifest-paths.js';
import { InflatingReader, nextChunk, readableFrom, WholePool, type RandomRead, type WindowCache } from './readers.js';
import type { EvidenceSource, SourceEntry } from './source.js';

/** The FNAME field of a GZIP header, when present (latin1 by the RFC). */
export function gzipFileName(head: Buffer): string | undefined {
  if (head.length < 10 || head[0] !== 0x1f || head[1] !== 0x8b) return undefined;
  const flg = head[3]!;
  let at = 10;
  if (flg & 4) {
    if (head.length < at + 2) return undefined;
    at += 2 + head.readUInt16LE(at);
  }
  if (!(flg & 8)) return undefined;
  const end = head.indexOf(0, at);
  if (end < 0) return undefined;
  return head.subarray(at, end).toString('latin1');
}

/** Each codec's suffixes: stripped from the stream's name, or (the short TAR forms) replaced by `.tar`. */
const SUFFIXES: Record<StreamCodec, { strip: RegExp; tar: RegExp }> = {
  gzip: { strip: /\.(gz|gzip)$/i, tar: /\.tgz$/i },
  xz: { strip: /\.xz$/i, tar: /\.txz$/i },
  zstd: { strip: /\.(zst|zstd)$/i, tar: /\.(tzst|tzstd)$/i },
  bzip2: { strip: /\.(bz2|bzip2|bz)$/i, tar: /\.(tbz2|tbz|tb2)$/i },
  lzma: { strip: /\.lzma$/i, tar: /\.tlz$/i },
  lzip: { strip: /\.lz$/i, tar: /^$/ },
  // Firefox's .jsonlz4 and .baklz4 hold JSON (their names lose "lz4"); .mozlz4 and .lz4 are stripped.
  lz4: { strip: /\.(lz4|mozlz4)$|(?<=\.(json|bak))lz4$/i, tar: /\.tlz4$/i },
  compress: { strip: /\.Z$/i, tar: /\.taz$/i },
  lzop: { strip: /\.lzo$/i, tar: /\.tzo$/i },
};

/** The member name for a compressed stream called `outerName` (GZIP's FNAME when the name says nothing). */
export function gzipMemberName(outerName: string, head: Buffer, codec: StreamCodec = 'gzip'): string {
  const base = path.posix.basename(outerName);
  const { strip, tar } = SUFFIXES[codec];
  const stripped = base.replace(strip, '');
  if (stripped !== base && stripped) return stripped;
  if (tar.test(base)) return base.replace(tar, '.tar');
  const fname = codec === 'gzip' ? gzipFileName(head) : undefined;
  return fname ? path.posix.basename(fname) : `${base}.out`;
}

/** Members up to this size are kept in memory whole, once read (the member's reader, below). */
export const GZIP_WHOLE_BYTES = 8 * 1024 * 1024;

/**
 * Inflates the whole stream once, counting; stops at the ratio limit. With `keepUpTo`, a stream that
 * inflates without a problem to at most that many bytes also returns them (`whole`).
 */
export async function measureGzip(
  base: RandomRead,
  opts: ArchiveOptions,
  keepUpTo = 0,
  codec: StreamCodec = 'gzip',
): Promise<{
  size: number;
  problem?: { code: string; message: string };
  whole?: Buffer;
  note?: { code: string; message: string };
}> {
  const limits = limitsOf(opts);
  let compressed = 0;
  let size = 0;
  let kept: Buffer[] | undefined = keepUpTo > 0 ? [] : undefined;
  const raw = readableFrom(base, 0, base.size, 1024 * 1024, (n) => (compressed += n));
  let trailing: GzipTrailing | undefined;
  const gunzip = decompress(codec, raw, (t) => (trailing = t));
  const what = `The ${CODEC_NAMES[codec]} stream`;
  try {
    // nextChunk, not the stream's async iterator: no AbortError with its stack when it is left (readers.ts).
    for (;;) {
      const c = await nextChunk(gunzip);
      if (c === null) break;
      size += c.length;
      if (kept) {
        if (size <= keepUpTo) kept.push(c);
        else kept = undefined;
      }
      const ratio = ratioProblem(what, size, compressed, limits);
      if (ratio) {
        raw.destroy();
        gunzip.destroy();
        return { size, problem: { code: 'ARCHIVE_RATIO_LIMIT', message: ratio } };
      }
    }
  } catch (err) {
    const msg = (err as Error).message;
    if (isUnsupported(err))
      return {
        size,
        problem: {
          code: 'ARCHIVE_UNSUPPORTED',
          message: `${what} is not damaged but needs what this decoder lacks (read up to ${size} expanded bytes): ${msg}. Decompress it with \`${CODEC_TOOLS[codec]}\` and scan the output.`,
        },
      };
    const truncated = /unexpected (end|eof)/i.test(msg);
    return {
      size,
      problem: {
        code: truncated ? 'ARCHIVE_TRUNCATED' : 'ARCHIVE_CORRUPT',
        message: `${what} ${truncated ? 'ends early (truncated)' : 'is damaged'} after ${size} expanded bytes: ${msg}.`,
      },
    };
  }
  const note = trailing ? { note: trailingNote(trailing, codec) } : {};
  return kept ? { size, whole: Buffer.concat(kept, size), ...note } : { size, ...note };
}

/** What each codec's own tool does with bytes after its data, for the analyst's note (checked with Debian's tools). */
const TRAILING: Partial<Record<StreamCodec, { code: string; after: string; tool: string }>> = {
  gzip: {
    code: 'GZIP_TRAILING_BYTES',
    after:
      'the last GZIP member and are not a GZIP member (no 1f 8b); the member(s) before them are whole (CRC-32 and size checked) and are what is read',
    tool: 'gzip -d reads the file the same way ("decompression OK, trailing garbage ignored"); Node\'s gunzip would fail on these bytes',
  },
  bzip2: {
    code: 'BZIP2_TRAILING_BYTES',
    after:
      'the last bzip2 stream and are not a bzip2 stream (no "BZh1"-"BZh9"); the stream(s) before them are whole (block and stream CRCs checked) and are what is read',
    tool: 'bzip2 -d reads the file the same way ("trailing garbage after EOF ignored")',
  },
  lzma: {
    code: 'LZMA_TRAILING_BYTES',
    after:
      'the end of the LZMA stream (its end marker, or the size its header gives); the stream before them decoded to its end and is what is read',
    tool: '`xz --format=lzma -d` writes the same data, then fails on these bytes ("Compressed data is corrupt")',
  },
  lzip: {
    code: 'LZIP_TRAILING_BYTES',
    after:
      'the last lzip member and are not a member (no "LZIP"); the member(s) before them are whole (CRC-32 and sizes checked) and are what is read',
    tool: 'lzip -d reads the file the same way (trailing data ignored)',
  },
};

/** What the analyst is told of bytes after a compressed file's last member or stream (gzip-members.ts, bzip2.ts, lzma.ts). */
export function trailingNote(t: GzipTrailing, codec: StreamCodec = 'gzip'): { code: string; message: string } {
  const w = TRAILING[codec] ?? { code: 'TRAILING_BYTES', after: `the ${CODEC_NAMES[codec]} data`, tool: '' };
  return {
    code: w.code,
    message: `${t.length} byte(s) from offset ${t.offset} follow ${w.after}${w.tool ? `. ${w.tool}` : ''}.`,
  };
}

export class GzipSource implements EvidenceSource {
  readonly info: SourceInfo;
  private readonly pool = new WholePool(GZIP_WHOLE_BYTES);

  constructor(
    private readonly base: RandomRead,
    private readonly closeBase: () => Promise<void>,
    /** `whole`: the inflated bytes, when the measuring pass kept them (measureGzip). */
    private readonly member: {
      name: string;
      size: number;
      problem?: { code: string; message: string };
      whole?: Buffer;
      /** A warning on the member that does not make it damaged (GZIP_TRAILING_BYTES). */
      note?: { code: string; message: string };
    },
    info: SourceInfo,
    private readonly opts: ArchiveOptions,
    private readonly codec: StreamCodec = 'gzip',
  ) {
    this.info = info;
  }

  async *entries(): AsyncIterable<SourceEntry> {
    const limits = limitsOf(this.opts);
    const { name, size, problem } = this.member;
    const { text, raw } = decodeName(Buffer.from(name, 'latin1'));
    const entry: SourceEntry = {
      path: escapePathBangs(text),
      kind: 'file',
      size,
      times: {},
      depth: 0,
      facts: { container: { archive: this.codec, compressedSize: this.base.size } },
      ...(raw ? { rawPath: raw } : {}),
    };
    // Refused, or nothing came out before the damage: there are no bytes to identify (not an empty file).
    if (problem?.code === 'ARCHIVE_RATIO_LIMIT' || (problem && size === 0)) {
      entry.error =
        problem.code === 'ARCHIVE_RATIO_LIMIT' || problem.code === 'ARCHIVE_UNSUPPORTED'
          ? problem
          : { code: 'MEMBER_TRUNCATED', message: `${problem.message} Nothing was decoded before the damage.` };
      yield entry;
      return;
    }
    if (problem)
      entry.facts!.problems = [
        { code: 'MEMBER_TRUNCATED', message: `${problem.message} The bytes before the damage are read.` },
      ];
    if (this.member.note) entry.facts!.problems = [...(entry.facts!.problems ?? []), this.member.note];
    const cache: WindowCache = { windows: [] };
    // What the reader's first read would inflate and keep (a complete stream, whole, within the pool),
    // already inflated by the measuring pass: the same bytes, without a second pass.
    const whole = this.member.whole;
    delete this.member.whole; // held by the member's cache from here, until its release
    if (!problem && whole && whole.length === size && size > 0 && this.pool.tryTake(size)) cache.whole = whole;
    const keep = probeWindows(size, limits);
    const base = this.base;
    const codec = this.codec;
    entry.open = async () =>
      new InflatingReader({
        size,
        // Damaged streams are read up to the damage.
        open: () => decompress(codec, readableFrom(base, 0, base.size, 1024 * 1024)),
        cache,
        keep,
        wholeLimit: GZIP_WHOLE_BYTES,
        pool: this.pool,
      });
    entry.release = () => this.pool.drop(cache);
    yield entry;
  }

  async close(): Promise<void> {
    await this.closeBase();
  }
}
