/**
 * TAR and TAR.GZ sources, read in one pass with tar-stream (ustar, GNU long
 * names, PAX path/size/mtime/atime/ctime, base-256 sizes). Nothing is
 * extracted to disk:
 * - a plain `.tar` that can be read at random (a local file, or a member read
 *   in place) is listed once and its members are then read in place, by
 *   range, at the data offset tar-stream reports;
 * - a `.tar.gz` (or any stream) keeps each member's bytes as they pass, in
 *   memory or in a private temporary file, until the pipeline releases the
 *   entry (`spool.ts`; docs/sources.md).
 * References: POSIX.1-2017 pax (ustar header, extended header keywords);
 * GNU tar manual §Basic Tar Format (`L`/`K` long names, base-256 numbers).
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import { tarStream } from '../lazy-require.js';
import type { EntryKind, Times } from '../model/evidence-item.js';
import type { SourceInfo, SourceKind } from '../model/manifest.js';
import { MemberPaths, nameProblems, tidyMemberName } from './archive-names.js';
import {
  archiveProblemEntry,
  INDEX_MAX_MEMBERS,
  limitsOf,
  probeWindows,
  ratioProblem,
  type ArchiveOptions,
} from './archive-common.js';
import { decodeName, isoTime, openLocalReader } from './folder.js';
import { CODEC_HEAD_BYTES, CODEC_TOOLS, codecOf, decompress, isUnsupported, type StreamCodec } from './compressed.js';
import { trailingNote } from './gzip.js';
import type { GzipTrailing } from './gzip-members.js';
import { COMPANION_HOLD_BYTES, holdPlan, type ListedMember } from './companions.js';
import { readableFrom, readFully, sliceReader, type RandomRead } from './readers.js';
import { siblingPath, SiblingTooLargeError } from './read-small.js';
import type { ByteReader, EntryFacts, EvidenceSource, SourceEntry } from './source.js';
import { DEFAULT_SPOOL_LIMITS, Spool } from './spool.js';
import { readGnuSparse, readPaxSparse, sparseReader, type GnuSparse } from './tar-sparse.js';

const KINDS: Record<string, EntryKind> = {
  file: 'file',
  'contiguous-file': 'file',
  link: 'file',
  symlink: 'symlink',
  directory: 'directory',
  fifo: 'fifo',
  'character-device': 'char-device',
  'block-device': 'block-device',
  'gnu-sparse': 'file',
};

/**
 * Typeflags tar-stream does not know whose records describe the archive or
 * the member that follows, and hold no file: Solaris ACLs ('A', read by
 * libarchive as the next member's ACL), Solaris extended headers ('X', the
 * pre-POSIX form of PAX 'x'), the GNU volume label ('V'). Read in place only
 * (a streamed TAR's typeflag is not seen).
 */
const METADATA_TYPES = new Set([0x41, 0x58, 0x56]);
const METADATA = 'metadata-record';

/** tar-stream's extractor state read after a header it refused (the offset of that header, long headers pending). */
interface TarStreamState {
  _offset?: number;
  _pax?: unknown;
  _gnuLongPath?: unknown;
  _gnuLongLinkPath?: unknown;
}

/** The checksum field's number: octal digits after optional spaces, ended by NUL or space. */
function storedChecksum(block: Buffer): number | undefined {
  const m = /^ *([0-7]{1,7})(?:[\0 ]|$)/.exec(block.toString('latin1', 148, 156));
  return m ? parseInt(m[1]!, 8) : undefined;
}

/**
 * A copy of a 512-byte header whose stored checksum is its sum as signed
 * bytes (POSIX says unsigned) with the unsigned sum written in, or undefined
 * when the header is not one of those (a damaged header stays refused).
 */
function withUnsignedChecksum(block: Buffer): Buffer | undefined {
  if (block.length !== 512) return undefined;
  const stored = storedChecksum(block);
  let unsigned = 8 * 0x20;
  let signed = 8 * 0x20;
  for (let i = 0; i < 512; i++) {
    if (i >= 148 && i < 156) continue;
    const b = block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  if (stored === undefined || stored !== signed || stored === unsigned) return undefined;
  const copy = Buffer.from(block);
  copy.write(`${unsigned.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return copy;
}

/** A stream of `head` then `rest`. */
function startingWith(head: Buffer, rest: Readable): Readable {
  return Readable.from(
    (async function* () {
      yield head;
      yield* rest;
    })(),
    { objectMode: false },
  );
}

/** Where a TAR's bytes come from. */
export type TarInput =
  /** Random access: members are read in place. */
  | { kind: 'random'; reader: RandomRead; close: () => Promise<void> }
  /** A stream made afresh for each pass (a file through gunzip, a nested member); `compressed` counts input bytes for the ratio check. */
  | {
      kind: 'stream';
      open: () => Readable;
      compressedBytes: () => number;
      close: () => Promise<void>;
      /** What the last pass found after the compressed stream's end, said once the members are read. */
      afterEnd?: () => { code: string; message: string } | undefined;
    };

interface HeaderLike {
  name: string;
  size: number;
  mode: number;
  mtime: Date;
  /** tar-stream's name for the typeflag; null for one it does not know. */
  type: string | null;
  linkname: string | null;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  pax?: Record<string, string> | null;
  /** An old-GNU sparse member's map (tar-sparse.ts). */
  sparse?: GnuSparse;
  /** A typeflag tar-stream does not know, met in a stream (where the header's bytes cannot be read again). */
  unknownType?: boolean;
}

function paxTime(v: string | undefined): string | undefined {
  if (!v || !/^-?\d+(\.\d+)?$/.test(v)) return undefined;
  const [s, frac = ''] = v.split('.');
  const ms = Number(s) * 1000 + Number((frac + '000').slice(0, 3)) * (v.startsWith('-') ? -1 : 1);
  return isoTime(ms);
}

function nameOf(h: HeaderLike): { text: string; raw?: string } {
  // PAX names are UTF-8 by definition; header names are bytes, read as latin1 so no byte is lost.
  if (h.pax?.path) return { text: h.pax.path };
  return decodeName(Buffer.from(h.name, 'latin1'));
}

/** `f`, run on the first call only (a release handed to the pipeline and to companions alike). */
function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    f();
  };
}

/** Bytes hard links may hand out beyond the bytes of the archive's members (TarSource.entries, linkAllowed). */
const LINK_ALLOWANCE = 64 * 1024 * 1024;

/** Members at least this large are skipped, not read through, by a listing in place. */
const SKIP_DATA_BYTES = 1024 * 1024;

/** One member as the listing pass saw it: where its bytes lie (in place) and, for a regular file, its stored name. */
interface TarListed extends ListedMember {
  offset: number;
  sparse?: GnuSparse;
}

/** The archive's members in walk order, and the position of each stored name's last regular member. */
interface TarListing {
  members: TarListed[];
  byName: Map<string, number>;
  /** More members than INDEX_MAX_MEMBERS: nothing is kept, no member gets companions. */
  dropped?: true;
}

/** Whether a listed header is a regular file whose bytes are its own (not a link, a sparse member it cannot read). */
function ownBytes(h: HeaderLike): boolean {
  return (KINDS[h.type ?? ''] ?? 'other') === 'file' && h.type !== 'link' && !h.sparse?.problem && !h.unknownType;
}

export class TarSource implements EvidenceSource {
  readonly info: SourceInfo;
  private spool: Spool | undefined;
  /** The listing pass's members (check() makes it; entries() makes it when no check ran). */
  private listing: TarListing | undefined;

  constructor(
    private readonly input: TarInput,
    info: SourceInfo,
    private readonly opts: ArchiveOptions = {},
  ) {
    this.info = info;
  }

  /** A `.tar` or a compressed TAR (`.tar.gz`, `.tar.xz`, `.tar.zst`); the compressor is recognised by its magic, whatever the name. */
  static async fromFile(file: string, given = file, kind?: SourceKind, opts: ArchiveOptions = {}): Promise<TarSource> {
    const reader = await openLocalReader(file);
    const codec =
      kind === 'tar'
        ? undefined
        : (codecOf(await reader.read(0, CODEC_HEAD_BYTES)) ??
          (kind === 'tar.gz' ? 'gzip' : kind === 'tar.lzma' ? 'lzma' : undefined));
    if (!codec)
      return new TarSource({ kind: 'random', reader, close: () => reader.close() }, { path: given, kind: 'tar' }, opts);
    let counted = 0;
    let trailing: GzipTrailing | undefined;
    return new TarSource(
      {
        kind: 'stream',
        open: () => {
          counted = 0;
          trailing = undefined;
          const raw = readableFrom(reader, 0, reader.size, 1024 * 1024, (n) => (counted += n));
          return decompress(codec, raw, (t) => (trailing = t));
        },
        compressedBytes: () => counted,
        close: () => reader.close(),
        afterEnd: () => (trailing ? trailingNote(trailing, codec) : undefined),
      },
      { path: given, kind: TAR_KINDS[codec] },
      opts,
    );
  }

  /**
   * One pass over the headers (and, for streams, the bytes). `onMember` gets
   * each header with its data offset and, for streams, the member's bytes as
   * they pass. Resolves with the problem that ended the pass early, if any.
   */
  private async pass(
    onMember: (h: HeaderLike, offset: number, body: AsyncIterable<Buffer>) => Promise<boolean | void>,
    signal?: AbortSignal,
  ): Promise<{ code: string; message: string } | undefined> {
    const limits = limitsOf(this.opts);
    let expanded = 0;
    let members = 0;
    const input_ = this.input;
    const info = this.info;
    async function* counted(stream: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const c of stream) {
        expanded += c.length;
        if (input_.kind === 'stream') {
          const ratio = ratioProblem(
            `The ${info.kind === 'tar' ? 'compressed' : info.kind.toUpperCase()} stream`,
            expanded,
            input_.compressedBytes(),
            limits,
          );
          if (ratio) throw Object.assign(new Error(ratio), { code: 'ARCHIVE_RATIO_LIMIT' });
        }
        yield c;
      }
    }
    // In place, a listing starts again after each GNU sparse member (at the header that really follows it) and
    // after each large member (rather than reading its data through).
    /** Where the next header is due after the last member's data: a header found later came after zero blocks. */
    let expectedNext = 0;
    /** A header whose checksum only holds summed as signed bytes, given to tar-stream with its unsigned sum. */
    let patched: Buffer | undefined;
    for (let start = 0; ;) {
      const extract = tarStream().extract({ filenameEncoding: 'latin1', allowUnknownFormat: true } as never);
      const input =
        input_.kind !== 'random'
          ? input_.open()
          : patched
            ? startingWith(patched, readableFrom(input_.reader, start + 512, input_.reader.size, 1024 * 1024))
            : readableFrom(input_.reader, start, input_.reader.size, 1024 * 1024);
      patched = undefined;
      let inputError: Error | undefined;
      input.on('error', (err) => {
        inputError = err;
        extract.destroy(err);
      });
      input.pipe(extract);
      let resumeAt: number | undefined;
      try {
        for await (const stream of extract as AsyncIterable<Readable & { header: HeaderLike; offset: number }>) {
          if (signal?.aborted) {
            input.destroy();
            return undefined;
          }
          if (++members > limits.maxArchiveMembers) {
            input.destroy();
            return {
              code: 'ARCHIVE_MEMBER_LIMIT',
              message: `The archive has more than ${limits.maxArchiveMembers} members; only the first ${limits.maxArchiveMembers} were read (member limit; raise --max-members to read more).`,
            };
          }
          const headerAt = start + stream.offset;
          expectedNext =
            headerAt +
            512 +
            (stream.header.size > 0 && stream.header.type !== 'directory'
              ? Math.ceil(stream.header.size / 512) * 512
              : 0);
          // A type tar-stream does not know, in place: its typeflag says what it is.
          const gnuType =
            stream.header.type === null && input_.kind === 'random'
              ? (await readFully(input_.reader, headerAt + 156, 1))[0]
              : undefined;
          // A sparse member is read through its map (tar-sparse.ts): old GNU ('S'), or PAX (0.1, 1.0) records.
          const sparse =
            input_.kind !== 'random'
              ? undefined
              : gnuType === 0x53
                ? await readGnuSparse(input_.reader, headerAt, stream.header.size)
                : stream.header.pax && stream.header.size > 0
                  ? await readPaxSparse(input_.reader, headerAt + 512, stream.header.size, stream.header.pax)
                  : undefined;
          // Holes cost nothing to store and everything to read whole (hashing): past the expanded-bytes limit, the
          // size a header claims is a bomb, as an archive's would be.
          if (sparse && !sparse.problem && sparse.realSize > limits.maxExpandedBytes)
            sparse.problem = `it claims ${sparse.realSize} bytes with its holes, past the expanded-bytes limit of ${limits.maxExpandedBytes} (raise --max-expanded to read it)`;
          if (sparse) {
            // A PAX sparse member keeps its real name in a record; the header's is a placeholder (GNUSparseFile.*).
            const name = 'name' in sparse ? (sparse.name as string) : undefined;
            const header: HeaderLike = {
              ...stream.header,
              type: 'gnu-sparse',
              sparse,
              ...(name !== undefined ? { name, pax: { ...stream.header.pax, path: name } } : {}),
            };
            const stop = await onMember(header, sparse.dataAt, counted([]));
            if (stop === false) {
              input.destroy();
              return undefined;
            }
            // tar-stream lost its place after an old-GNU one (it read the map's blocks as data); after a PAX one
            // it is in place, and the data is read through unless a restart is safe (no global PAX header).
            if (gnuType === 0x53 || (extract as unknown as { _paxGlobal?: unknown })._paxGlobal === null) {
              resumeAt = sparse.nextHeaderAt;
              break;
            }
            for await (const _ of counted(stream)) void _;
            continue;
          }
          // In a stream the bytes cannot be read again through a map: a PAX sparse member keeps its real name and
          // size and says why it was not read (tar-stream would hand out its map and regions as the file's bytes).
          const streamSparse = input_.kind === 'stream' ? paxSparseInStream(stream.header.pax) : undefined;
          // tar-stream feeds bytes only to members with a size that are not directories (a directory's size
          // field is not data: GNU tar and Python's tarfile read the next header right after it); iterating the
          // stream of a directory that declares a size would wait forever.
          const fed = stream.header.size > 0 && stream.header.type !== 'directory';
          const body = counted(fed ? stream : []);
          // A GNU dump directory ('D', tar --listed-incremental) is a directory; its data lists what it held.
          // Records about the archive or the next member are no members (METADATA_TYPES).
          const header: HeaderLike = streamSparse
            ? {
                ...stream.header,
                type: 'gnu-sparse',
                sparse: streamSparse,
                ...(streamSparse.name !== undefined
                  ? { name: streamSparse.name, pax: { ...stream.header.pax, path: streamSparse.name } }
                  : {}),
              }
            : gnuType === 0x44
              ? { ...stream.header, type: 'directory' }
              : gnuType !== undefined && METADATA_TYPES.has(gnuType)
                ? { ...stream.header, type: METADATA }
                : // (A name ending in '/' is a GNU dump directory, 'D': a directory, not a file left unread.)
                  input_.kind === 'stream' && stream.header.type === null && !stream.header.name.endsWith('/')
                  ? { ...stream.header, unknownType: true }
                  : stream.header;
          const stop = await onMember(header, headerAt + 512, body);
          if (stop === false) {
            input.destroy();
            return undefined;
          }
          // In place, members are read where they lie: the listing need not read a large member's data through,
          // it starts again at the next header. Not after a global PAX header (tar-stream keeps it in the extractor).
          const next = headerAt + 512 + Math.ceil(stream.header.size / 512) * 512;
          if (
            input_.kind === 'random' &&
            fed &&
            stream.header.size >= SKIP_DATA_BYTES &&
            next + 1024 <= input_.reader.size &&
            (extract as unknown as { _paxGlobal?: unknown })._paxGlobal === null
          ) {
            resumeAt = next;
            break;
          }
          // Whatever the callback left unread is read through (and counted) so the next header can be read.
          for await (const _ of body) void _;
        }
      } catch (err) {
        input.destroy();
        if ((err as { code?: string }).code === 'ARCHIVE_RATIO_LIMIT')
          return { code: 'ARCHIVE_RATIO_LIMIT', message: (err as Error).message };
        const e = inputError ?? (err as Error);
        if (!inputError && e.message.startsWith('Invalid tar header.')) {
          const state = extract as unknown as TarStreamState;
          const failedAt = start + (state._offset ?? 0);
          // Zero blocks, then bytes that are no header: the archive ended at its end-of-archive marker (GNU tar and
          // Python's tarfile stop at the first zero block); AIX's tar leaves the rest of its last record unwritten.
          const longHeaderPending = state._pax != null || state._gnuLongPath != null || state._gnuLongLinkPath != null;
          if (failedAt > expectedNext && !longHeaderPending) return undefined;
          // HP-UX's and old Sun tars summed the header as signed bytes; GNU tar and Python accept either sum.
          if (input_.kind === 'random') {
            patched = withUnsignedChecksum(await readFully(input_.reader, failedAt, 512));
            if (patched) {
              start = failedAt;
              continue;
            }
          }
        }
        if (isUnsupported(e)) {
          const codec = (Object.keys(TAR_KINDS) as StreamCodec[]).find((c) => TAR_KINDS[c] === this.info.kind);
          return {
            code: 'ARCHIVE_UNSUPPORTED',
            message: `The ${this.info.kind.toUpperCase()} is not damaged but its compression needs what this decoder lacks, after ${members} member(s): ${e.message}. Decompress it with \`${codec ? CODEC_TOOLS[codec] : 'the compressor'}\` and scan the TAR.`,
          };
        }
        const truncated = /unexpected end|premature|unexpected eof/i.test(e.message);
        return {
          code: truncated ? 'ARCHIVE_TRUNCATED' : 'ARCHIVE_CORRUPT',
          message: `The ${this.info.kind.toUpperCase()} ${truncated ? 'ends early (truncated)' : 'is damaged'} after ${members} member(s): ${e.message}. The members before the damage were read.`,
        };
      }
      input.destroy();
      if (inputError)
        return { code: 'ARCHIVE_CORRUPT', message: `The archive could not be read to the end: ${inputError.message}` };
      if (resumeAt === undefined) return undefined;
      start = resumeAt;
    }
  }

  /**
   * Reads every header once without keeping bytes: for nested archives, so
   * member count, ratio, truncation and the expanded size are known before
   * the container item is written. Returns the expanded size and the problem, if any.
   * `expanded` counts the member bytes the archive really holds (what reading it
   * can cost), never the sizes the headers declare: a header may lie.
   */
  async check(): Promise<{ expanded: number; members: number; problem?: { code: string; message: string } }> {
    let expanded = 0;
    let declared = 0;
    let members = 0;
    const input = this.input;
    const listing: TarListing = { members: [], byName: new Map() };
    const problem = await this.pass(async (h, offset, body) => {
      declared += h.size;
      members++;
      // Past the index limit the listing is dropped: no member gets companions (as a ZIP that large gets no index).
      if (listing.members.length >= INDEX_MAX_MEMBERS) {
        listing.members = [];
        listing.byName.clear();
        listing.dropped = true;
      }
      const name = ownBytes(h) && !listing.dropped ? tidyMemberName(nameOf(h).text) : undefined;
      if (name !== undefined) listing.byName.set(name, listing.members.length);
      if (!listing.dropped)
        listing.members.push({
          ...(name !== undefined ? { name } : {}),
          size: h.size,
          offset,
          ...(h.sparse ? { sparse: h.sparse } : {}),
        });
      if (input.kind === 'random') {
        expanded += Math.max(0, Math.min(h.size, input.reader.size - offset));
        return;
      }
      for await (const c of body) expanded += c.length;
    });
    // What the pass saw before any damage: the members a sibling may be looked up among.
    this.listing = listing;
    if (input.kind === 'random' && !problem && declared > expanded) {
      return {
        expanded,
        members,
        problem: {
          code: 'ARCHIVE_TRUNCATED',
          message: `The TAR's members claim ${declared} bytes but the archive holds ${expanded} of them: it is truncated.`,
        },
      };
    }
    return { expanded, members, ...(problem ? { problem } : {}) };
  }

  /** The listing, from the check pass when one ran (nested archives), else from a pass made now, once. */
  private listed: Promise<TarListing> | undefined;
  private listingOf(): Promise<TarListing> {
    if (this.listing) return Promise.resolve(this.listing);
    return (this.listed ??= this.check().then(() => this.listing!));
  }

  /**
   * The stored names of the regular members, from the listing pass (made once; a streamed TAR's entries() reuses
   * it): the archive's own index (scan-walk.ts). Past INDEX_MAX_MEMBERS the listing was dropped: it says so.
   */
  async *memberPaths(): AsyncIterable<string> {
    const listing = await this.listingOf();
    if (listing.dropped)
      throw Object.assign(new Error(`the TAR lists more than ${INDEX_MAX_MEMBERS} members; no listing is kept`), {
        code: 'ARCHIVE_INDEX_LIMIT',
      });
    for (const m of listing.members) if (m.name !== undefined) yield m.name;
  }

  /** Reads a member of the listing in place (plain TARs), bounded by what the archive holds. */
  private readerAt(m: TarListed): ByteReader {
    const input = this.input as Extract<TarInput, { kind: 'random' }>;
    return m.sparse
      ? sparseReader(input.reader, m.sparse)
      : sliceReader(input.reader, m.offset, Math.max(0, Math.min(m.size, input.reader.size - m.offset)));
  }

  /**
   * A plain TAR's siblings, read in place by their offset from the listing (made on the first ask): any member
   * of the same folder, before or after in the walk, as in a folder.
   */
  private inPlaceSiblings(entry: SourceEntry, stored: string): void {
    const dir = stored.slice(0, stored.lastIndexOf('/') + 1);
    const find = async (name: string) => {
      const listing = await this.listingOf();
      const at = listing.byName.get(name);
      return at === undefined ? undefined : listing.members[at];
    };
    entry.readSibling = async (suffix, maxBytes) => {
      const m = await find(siblingPath(stored, suffix) as string);
      if (!m) return undefined;
      const reader = this.readerAt(m);
      if (reader.size > maxBytes) throw new SiblingTooLargeError(suffix, reader.size, maxBytes);
      return readFully(reader, 0, reader.size);
    };
    entry.openSibling = async (name) => {
      if (name.includes('/')) return undefined;
      const m = await find(dir + name);
      return m && this.readerAt(m);
    };
  }

  async *entries(signal?: AbortSignal): AsyncIterable<SourceEntry> {
    const limits = limitsOf(this.opts);
    // Entries are produced inside the pass callback and handed over through a small queue.
    const queue: Array<SourceEntry | { end: true; problem?: { code: string; message: string } }> = [];
    let wake: (() => void) | undefined;
    let pull: (() => void) | undefined;
    const push = (x: (typeof queue)[number]) => {
      queue.push(x);
      wake?.();
    };
    const waitRoom = () => new Promise<void>((r) => (queue.length < 4 ? r() : (pull = r)));
    let stopped = false;
    const input = this.input;
    const spool =
      input.kind === 'stream' ? (this.spool ??= new Spool(this.opts.spool ?? DEFAULT_SPOOL_LIMITS)) : undefined;
    const names = new MemberPaths();
    /** Where each member's bytes lie (in-place TARs), so hard links can be read through their target. */
    const placed = new Map<string, { offset: number; size: number }>();
    /** In a stream, where each stored name's latest member began (its data offset identifies it in a later pass). */
    const passed = new Map<string, number>();
    /** Hard links in a stream, waiting for a second pass to their target's data offset. */
    const linksTo = new Map<number, SourceEntry[]>();

    // A stream cannot go back for a member's companions (companions.ts): the listing says which come later and
    // which earlier; a member waits for its later ones (with every member after it: items leave in walk order)
    // and earlier ones are kept past their own turn, within the companion budget (holdPlan).
    const plan =
      input.kind === 'stream'
        ? holdPlan((await this.listingOf()).members, this.opts.companionBytes ?? COMPANION_HOLD_BYTES)
        : undefined;
    const byName = plan ? this.listing!.byName : undefined;
    /** Kept bytes of the companions by walk position, while the member itself or one granted them holds them. */
    const shared = new Map<number, { open: () => Promise<ByteReader>; size: number; drop: () => void }>();
    /** Entries walked but not handed out yet: the first waits for a later companion. */
    let held: SourceEntry[] = [];
    let holdUntil = -1;
    let position = -1;
    const flush = () => {
      for (const e of held) push(e);
      held = [];
    };
    /** Hands an entry out in walk order, once every companion a held entry waits for has passed. */
    const emit = async (entry: SourceEntry, at: number) => {
      holdUntil = Math.max(holdUntil, plan?.waitFor.get(at) ?? -1);
      if (at < holdUntil) {
        held.push(entry);
        return;
      }
      flush();
      push(entry);
      await waitRoom();
    };
    /** A streamed member's part in the plan: its bytes shared with those granted them, its own companions. */
    const companionRoles = (entry: SourceEntry, at: number, stored: string) => {
      const holders = plan?.holders.get(at) ?? 0;
      if (holders > 0 && entry.open) {
        const own = entry.release;
        let left = holders + 1;
        const drop = () => {
          if (--left > 0) return;
          own?.();
          shared.delete(at);
        };
        shared.set(at, { open: entry.open, size: entry.size, drop });
        entry.release = once(drop);
      }
      const granted = plan?.granted.get(at);
      if (granted) streamSiblings(entry, stored, granted);
      const refused = plan?.refused.get(at);
      if (refused) {
        entry.facts = {
          ...entry.facts,
          problems: [
            ...(entry.facts?.problems ?? []),
            {
              code: 'COMPANION_NOT_HELD',
              message: `Its companion${refused.names.length > 1 ? 's' : ''} ${refused.names.map((n) => JSON.stringify(n)).join(', ')} ${refused.names.length > 1 ? 'were' : 'was'} not read beside it: holding ${refused.bytes} bytes of this stream for ${refused.names.length > 1 ? 'them' : 'it'} is past the ${this.opts.companionBytes ?? COMPANION_HOLD_BYTES}-byte companion budget. Read in place (a plain .tar, or the files in a folder) they are.`,
            },
          ],
        };
      }
    };
    /** readSibling and openSibling over the companions granted to a streamed member (their kept bytes). */
    const streamSiblings = (entry: SourceEntry, stored: string, granted: readonly number[]) => {
      const dir = stored.slice(0, stored.lastIndexOf('/') + 1);
      const find = (name: string) => {
        const at = byName!.get(name);
        return at !== undefined && granted.includes(at) ? shared.get(at) : undefined;
      };
      entry.readSibling = async (suffix, maxBytes) => {
        const c = find(siblingPath(stored, suffix) as string);
        if (!c) return undefined;
        if (c.size > maxBytes) throw new SiblingTooLargeError(suffix, c.size, maxBytes);
        const reader = await c.open();
        try {
          return await readFully(reader, 0, c.size);
        } finally {
          await reader.close();
        }
      };
      entry.openSibling = async (name) => (name.includes('/') ? undefined : find(dir + name)?.open());
      const own = entry.release;
      entry.release = once(() => {
        own?.();
        for (const at of granted) shared.get(at)?.drop();
      });
    };

    /** Keeps a member's bytes as they pass; resolves with the stream's failure, if it broke inside the member. */
    const keep = async (entry: SourceEntry, h: HeaderLike, body: AsyncIterable<Buffer>) => {
      const writer = spool!.begin(h.size, probeWindows(h.size, limits));
      entry.size = h.size;
      let got = 0;
      let failure: Error | undefined;
      try {
        for await (const chunk of body) {
          writer.write(chunk);
          got += chunk.length;
        }
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
      }
      if (failure && (failure as { code?: string }).code === 'ARCHIVE_RATIO_LIMIT') {
        writer.abort();
        throw failure;
      }
      const kept = writer.finish();
      if (got < h.size) {
        entry.facts = {
          ...entry.facts,
          problems: [
            ...(entry.facts?.problems ?? []),
            {
              code: 'MEMBER_TRUNCATED',
              message: `Only ${got} of the member's ${h.size} bytes are in the archive (truncated).`,
            },
          ],
        };
        entry.size = got;
      }
      entry.open = () => kept.open();
      entry.release = () => kept.release();
      if (kept.where !== 'memory')
        entry.facts = { ...entry.facts, container: { ...entry.facts?.container, keptIn: kept.where } };
      return failure;
    };

    /**
     * Bytes handed out through hard links so far, and the bytes of the members they may point at: each link reads
     * its target's bytes again (hashing, probes), so links hand out no more than the members themselves hold (and
     * 64 MiB more, for small archives of many links), never past the expanded-bytes limit. Real archives link a
     * few names to a file; thousands of links to one large member (a bomb, as overlapping ZIP members are) keep
     * their error naming the target past that.
     */
    let linkBytes = 0;
    let memberBytes = 0;
    /** How many of `count` links to a member of `size` bytes may be read through (and counts them). */
    const linksAllowed = (size: number, count: number) => {
      const room = Math.min(memberBytes + LINK_ALLOWANCE, limits.maxExpandedBytes) - linkBytes;
      const n = size === 0 ? count : Math.max(0, Math.min(count, Math.floor(room / size)));
      linkBytes += size * n;
      return n;
    };

    /**
     * A stream cannot go back to a hard link's target, so the links are handed out after a second pass that keeps
     * only their targets' bytes, once per target: the links to one target share them, released with the last.
     * Links whose target cannot be reached again keep their error.
     */
    const readLinkTargets = () =>
      this.pass(async (h, offset, body) => {
        if (stopped) return false;
        const waiting = linksTo.get(offset);
        if (!waiting || h.type === 'link') return;
        linksTo.delete(offset);
        const allowed = linksAllowed(h.size, waiting.length);
        // Past the allowance, the rest keep their error naming the target.
        for (const link of waiting.slice(allowed)) push(link);
        const reading = waiting.slice(0, allowed);
        if (reading.length === 0) {
          await waitRoom();
          return linksTo.size > 0 && !stopped;
        }
        const first = reading[0]!;
        let failure: Error | undefined;
        try {
          failure = await keep(first, h, body);
        } finally {
          if (first.open) {
            const { open, release, size, facts } = first;
            let holders = reading.length;
            const releaseOne = () => {
              if (--holders === 0) release?.();
            };
            for (const link of reading) {
              delete link.error;
              Object.assign(link, { open, size, release: releaseOne });
              if (facts?.problems) link.facts = { ...link.facts, problems: facts.problems };
            }
          }
          // Each link goes out, read through its target's kept bytes or (if they could not be kept) with its error.
          for (const link of reading) push(link);
        }
        await waitRoom();
        if (failure) throw failure;
        return linksTo.size > 0 && !stopped;
      }, signal);

    const running = this.pass(async (h, offset, body) => {
      const at = ++position;
      if (stopped) return false;
      const entry = this.toEntry(h, names);
      if (!entry) return;
      if (h.type === 'link' && input.kind === 'stream') {
        const target = passed.get(tidyMemberName(h.pax?.linkpath ?? h.linkname ?? ''));
        if (target !== undefined) {
          entry.error = {
            code: 'TAR_HARD_LINK',
            message: `A hard link to ${JSON.stringify(h.pax?.linkpath ?? h.linkname)} whose bytes could not be read again from the stream; they are those of that member, recorded there.`,
          };
          linksTo.set(target, [...(linksTo.get(target) ?? []), entry]);
          return !stopped;
        }
      }
      if (h.type === 'link' && input.kind === 'random') {
        const target = placed.get(tidyMemberName(h.pax?.linkpath ?? h.linkname ?? ''));
        if (target && linksAllowed(target.size, 1) === 1) {
          delete entry.error;
          entry.size = target.size;
          entry.open = async () => sliceReader(input.reader, target.offset, target.size);
          // Read through its target: the link's own header holds no bytes.
          await emit(entry, at);
          return !stopped;
        }
      }
      if (entry.kind === 'file' && !entry.error) {
        if (input.kind === 'random') {
          if (offset + h.size > input.reader.size) {
            entry.facts = {
              ...entry.facts,
              problems: [
                ...(entry.facts?.problems ?? []),
                {
                  code: 'MEMBER_TRUNCATED',
                  message: `Only ${Math.max(0, input.reader.size - offset)} of the member's ${h.size} bytes are in the archive (truncated).`,
                },
              ],
            };
            // The item's size is what can be read (a sparse member's holes read as zeros); the declared size is in the message.
            if (!h.sparse) entry.size = Math.max(0, input.reader.size - offset);
          }
          const sparse = h.sparse;
          entry.open = sparse
            ? async () => sparseReader(input.reader, sparse)
            : async () => sliceReader(input.reader, offset, Math.max(0, Math.min(h.size, input.reader.size - offset)));
          // Keyed by the stored name (a hard link names that); a later duplicate replaces it, as on extraction.
          if (h.type !== 'link' && !sparse) placed.set(tidyMemberName(nameOf(h).text), { offset, size: h.size });
          if (h.type !== 'link') memberBytes += h.size;
          if (h.type !== 'link') this.inPlaceSiblings(entry, tidyMemberName(nameOf(h).text));
        } else {
          if (h.type !== 'link') {
            passed.set(tidyMemberName(nameOf(h).text), offset);
            memberBytes += h.size;
          }
          const failure = await keep(entry, h, body);
          if (h.type !== 'link') companionRoles(entry, at, tidyMemberName(nameOf(h).text));
          if (failure) {
            // The stream broke inside this member: hand out what arrived, then let the pass record the damage.
            flush();
            push(entry);
            throw failure;
          }
        }
      }
      await emit(entry, at);
      return !stopped;
    }, signal).then(
      async (problem) => {
        // Companions that never came (the stream ended first): the entries waiting for them go out without them.
        flush();
        // A second pass that fails leaves the links it did not reach with their error (below).
        if (linksTo.size > 0 && !stopped) await readLinkTargets().catch(() => undefined);
        for (const waiting of linksTo.values()) for (const link of waiting) push(link);
        push({ end: true, ...(problem ? { problem } : {}) });
      },
      (err) => {
        flush();
        push({ end: true, problem: { code: 'ARCHIVE_CORRUPT', message: (err as Error).message } });
      },
    );

    try {
      while (true) {
        if (queue.length === 0) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        const next = queue.shift()!;
        pull?.();
        pull = undefined;
        if ('end' in next) {
          // Bytes after the last GZIP member or bzip2 stream of a whole TAR: a warning entry, as ZIP_TRAILING_BYTES is.
          const note = next.problem ?? (this.input.kind === 'stream' ? this.input.afterEnd?.() : undefined);
          if (note) yield archiveProblemEntry(this.info.path, !!this.opts.nested, note.code, note.message);
          return;
        }
        yield next;
      }
    } finally {
      stopped = true;
      pull?.();
      // Release what was kept but never handed out.
      for (const q of [...queue, ...held.splice(0)]) if (!('end' in q)) q.release?.();
      await running;
    }
  }

  private toEntry(h: HeaderLike, names: MemberPaths): SourceEntry | undefined {
    const kind = KINDS[h.type ?? ''] ?? 'other';
    // Directory records are not items, as in the folder source; nor are records about other members.
    if (kind === 'directory' || h.type === METADATA) return undefined;
    const name = nameOf(h);
    const p = tidyMemberName(name.text);
    const times: Times = {};
    const m = paxTime(h.pax?.mtime) ?? isoTime(h.mtime.getTime());
    const a = paxTime(h.pax?.atime);
    const c = paxTime(h.pax?.ctime);
    if (m) times.modified = m;
    if (a) times.accessed = a;
    if (c) times.changed = c;
    const problems = nameProblems(name.text);
    const claimed = names.claim(p);
    if (claimed.problem)
      problems.push({ ...claimed.problem, message: `${claimed.problem.message} An extractor would keep the last.` });
    const facts: EntryFacts = {
      container: {
        archive: this.info.kind,
        type: h.type,
        ...(h.uname ? { owner: h.uname } : {}),
        uid: h.uid,
        gid: h.gid,
        ...(h.type === 'link' ? { hardLinkTo: h.pax?.linkpath ?? h.linkname } : {}),
        ...(claimed.problem ? { storedName: p } : {}),
      },
    };
    if (problems.length) facts.problems = problems;
    const entry: SourceEntry = {
      path: claimed.path,
      kind,
      // A hard link record carries no bytes of its own; a sparse member stands for a file with holes.
      size: kind === 'file' && h.type !== 'link' ? (h.sparse?.realSize ?? h.size) : 0,
      times,
      mode: h.mode,
      depth: 0,
      facts,
      ...(name.raw ? { rawPath: name.raw } : {}),
    };
    if (kind === 'symlink')
      entry.linkTarget = h.pax?.linkpath ?? decodeName(Buffer.from(h.linkname ?? '', 'latin1')).text;
    if (h.unknownType && kind === 'other') {
      entry.error = {
        code: 'TAR_MEMBER_TYPE_UNKNOWN',
        message: `A member of a type the streamed TAR reader does not know (GNU tar's default format writes sparse files as type 'S'); its ${h.size} stored bytes were not examined. ${STREAM_ADVICE}`,
      };
    }
    if (h.sparse?.problem) {
      entry.error = {
        code: 'TAR_SPARSE_MAP',
        message: `A GNU sparse member whose map cannot be read through: ${h.sparse.problem}. Its bytes were not examined; the members after it were.`,
      };
    }
    if (h.type === 'link') {
      entry.error = {
        code: 'TAR_HARD_LINK',
        message: `A hard link to ${JSON.stringify(h.pax?.linkpath ?? h.linkname)}; its bytes are those of that member, recorded there.`,
      };
    }
    return entry;
  }

  async close(): Promise<void> {
    this.spool?.close();
    await this.input.close();
  }
}

/** The source kind of a TAR inside each compressor. */
export const TAR_KINDS = {
  gzip: 'tar.gz',
  xz: 'tar.xz',
  zstd: 'tar.zst',
  bzip2: 'tar.bz2',
  lzma: 'tar.lzma',
  lzip: 'tar.lz',
  lz4: 'tar.lz4',
  compress: 'tar.Z',
  lzop: 'tar.lzo',
} as const satisfies Record<StreamCodec, string>;

/** Guesses a TAR or a compressed TAR from the name or the magic. */
/** What to do about a member a compressed TAR, read as a stream, cannot hand out. */
const STREAM_ADVICE =
  'Decompress the archive (gzip -d, xz -d, zstd -d or bzip2 -d) and scan the TAR: read in place, sparse members are read through their map.';

/**
 * A PAX sparse member (GNU.sparse.* records, formats 0.1 and 1.0) met in a stream: its real name and size,
 * and why it is not read (its map and regions pass once; the holes are re-created only in place).
 */
function paxSparseInStream(
  pax: Readonly<Record<string, string>> | null | undefined,
): (GnuSparse & { name?: string }) | undefined {
  if (!pax) return undefined;
  const real = pax['GNU.sparse.realsize'] ?? pax['GNU.sparse.size'];
  if (real === undefined && pax['GNU.sparse.major'] === undefined && pax['GNU.sparse.map'] === undefined)
    return undefined;
  const realSize = Number(real);
  return {
    ...(pax['GNU.sparse.name'] !== undefined ? { name: pax['GNU.sparse.name'] } : {}),
    map: [],
    realSize: Number.isSafeInteger(realSize) && realSize >= 0 ? realSize : 0,
    dataAt: 0,
    nextHeaderAt: 0,
    problem: `a compressed TAR is read as a stream, where the holes of a sparse file cannot be re-created. ${STREAM_ADVICE}`,
  };
}

export function guessTar(file: string, head: Buffer): 'tar' | (typeof TAR_KINDS)[StreamCodec] | undefined {
  const lower = path.basename(file).toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.tar.xz') || lower.endsWith('.txz')) return 'tar.xz';
  if (/\.(tar\.zst|tar\.zstd|tzst)$/.test(lower)) return 'tar.zst';
  if (/\.(tar\.bz2|tbz2|tbz|tb2)$/.test(lower)) return 'tar.bz2';
  if (/\.(tar\.lzma|tlz|lzma)$/.test(lower)) return 'tar.lzma';
  if (lower.endsWith('.tar.lz')) return 'tar.lz';
  if (lower.endsWith('.tar.lz4')) return 'tar.lz4';
  if (lower.endsWith('.tar.z') || lower.endsWith('.taz')) return 'tar.Z';
  if (lower.endsWith('.tar.lzo') || lower.endsWith('.tzo')) return 'tar.lzo';
  if (lower.endsWith('.tar')) return 'tar';
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return undefined;
}
