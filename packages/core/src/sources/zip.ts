/**
 * ZIP source: the central directory is read through yauzl over a block-cached
 * random-access reader, and member bytes are read in place: stored members by
 * range reads, deflated members through an inflating reader that keeps the
 * probe's windows. When the archive is a local file, plain stored and deflated
 * members also say where they lie (`entry.location`), so the probe workers
 * read, inflate and hash them there (zip-member.ts). ZIP64 (more than 65,535
 * members, sizes and offsets past 4 GiB) is yauzl's. Names are decoded here
 * (UTF-8 flag, 0x7075, CP437) so that unusual names are recorded as stored
 * instead of stopping the listing.
 * Encryption is read per member from the directory: general-purpose bit 0,
 * with method 99 / extra field 0x9901 for WinZip AES, bit 6 for PKWARE strong
 * encryption (records yauzl refuses, read here), ZipCrypto otherwise.
 * References: PKWARE APPNOTE 6.3.10 §4.3.12 (central directory), §4.4.2
 * (version made by: 3 = UNIX, external attributes' high 16 bits = st_mode),
 * §4.5.5 (0x000a NTFS times), Info-ZIP extra fields (0x5455 extended
 * timestamp), WinZip AE-x specification (0x9901).
 */
import path from 'node:path';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import type yauzl from 'yauzl';
import type { Times } from '../model/evidence-item.js';
import type { SourceInfo } from '../model/manifest.js';
import { decodeZipName, MemberPaths, nameProblems, tidyMemberName } from './archive-names.js';
import {
  archiveProblemEntry,
  INDEX_MAX_MEMBERS,
  limitsOf,
  probeWindows,
  ratioProblem,
  type ArchiveOptions,
} from './archive-common.js';
import { decompress, decompressZipLzma, type StreamCodec } from './compressed.js';
import { inflate64 } from './deflate64.js';
import { isoTime, openLocalReader } from './folder.js';
import { encryptedMemberFormat } from './encrypted-member.js';
import { yauzlModule } from '../lazy-require.js';
import { SourceError } from './source-error.js';
import {
  BlockCache,
  bufferReader,
  InflatingReader,
  localFileOf,
  piped,
  readableFrom,
  readFully,
  sliceReader,
  WholePool,
  withLocalFile,
  type RandomRead,
  type WindowCache,
} from './readers.js';
import type { ByteReader, EntryFacts, EvidenceSource, SourceEntry } from './source.js';
import {
  badLocalHeader,
  dataStartFrom,
  inflateOptions,
  WHOLE_INFLATE_BYTES,
  type MemberLocation,
} from './zip-member.js';
import { MemberRanges, memberSpan, overlapMessage } from './zip-ranges.js';
import { endRecordView } from './zip-end-record.js';

/**
 * Deflated members up to this size are inflated once, whole, and kept while
 * the entry is in the pipeline (probe, parse, hash and a nested open then
 * inflate once instead of three or four times), within WHOLE_POOL_BYTES per
 * archive (WHOLE_INFLATE_BYTES, shared with zip-member.ts).
 */
const WHOLE_POOL_BYTES = 128 * 1024 * 1024;
/** A deflated neighbour (a split archive's next volume) is inflated into memory up to this size, else not offered. */
const NEIGHBOUR_INFLATE_MAX = 64 * 1024 * 1024;
/** Directory records of a nested ZIP kept from its listing at open; past this they are read again. */
const KEEP_LISTED_MAX = 10_000;
/** Block cache for member reads: 32 blocks of 256 KiB (reads larger than a block bypass it). */
const MEMBER_BLOCK_BYTES = 256 * 1024;
const MEMBER_BLOCKS = 32;
/** Longest symlink target read from a member. */
const MAX_LINK_TARGET = 4096;

/** Members compressed with these methods are whole streams of a codec compressed.ts reads. */
const METHOD_CODECS: Partial<Record<number, StreamCodec>> = { 12: 'bzip2', 93: 'zstd', 95: 'xz' };
/** LZMA: a 4-byte header and the properties, then a stream whose end the member's size gives (compressed.ts). */
const METHOD_LZMA = 14;

/** Deflate64 (deflate64.ts). */
const METHOD_DEFLATE64 = 9;

/** Whether members of this method are read, and decompressed (stored members are read as they are). */
function decompressed(method: number): boolean {
  return method === 8 || method === METHOD_DEFLATE64 || method === METHOD_LZMA || METHOD_CODECS[method] !== undefined;
}

/** APPNOTE 6.3.10 §4.4.5's names (2-5: reduce with compression factor 1-4). */
const METHODS: Record<number, string> = {
  0: 'stored',
  1: 'shrink',
  2: 'reduce-1',
  3: 'reduce-2',
  4: 'reduce-3',
  5: 'reduce-4',
  6: 'implode',
  8: 'deflate',
  9: 'deflate64',
  12: 'bzip2',
  14: 'lzma',
  93: 'zstd',
  95: 'xz',
  98: 'ppmd',
  99: 'aes',
};

/** yauzl's reader over our block cache; the class is made when yauzl is first loaded. */
let CachedReader: (new (cache: RandomRead) => yauzl.RandomAccessReader) | undefined;

function cachedReader(cache: RandomRead): yauzl.RandomAccessReader {
  CachedReader ??= class extends yauzlModule().RandomAccessReader {
    constructor(readonly cache: RandomRead) {
      super();
    }
    override _readStreamForRange(start: number, end: number) {
      return readableFrom(this.cache, start, end);
    }
    override read(
      buffer: Buffer,
      offset: number,
      length: number,
      position: number,
      callback: (err: Error | null, bytesRead?: number) => void,
    ): void {
      this.cache.read(position, length).then(
        (b) => {
          b.copy(buffer, offset);
          callback(null, b.length);
        },
        (err) => callback(err as Error),
      );
    }
  };
  return new CachedReader(cache);
}

interface RawEntry extends yauzl.Entry {
  fileNameRaw: Buffer;
  extraFields: Array<{ id: number; data: Buffer }>;
  versionMadeBy: number;
  generalPurposeBitFlag: number;
  /** Set on records read past the entry count the end-of-central-directory record declares: that count. */
  pastDeclaredCount?: number;
  /** Set on a member recovered from its local header whose data the archive's end cuts: the bytes of it there. */
  dataPresent?: number;
  /** Set on a record whose extra field is malformed (read by `ownRecord`): what is wrong. */
  extraInvalid?: string;
}

const CENTRAL_HEADER_SIGNATURE = 0x02014b50;

/**
 * Opens a ZIP's central directory through a block cache over any random-read source
 * (lazy entries, names left undecoded so hostile names do not reject the whole archive).
 * Rejects with code ZIP_UNREADABLE when there is no readable central directory. An end record whose
 * comment length disagrees with the file's end is read past when the directory it points to is this
 * archive's (zip-end-record.ts); endRecordNote(zf) then says what was odd.
 */
export async function openZip(reader: RandomRead): Promise<yauzl.ZipFile> {
  try {
    return await openZipDirectory(reader);
  } catch (err) {
    if (!/Invalid comment length/.test((err as Error).message)) throw err;
    const view = await endRecordView(reader);
    if (!view) throw err;
    let zf: yauzl.ZipFile;
    try {
      zf = await openZipDirectory(view.reader);
    } catch {
      throw err; // the first reader's words describe the archive as it is
    }
    endRecordNotes.set(zf, view.note);
    return zf;
  }
}

/** What was odd about a ZIP's end record that openZip read past (trailing bytes, a cut comment). */
const endRecordNotes = new WeakMap<yauzl.ZipFile, { code: string; message: string }>();

export function endRecordNote(zf: yauzl.ZipFile): { code: string; message: string } | undefined {
  return endRecordNotes.get(zf);
}

function openZipDirectory(reader: RandomRead): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzlModule().fromRandomAccessReader(
      cachedReader(new BlockCache(reader)),
      reader.size,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: false, autoClose: false, strictFileNames: false },
      (err, zf) => (err ? reject(Object.assign(err, { code: 'ZIP_UNREADABLE' })) : resolve(zf)),
    );
  });
}

/**
 * Reads central-directory records one by one; resolves undefined at the end.
 * The end-of-central-directory record's entry count is not trusted to end the
 * directory: while another central-directory record follows, it is read too
 * (as unzip and 7-Zip do) and marked `pastDeclaredCount`. A record of a
 * member with PKWARE strong encryption, or one whose extra field holds a
 * sub-field running past its end, where yauzl would stop the listing, is read
 * here (`ownRecord`) and the listing goes on after it.
 */
export function zipEntryReader(zf: yauzl.ZipFile, base: RandomRead): () => Promise<RawEntry | undefined> {
  const declared = zf.entryCount;
  const cursor = zf as unknown as { readEntryCursor: number };
  // Records are looked at through the block cache yauzl reads the directory through (openZip), not read again.
  const directory = (zf as unknown as { reader?: { cache?: RandomRead } }).reader?.cache ?? base;
  let resolveNext: ((e: RawEntry | undefined) => void) | undefined;
  let rejectNext: ((e: Error) => void) | undefined;
  let failed: Error | undefined;
  let ended = false;
  zf.on('entry', (e: RawEntry) => resolveNext?.(e));
  zf.on('end', () => {
    ended = true;
    resolveNext?.(undefined);
  });
  zf.on('error', (err: Error) => {
    failed = err;
    rejectNext?.(err);
  });
  const read = () =>
    new Promise<RawEntry | undefined>((resolve, reject) => {
      if (failed) return reject(failed);
      if (ended) return resolve(undefined);
      resolveNext = resolve;
      rejectNext = reject;
      zf.readEntry();
    });
  return async () => {
    // yauzl stops the whole listing at a record with PKWARE strong encryption or a bad extra sub-field;
    // such a record is read here.
    if (!failed && !ended && zf.entriesRead < zf.entryCount) {
      const strong = await ownRecord(directory, cursor.readEntryCursor);
      if (strong) {
        cursor.readEntryCursor += strong.length;
        (zf as unknown as { entriesRead: number }).entriesRead++;
        return strong.entry;
      }
    }
    if (!failed && !ended && zf.entriesRead === zf.entryCount && zf.entriesRead >= declared) {
      const sig = await directory.read(cursor.readEntryCursor, 4);
      if (sig.length < 4 || sig.readUInt32LE(0) !== CENTRAL_HEADER_SIGNATURE) return read();
      zf.entryCount++;
      const e = await read();
      if (e) e.pastDeclaredCount = declared;
      return e;
    }
    return read();
  };
}

/**
 * The central-directory record at `at` when yauzl would refuse it and stop the
 * listing: one of a member with PKWARE strong encryption (general-purpose bit
 * 6, APPNOTE §7), or one whose extra field (§4.5.1) holds a sub-field running
 * past its end, which Info-ZIP's unzip lists (the extra field is then read up
 * to that sub-field, and `extraInvalid` says so). Gives its fixed fields, name
 * and extra fields (ZIP64 sizes and offset from 0x0001), and the record's
 * length. Undefined for any other record or one cut short.
 */
async function ownRecord(base: RandomRead, at: number): Promise<{ entry: RawEntry; length: number } | undefined> {
  const h = await readFully(base, at, 46);
  if (h.length < 46 || h.readUInt32LE(0) !== CENTRAL_HEADER_SIGNATURE) return undefined;
  const strong = (h.readUInt16LE(8) & 0x40) !== 0;
  const n = h.readUInt16LE(28),
    m = h.readUInt16LE(30),
    k = h.readUInt16LE(32);
  if (!strong && m === 0) return undefined;
  const rest = await readFully(base, at + 46, n + m);
  if (rest.length < n + m) return undefined;
  const overrun = extraOverrun(rest.subarray(n));
  if (!strong && !overrun) return undefined;
  const extraFields = parseExtra(rest.subarray(n, overrun ? n + overrun.at : n + m));
  let uncompressedSize = h.readUInt32LE(24),
    compressedSize = h.readUInt32LE(20),
    relativeOffsetOfLocalHeader = h.readUInt32LE(42);
  const z64 = extraFields.find((f) => f.id === 0x0001)?.data;
  let i = 0;
  const wide = (v: number) => {
    if (v !== 0xffffffff || !z64 || z64.length < i + 8) return v;
    i += 8;
    return Number(z64.readBigUInt64LE(i - 8));
  };
  uncompressedSize = wide(uncompressedSize);
  compressedSize = wide(compressedSize);
  relativeOffsetOfLocalHeader = wide(relativeOffsetOfLocalHeader);
  const e = Object.create(yauzlModule().Entry.prototype) as RawEntry;
  Object.assign(e, {
    versionMadeBy: h.readUInt16LE(4),
    versionNeededToExtract: h.readUInt16LE(6),
    generalPurposeBitFlag: h.readUInt16LE(8),
    compressionMethod: h.readUInt16LE(10),
    lastModFileTime: h.readUInt16LE(12),
    lastModFileDate: h.readUInt16LE(14),
    crc32: h.readUInt32LE(16),
    compressedSize,
    uncompressedSize,
    fileNameRaw: rest.subarray(0, n),
    extraFields,
    externalFileAttributes: h.readUInt32LE(38),
    relativeOffsetOfLocalHeader,
    ...(overrun
      ? {
          extraInvalid: `its extra field's sub-field 0x${overrun.id.toString(16).padStart(4, '0')} at byte ${overrun.at} declares ${overrun.length} bytes, past the field's end (${m} bytes); the fields before it are read, as unzip does`,
        }
      : {}),
  });
  return { entry: e, length: 46 + n + m + k };
}

/** The first extra sub-field (id, 2-byte length, data) that runs past the extra field's end, if any. */
function extraOverrun(extra: Buffer): { at: number; id: number; length: number } | undefined {
  for (let i = 0; i < extra.length;) {
    if (i + 4 > extra.length) return { at: i, id: extra.length - i >= 2 ? extra.readUInt16LE(i) : 0, length: 0 };
    const length = extra.readUInt16LE(i + 2);
    if (i + 4 + length > extra.length) return { at: i, id: extra.readUInt16LE(i), length };
    i += 4 + length;
  }
  return undefined;
}

/**
 * Why the central directory could not be read to its end: damage
 * (`ARCHIVE_CORRUPT`), or, when the first local header has general-purpose
 * bit 13 (APPNOTE §4.4.4, §7.3: local header values masked because the
 * central directory is encrypted), a directory that needs the password
 * (`ZIP_DIRECTORY_ENCRYPTED`).
 */
async function directoryProblem(
  base: RandomRead,
  err: Error,
  read: number,
  declared: number,
  kept: string,
): Promise<{ code: string; message: string }> {
  const h = await readFully(base, 0, 30).catch(() => Buffer.alloc(0));
  if (h.length === 30 && h.readUInt32LE(0) === 0x04034b50 && h.readUInt16LE(6) & 0x2000)
    return {
      code: 'ZIP_DIRECTORY_ENCRYPTED',
      message: `The ZIP central directory is encrypted (PKWARE strong encryption: the first local header has general-purpose bit 13, its values masked), so the member names and sizes need the password; ${read} of ${declared} member(s) ${kept}.`,
    };
  return {
    code: 'ARCHIVE_CORRUPT',
    message: `The ZIP central directory is damaged after ${read} of ${declared} members: ${err.message}. The members before the damage ${kept}.`,
  };
}

/** The warning for members listed past the declared entry count. */
function countMismatch(declared: number, found: number): string {
  return `The end-of-central-directory record declares ${declared} member(s) but the central directory holds ${found}; all are listed (as unzip and 7-Zip do).`;
}

function timesOf(e: RawEntry): { times: Times; source: string } {
  for (const f of e.extraFields) {
    if (f.id === 0x000a && f.data.length >= 32 && f.data.readUInt16LE(4) === 1 && f.data.readUInt16LE(6) === 24) {
      const at = (o: number) => isoTime(Number(f.data.readBigUInt64LE(o)) / 10_000 - 11_644_473_600_000);
      const times: Times = {};
      const m = at(8),
        a = at(16),
        c = at(24);
      if (m) times.modified = m;
      if (a) times.accessed = a;
      if (c) times.created = c;
      return { times, source: 'ntfs-extra-field' };
    }
  }
  for (const f of e.extraFields) {
    if (f.id === 0x5455 && f.data.length >= 5 && f.data[0]! & 1) {
      const m = isoTime(f.data.readInt32LE(1) * 1000);
      return { times: m ? { modified: m } : {}, source: 'extended-timestamp' };
    }
  }
  // MS-DOS date and time carry no time zone; read as UTC and said so.
  const d = e.lastModFileDate,
    t = e.lastModFileTime;
  const key = d * 65536 + t;
  let m = dosTimes.get(key);
  if (m === undefined) {
    const ms = Date.UTC(
      ((d >> 9) & 0x7f) + 1980,
      ((d >> 5) & 0xf) - 1,
      d & 0x1f,
      (t >> 11) & 0x1f,
      (t >> 5) & 0x3f,
      (t & 0x1f) * 2,
    );
    m = d === 0 ? '' : (isoTime(ms) ?? '');
    // Members of one archive share few distinct times; the cache stays small.
    if (dosTimes.size > 4096) dosTimes.clear();
    dosTimes.set(key, m);
  }
  return { times: m ? { modified: m } : {}, source: 'dos-time-zone-unknown' };
}
const dosTimes = new Map<number, string>();

function encryptionOf(e: RawEntry): EntryFacts['encryption'] | undefined {
  if (!(e.generalPurposeBitFlag & 1)) return undefined;
  const aes = e.extraFields.find((f) => f.id === 0x9901);
  const keyHint = {
    description: 'the password the ZIP was made with',
    kind: 'password' as const,
    present: 'unknown' as const,
  };
  if (aes || e.compressionMethod === 99) {
    const bits =
      aes && aes.data.length >= 5 ? ({ 1: 128, 2: 192, 3: 256 } as Record<number, number>)[aes.data[4]!] : undefined;
    return {
      scheme: 'winzip-aes',
      format: encryptedMemberFormat('winzip-aes'),
      scope: 'full',
      keyHint,
      reason: `The ZIP central directory marks this member encrypted (general-purpose bit 0) with WinZip AES${bits ? `-${bits}` : ''} (method 99, extra field 0x9901).`,
    };
  }
  if (e.generalPurposeBitFlag & 0x40) {
    return {
      scheme: 'pkware-strong-encryption',
      format: encryptedMemberFormat('pkware-strong-encryption'),
      scope: 'full',
      keyHint,
      reason: 'The ZIP central directory marks this member encrypted with PKWARE strong encryption (bits 0 and 6).',
    };
  }
  return {
    scheme: 'zipcrypto',
    format: encryptedMemberFormat('zipcrypto'),
    scope: 'full',
    keyHint,
    reason:
      'The ZIP central directory marks this member encrypted (general-purpose bit 0) with traditional PKWARE encryption (ZipCrypto).',
  };
}

/** The ZIP reading shared by the top-level source and nested archives. */
export class ZipSource implements EvidenceSource {
  readonly info: SourceInfo;
  private readonly paths = new MemberPaths();
  private readonly ranges = new MemberRanges();
  private readonly pool = new WholePool(WHOLE_POOL_BYTES);

  /** Member reads go through a block cache: local headers and small members of neighbouring entries share blocks. */
  private readonly base: RandomRead;
  /** The archive's file when it is a local file read whole: plain members then say where they lie (zip-member.ts). */
  private readonly localFile: string | Buffer | undefined;

  private constructor(
    private readonly zf: yauzl.ZipFile | undefined,
    rawBase: RandomRead,
    private readonly closeBase: () => Promise<void>,
    info: SourceInfo,
    private readonly opts: ArchiveOptions,
    /** Directory records read ahead (nested archives are listed at open to check limits first). */
    private readonly listed?: { entries: RawEntry[]; error?: Error; problem?: { code: string; message: string } },
    /**
     * Records to read at most, when a nested archive's directory was too long to keep
     * from its listing at open: that listing's count (up to its damage or the member
     * limit, which its container item already reports), read again record by record.
     */
    private readonly stopAfter?: number,
  ) {
    this.info = info;
    this.base = new BlockCache(rawBase, MEMBER_BLOCK_BYTES, MEMBER_BLOCKS);
    this.localFile = localFileOf(rawBase);
  }

  /** Opens a ZIP from a local file. */
  static async fromFile(file: string, given = file, opts: ArchiveOptions = {}): Promise<ZipSource> {
    const reader = await openLocalReader(file);
    try {
      return await ZipSource.fromReader(
        withLocalFile(reader, file),
        () => reader.close(),
        { path: given, kind: 'zip' },
        opts,
      );
    } catch (err) {
      await reader.close();
      throw new SourceError(
        'SOURCE_UNREADABLE',
        `${given} cannot be read as a ZIP archive: ${(err as Error).message} No member could be recovered from local headers either.`,
      );
    }
  }

  /** Opens a ZIP over any random-access reader; `closeBase` is called on close. */
  static async fromReader(
    base: RandomRead,
    closeBase: () => Promise<void>,
    info: SourceInfo,
    opts: ArchiveOptions = {},
  ): Promise<ZipSource> {
    let zf: yauzl.ZipFile;
    try {
      zf = await openZip(base);
    } catch (err) {
      const recovered = await recoverFromLocalHeaders(base, limitsOf(opts).maxArchiveMembers);
      if (recovered.entries.length === 0) throw err;
      const problem = {
        code: 'ZIP_NO_CENTRAL_DIRECTORY',
        message: noCentralDirectory(err, recovered),
      };
      return new ZipSource(undefined, base, closeBase, info, opts, { entries: recovered.entries, problem });
    }
    return new ZipSource(zf, base, closeBase, info, opts);
  }

  /**
   * Opens a nested ZIP and reads its whole central directory first (up to the
   * member limit), so count, ratio and budget are checked before any member is
   * read. Returns the problems found, for the container item.
   */
  static async nested(
    base: RandomRead,
    closeBase: () => Promise<void>,
    info: SourceInfo,
    opts: ArchiveOptions,
  ): Promise<{ source: ZipSource; problems: Array<{ code: string; message: string; severity: 'warning' | 'error' }> }> {
    const limits = limitsOf(opts);
    const problems: Array<{ code: string; message: string; severity: 'warning' | 'error' }> = [];
    /** The archive read from its local headers, when its directory gives no member; undefined when they give none either. */
    const fromLocalHeaders = async (err: unknown) => {
      const recovered = await recoverFromLocalHeaders(base, limits.maxArchiveMembers);
      if (recovered.entries.length === 0) return undefined;
      problems.push({
        code: 'ZIP_NO_CENTRAL_DIRECTORY',
        message: noCentralDirectory(err, recovered),
        severity: 'error',
      });
      const declared = expansionCost(recovered.entries, base.size, limits);
      if (opts.budget && !opts.budget.take(declared))
        throw Object.assign(
          new Error(
            `its members would expand to ${declared} bytes, past what is left of the scan-wide expansion budget`,
          ),
          { code: 'ARCHIVE_EXPANSION_LIMIT' },
        );
      return {
        source: new ZipSource(undefined, base, closeBase, info, opts, { entries: recovered.entries }),
        problems,
      };
    };
    let zf: yauzl.ZipFile;
    try {
      zf = await openZip(base);
    } catch (err) {
      const recovered = await fromLocalHeaders(err);
      if (!recovered) throw err;
      return recovered;
    }
    const endNote = endRecordNote(zf);
    if (endNote) problems.push({ ...endNote, severity: 'warning' });
    // The records are kept for the walk only while few: 1,000,000 of them held ~1 KiB each
    // (yauzl's entry and its buffers) and took a scan past 2.5 GB. A longer directory is
    // tallied here and read again, record by record, when the walk lists it.
    let kept: RawEntry[] | undefined = [];
    const tally = new DirectoryTally(base.size, limits);
    let error: Error | undefined;
    const next = zipEntryReader(zf, base);
    try {
      for (let e = await next(); e; e = await next()) {
        if (tally.count >= limits.maxArchiveMembers) {
          problems.push({
            code: 'ARCHIVE_MEMBER_LIMIT',
            message: `The archive lists ${zf.entryCount} members; only the first ${limits.maxArchiveMembers} were read (member limit; raise --max-members to read more).`,
            severity: 'error',
          });
          break;
        }
        tally.add(e);
        if (kept && kept.length < KEEP_LISTED_MAX) kept.push(e);
        else kept = undefined;
      }
    } catch (err) {
      error = err as Error;
      const problem = await directoryProblem(base, err as Error, tally.count, zf.entryCount, 'are listed');
      // A directory damaged at its first record lists nothing: the local headers may still.
      if (tally.count === 0 && problem.code === 'ARCHIVE_CORRUPT') {
        const recovered = await fromLocalHeaders(err);
        if (recovered) {
          zf.close();
          return recovered;
        }
      }
      problems.push({ ...problem, severity: 'error' });
    }
    if (tally.past > 0)
      problems.push({
        code: 'ZIP_ENTRY_COUNT_MISMATCH',
        message: countMismatch(tally.count - tally.past, tally.count),
        severity: 'warning',
      });
    if (tally.overlapping > 0) {
      problems.push({
        code: 'ZIP_MEMBER_OVERLAP',
        message: `${tally.overlapping} member(s) point at bytes another member already uses (a non-recursive zip bomb); they are listed with an error and not expanded.`,
        severity: 'error',
      });
    }
    const declared = tally.cost;
    if (opts.budget && !opts.budget.take(declared)) {
      zf.close();
      throw Object.assign(
        new Error(
          `its members would expand to ${declared} bytes, past what is left of the scan-wide expansion budget (${limits.maxExpandedBytes} bytes, ${opts.budget.expanded} used; a zip-bomb guard; raise --max-expanded to open it)`,
        ),
        { code: 'ARCHIVE_EXPANSION_LIMIT' },
      );
    }
    if (tally.refused > 0) {
      const names = tally.refusedNames.map((n) => JSON.stringify(n));
      problems.push({
        code: 'ARCHIVE_RATIO_LIMIT',
        message: `${tally.refused} member(s) expand more than ${limits.maxExpansionRatio}:1 and were not expanded (a zip-bomb guard; raise --max-ratio to read them): ${names.join(', ')}${tally.refused > 5 ? ', ...' : ''}.`,
        severity: 'error',
      });
    }
    if (kept)
      return {
        source: new ZipSource(zf, base, closeBase, info, opts, { entries: kept, ...(error ? { error } : {}) }),
        problems,
      };
    zf.close();
    const again = await openZip(base);
    return { source: new ZipSource(again, base, closeBase, info, opts, undefined, tally.count), problems };
  }

  async *entries(signal?: AbortSignal): AsyncIterable<SourceEntry> {
    const limits = limitsOf(this.opts);
    if (this.listed || !this.zf) {
      for (const e of this.listed?.entries ?? []) {
        if (signal?.aborted) return;
        const entry = await this.toEntry(e);
        if (entry) yield entry;
      }
      const p = this.listed?.problem;
      if (p) yield archiveProblemEntry(this.info.path, !!this.opts.nested, p.code, p.message);
      return;
    }
    const zf = this.zf;
    const read = zipEntryReader(zf, this.base);
    const stop = this.stopAfter;
    let count = 0;
    const next = () => (stop !== undefined && count >= stop ? Promise.resolve(undefined) : read());
    try {
      for (let e = await next(); e; e = await next()) {
        if (signal?.aborted) return;
        if (++count > limits.maxArchiveMembers) {
          yield archiveProblemEntry(
            this.info.path,
            !!this.opts.nested,
            'ARCHIVE_MEMBER_LIMIT',
            `The archive lists ${zf.entryCount} members; only the first ${limits.maxArchiveMembers} were read (member limit; raise --max-members to read more).`,
          );
          return;
        }
        const entry = await this.toEntry(e);
        if (entry) yield entry;
      }
    } catch (err) {
      const p = await directoryProblem(this.base, err as Error, count, zf.entryCount, 'were read');
      // A directory damaged at its first record lists nothing: the local headers may still.
      const recovered =
        count === 0 && p.code === 'ARCHIVE_CORRUPT'
          ? await recoverFromLocalHeaders(this.base, limits.maxArchiveMembers)
          : undefined;
      for (const e of recovered?.entries ?? []) {
        if (signal?.aborted) return;
        const entry = await this.toEntry(e);
        if (entry) yield entry;
      }
      const problem = recovered?.entries.length
        ? { code: 'ZIP_NO_CENTRAL_DIRECTORY', message: noCentralDirectory(err, recovered) }
        : p;
      yield archiveProblemEntry(this.info.path, !!this.opts.nested, problem.code, problem.message);
      return;
    }
    // A nested archive's container item already carries it (nested()).
    const note = this.opts.nested ? undefined : endRecordNote(zf);
    if (note) yield archiveProblemEntry(this.info.path, false, note.code, note.message);
  }

  async *listPaths(signal?: AbortSignal): AsyncIterable<string> {
    if (this.listed || !this.zf) {
      for (const e of this.listed?.entries ?? []) {
        const n = this.nameOf(e);
        if (n && !n.directory) yield n.path;
      }
      return;
    }
    // A second pass over the central directory: cheap through the block cache.
    const zf = await openZip(this.base);
    const read = zipEntryReader(zf, this.base);
    let count = 0;
    const next = () =>
      this.stopAfter !== undefined && count++ >= this.stopAfter ? Promise.resolve(undefined) : read();
    try {
      for (let e = await next(); e; e = await next()) {
        if (signal?.aborted) return;
        const n = this.nameOf(e);
        if (n && !n.directory) yield n.path;
      }
    } catch {
      // The listing pass reports damage in entries().
    } finally {
      zf.close();
    }
  }

  private index: Promise<Map<string, RawEntry> | undefined> | undefined;

  /** Path -> directory record, built once on first use (not for archives past INDEX_MAX_MEMBERS). */
  private nameIndex(): Promise<Map<string, RawEntry> | undefined> {
    this.index ??= (async () => {
      const map = new Map<string, RawEntry>();
      const add = (e: RawEntry) => {
        const n = this.nameOf(e);
        if (n && !n.directory && !map.has(n.path)) map.set(n.path, e);
      };
      if (this.listed || !this.zf) {
        for (const e of this.listed?.entries ?? []) add(e);
        return map;
      }
      if (this.zf.entryCount > INDEX_MAX_MEMBERS) return undefined;
      const zf = await openZip(this.base);
      const next = zipEntryReader(zf, this.base);
      try {
        for (let e = await next(); e; e = await next()) add(e);
      } catch {
        // Damage is reported by entries(); what was listed is usable.
      } finally {
        zf.close();
      }
      return map;
    })();
    return this.index;
  }

  /**
   * Reads a small member by its path, whole (the app-metadata pre-pass and
   * SQLite companions such as \`-wal\`): undefined when absent, encrypted,
   * compressed with another method or larger than \`maxBytes\`.
   */
  async readPath(p: string, maxBytes: number): Promise<Buffer | undefined> {
    const e = (await this.nameIndex())?.get(p);
    if (!e || e.generalPurposeBitFlag & 1 || e.uncompressedSize > maxBytes) return undefined;
    if (e.compressionMethod !== 0 && e.compressionMethod !== 8) return undefined;
    if (e.compressionMethod === 8 && ratioProblem('x', e.uncompressedSize, e.compressedSize, limitsOf(this.opts)))
      return undefined;
    const start = await localDataStart(this.base, e.relativeOffsetOfLocalHeader);
    const raw = await readFully(this.base, start, e.compressedSize);
    if (e.compressionMethod === 0) return raw;
    try {
      return zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, e.uncompressedSize) });
    } catch {
      // Damaged data, or more bytes than the directory declares: not read.
      return undefined;
    }
  }

  /**
   * Opens the member named `name` in the folder of the member at `beside` (a split archive's next volume):
   * undefined when absent, encrypted (its ciphertext is no volume), or neither stored nor deflated. A stored
   * member is read in place; a deflated one is inflated into memory, up to NEIGHBOUR_INFLATE_MAX and within
   * the ratio guard (as readPath). The name is one path segment: nothing outside that folder is reached.
   */
  async openBeside(beside: string, name: string): Promise<ByteReader | undefined> {
    if (!name || name.includes('/') || name === '.' || name === '..') return undefined;
    const folder = beside.includes('/') ? beside.slice(0, beside.lastIndexOf('/') + 1) : '';
    const e = (await this.nameIndex())?.get(folder + name);
    if (!e || encryptionOf(e)) return undefined;
    if (e.compressionMethod === 0)
      return sliceReader(
        this.base,
        await localDataStart(this.base, e.relativeOffsetOfLocalHeader),
        Math.min(e.compressedSize, e.uncompressedSize),
      );
    const bytes = await this.readPath(folder + name, NEIGHBOUR_INFLATE_MAX);
    return bytes && bufferReader(bytes);
  }

  /**
   * The member's path, and whether it is a folder record (not an item). A
   * record named or marked as a folder that declares content is not one: it
   * is listed, with `ZIP_FOLDER_WITH_DATA`, so its bytes are read (a name cut
   * to end in `/` hid a member's 280 bytes from the manifest; `unzip -l` lists it).
   */
  private nameOf(
    e: RawEntry,
  ):
    | { path: string; directory: boolean; folderWithData?: string; decoded: ReturnType<typeof decodeZipName> }
    | undefined {
    const decoded = decodeZipName(e.fileNameRaw, e.generalPurposeBitFlag, e.extraFields);
    const unixMode = e.versionMadeBy >> 8 === 3 ? e.externalFileAttributes >>> 16 : 0;
    const marked = decoded.text.endsWith('/')
      ? 'its name ends in "/"'
      : (unixMode & 0o170000) === 0o040000
        ? 'its Unix mode says folder'
        : e.versionMadeBy >> 8 === 0 && (e.externalFileAttributes & 0x10) !== 0 && e.uncompressedSize === 0
          ? 'its MS-DOS attributes say folder'
          : undefined;
    const path = tidyMemberName(decoded.text);
    if (marked && e.uncompressedSize > 0)
      return {
        path,
        directory: false,
        folderWithData: `${marked} but it declares ${e.uncompressedSize} bytes`,
        decoded,
      };
    return { path, directory: marked !== undefined, decoded };
  }

  private async toEntry(e: RawEntry): Promise<SourceEntry | undefined> {
    const limits = limitsOf(this.opts);
    const n = this.nameOf(e)!;
    // Directory records are not items, as in the folder source (which lists folders' contents, not folders).
    if (n.directory) return undefined;
    const unixMode = e.versionMadeBy >> 8 === 3 ? e.externalFileAttributes >>> 16 : 0;
    const isLink = (unixMode & 0o170000) === 0o120000;
    const { times, source: timeSource } = timesOf(e);
    const method = METHODS[e.compressionMethod] ?? `method-${e.compressionMethod}`;
    const encryption = encryptionOf(e);
    const problems = nameProblems(n.decoded.text);
    if (n.folderWithData)
      problems.push({
        code: 'ZIP_FOLDER_WITH_DATA',
        message: `The directory record is a folder's (${n.folderWithData}); listed as a member so those bytes are read.`,
      });
    const claimed = this.paths.claim(n.path);
    if (claimed.problem) problems.push(claimed.problem);
    if (e.dataPresent !== undefined)
      problems.push({
        code: 'MEMBER_TRUNCATED',
        message: `The archive ends ${e.dataPresent} bytes into this member's ${e.compressedSize} bytes of data; the bytes before the cut are read.`,
      });
    if (e.extraInvalid !== undefined)
      problems.push({
        code: 'ZIP_EXTRA_FIELD_INVALID',
        message: `The directory record is malformed: ${e.extraInvalid}.`,
      });
    if (e.pastDeclaredCount !== undefined)
      problems.push({
        code: 'ZIP_ENTRY_COUNT_MISMATCH',
        message: `The end-of-central-directory record declares ${e.pastDeclaredCount} member(s); this one lies past them and is listed from the central directory, as unzip and 7-Zip do.`,
      });
    const entry: SourceEntry = {
      path: claimed.path,
      kind: isLink ? 'symlink' : 'file',
      // A symlink's stored bytes are its target; like the folder source, the item has no size of its own.
      size: isLink ? 0 : e.uncompressedSize,
      times,
      depth: 0,
      ...(n.decoded.raw ? { rawPath: n.decoded.raw } : {}),
      ...(unixMode ? { mode: unixMode } : {}),
    };
    const facts: EntryFacts = {
      container: {
        archive: 'zip',
        method,
        compressedSize: e.compressedSize,
        crc32: e.crc32.toString(16).padStart(8, '0'),
        ...(n.decoded.encoding !== 'utf-8' ? { nameEncoding: n.decoded.encoding } : {}),
        ...(claimed.problem ? { storedName: n.path } : {}),
        timeSource,
      },
    };
    if (encryption) facts.encryption = encryption;
    if (problems.length) facts.problems = problems;
    entry.facts = facts;
    const span = memberSpan(e.relativeOffsetOfLocalHeader, e.compressedSize);
    const earlier = this.ranges.claim(span.start, span.end);
    if (earlier) {
      entry.error = { code: 'ZIP_MEMBER_OVERLAP', message: overlapMessage(span, earlier) };
      return entry;
    }

    const stored = storedSizeProblem(e, this.base.size);
    if (stored && !encryption) {
      entry.error = { code: 'ZIP_STORED_SIZE_INVALID', message: stored };
      return entry;
    }

    let start: Promise<number> | undefined;
    const dataStart = () => {
      start ??= localDataStart(this.base, e.relativeOffsetOfLocalHeader);
      start.catch(() => (start = undefined));
      return start;
    };
    if (encryption) {
      // The stored (encrypted) bytes are what can be read; the probe sees them as they are.
      entry.open = async () => sliceReader(this.base, await dataStart(), e.compressedSize);
      return entry;
    }
    const codec = METHOD_CODECS[e.compressionMethod];
    if (e.compressionMethod !== 0 && !decompressed(e.compressionMethod)) {
      // Where the member lies, so another reader (7-Zip's, in @evtriage/parsers) can find this very member.
      facts.container = {
        ...facts.container,
        methodId: e.compressionMethod,
        localHeaderOffset: e.relativeOffsetOfLocalHeader,
      };
      entry.error = {
        code: 'ZIP_METHOD_UNSUPPORTED',
        message: `The member is compressed with ${method} (method ${e.compressionMethod}), which evtriage does not decompress; it is recorded but not read.`,
      };
      return entry;
    }
    const ratio =
      e.compressionMethod !== 0 ? ratioProblem('The member', e.uncompressedSize, e.compressedSize, limits) : undefined;
    if (ratio) {
      entry.error = { code: 'ARCHIVE_RATIO_LIMIT', message: ratio };
      return entry;
    }
    let open: () => Promise<ByteReader>;
    if (e.compressionMethod === 0) {
      open = async () => sliceReader(this.base, await dataStart(), e.uncompressedSize);
    } else if (codec || e.compressionMethod === METHOD_LZMA || e.compressionMethod === METHOD_DEFLATE64) {
      // A whole bzip2, Zstandard or xz stream (APPNOTE 6.3.10 §4.4.5), read as a lone stream of that codec is;
      // LZMA's (§5.8.8) ends at the member's size, or at an end marker when general-purpose bit 1 says so.
      const cache: WindowCache = { windows: [] };
      const keep = probeWindows(e.uncompressedSize, limits);
      const stream = (raw: Readable) =>
        codec
          ? decompress(codec, raw)
          : e.compressionMethod === METHOD_DEFLATE64
            ? Readable.from(inflate64(raw), { objectMode: false })
            : decompressZipLzma(raw, e.uncompressedSize, (e.generalPurposeBitFlag & 2) !== 0);
      open = async () => {
        const start = await dataStart();
        return new InflatingReader({
          size: e.uncompressedSize,
          open: () => stream(readableFrom(this.base, start, start + e.compressedSize)),
          cache,
          keep,
          wholeLimit: WHOLE_INFLATE_BYTES,
          pool: this.pool,
        });
      };
      entry.release = () => this.pool.drop(cache);
    } else {
      const cache: WindowCache = { windows: [] };
      const keep = probeWindows(e.uncompressedSize, limits);
      const cut = e.dataPresent !== undefined;
      open = async () => {
        const start = await dataStart();
        return new InflatingReader({
          size: e.uncompressedSize,
          open: () =>
            piped(readableFrom(this.base, start, start + e.compressedSize), zlib.createInflateRaw(inflateOptions(cut))),
          inflateWhole: async () =>
            zlib.inflateRawSync(await readFully(this.base, start, e.compressedSize), {
              ...inflateOptions(cut),
              maxOutputLength: Math.max(1, e.uncompressedSize),
            }),
          cache,
          keep,
          wholeLimit: WHOLE_INFLATE_BYTES,
          pool: this.pool,
        });
      };
      entry.release = () => this.pool.drop(cache);
    }
    if (isLink) {
      try {
        const r = await open();
        try {
          entry.linkTarget = (await readFully(r, 0, Math.min(r.size, MAX_LINK_TARGET))).toString('utf8');
        } finally {
          await r.close();
        }
      } catch (err) {
        entry.error = {
          code: 'ZIP_LINK_UNREADABLE',
          message: `The symbolic link's target could not be read: ${(err as Error).message}`,
        };
      }
      return entry;
    }
    entry.open = open;
    entry.readSibling = (suffix, maxBytes) => this.readPath(n.path + suffix, maxBytes);
    entry.openSibling = (name) => this.openBeside(n.path, name);
    // A prober reads stored and deflated members in place (zip-member.ts); the other codecs go through `open`.
    if (this.localFile !== undefined && (e.compressionMethod === 0 || e.compressionMethod === 8))
      entry.location = this.locationOf(e);
    return entry;
  }

  /** Where a plain stored or deflated member lies in the local archive file, for a prober to read it there. */
  private locationOf(e: RawEntry): MemberLocation {
    return {
      file: this.localFile!,
      headerAt: e.relativeOffsetOfLocalHeader,
      method: e.compressionMethod === 0 ? 'stored' : 'deflate',
      compressedSize: e.compressedSize,
      size: e.uncompressedSize,
      ...(e.dataPresent !== undefined ? { cut: true } : {}),
    };
  }

  async close(): Promise<void> {
    this.zf?.close();
    await this.closeBase();
  }
}

/**
 * What opening a nested ZIP checks, gathered record by record so the records
 * need not be kept: members past the declared count, members whose bytes
 * overlap an earlier one's (zip-ranges.ts), members refused for their ratio,
 * and what reading the members can cost the expansion budget: only bytes that
 * can really come out. Encrypted members are not decrypted; deflated members
 * are cut at their declared size and refused past the ratio limit; stored
 * members and overlapping duplicates (refused) cannot yield more than the
 * archive holds.
 */
class DirectoryTally {
  private readonly ranges = new MemberRanges();
  count = 0;
  past = 0;
  overlapping = 0;
  refused = 0;
  /** The first five refused members' names. */
  readonly refusedNames: string[] = [];
  cost = 0;

  constructor(
    private readonly archiveBytes: number,
    private readonly limits: ReturnType<typeof limitsOf>,
  ) {}

  add(e: RawEntry): void {
    this.count++;
    if (e.pastDeclaredCount !== undefined) this.past++;
    const span = memberSpan(e.relativeOffsetOfLocalHeader, e.compressedSize);
    const overlaps = this.ranges.claim(span.start, span.end) !== undefined;
    if (overlaps) this.overlapping++;
    const encrypted = (e.generalPurposeBitFlag & 1) !== 0;
    const tooDense = !encrypted && ratioProblem('x', e.uncompressedSize, e.compressedSize, this.limits) !== undefined;
    if (tooDense && this.refused++ < 5)
      this.refusedNames.push(decodeZipName(e.fileNameRaw, e.generalPurposeBitFlag, e.extraFields).text);
    if (overlaps || encrypted) return;
    if (e.compressionMethod === 0) this.cost += Math.min(e.uncompressedSize, this.archiveBytes);
    else if (decompressed(e.compressionMethod) && !tooDense) this.cost += e.uncompressedSize;
  }
}

/** What reading `entries` can cost the expansion budget (DirectoryTally). */
function expansionCost(
  entries: readonly RawEntry[],
  archiveBytes: number,
  limits: ReturnType<typeof limitsOf>,
): number {
  const tally = new DirectoryTally(archiveBytes, limits);
  for (const e of entries) tally.add(e);
  return tally.cost;
}

/**
 * Why a stored (not compressed) member's bytes cannot be told from the
 * directory, or undefined: its stored and content sizes differ (they are the
 * same bytes), or its data runs past the archive's end, where the bytes read
 * would be the archive's own directory (a ZIP64 size of 2^62 for 11 bytes made
 * its head the directory and end record: "Zip archive", 4.6 EB, analysable).
 * A member recovered from its local header of a cut archive is read to the cut.
 */
function storedSizeProblem(e: RawEntry, archiveBytes: number): string | undefined {
  if (e.compressionMethod !== 0 || e.dataPresent !== undefined) return undefined;
  if (e.compressedSize !== e.uncompressedSize)
    return `The member is stored (not compressed), yet its directory record declares ${e.compressedSize} bytes stored and ${e.uncompressedSize} bytes of content; which bytes are the member's cannot be told, so it is not read.`;
  const end = e.relativeOffsetOfLocalHeader + 30 + e.compressedSize;
  if (end > archiveBytes)
    return `The directory record declares ${e.compressedSize} bytes of stored data after the local header at offset ${e.relativeOffsetOfLocalHeader}, past the archive's end (${archiveBytes} bytes): the bytes there are not all this member's (they run into the archive's directory), so it is not read.`;
  return undefined;
}

/** Guesses a ZIP source from the name (`.zip`) or the magic of a file. */
export function guessZip(file: string, head: Buffer): boolean {
  const ext = path.extname(file).toLowerCase();
  return (
    ext === '.zip' ||
    head.subarray(0, 4).toString('latin1') === 'PK\x03\x04' ||
    head.subarray(0, 4).toString('latin1') === 'PK\x05\x06'
  );
}

/**
 * The problem of a ZIP read from its local headers: the directory reader's words come second, as the reason,
 * since they may describe a nested archive's end record found in the data of a cut one ("Invalid comment length").
 */
function noCentralDirectory(err: unknown, recovered: { entries: readonly RawEntry[]; stop?: string }): string {
  return `No usable central directory (${(err as Error).message.replace(/\.$/, '')}): ${recovered.entries.length} member(s) were recovered from their local headers${recovered.stop ? ` (${recovered.stop})` : ''}.`;
}

/** Where a member's data starts: after its local header's name and extra field (which may differ from the central copy). */
async function localDataStart(base: RandomRead, offset: number): Promise<number> {
  // An offset past the end (a lying ZIP64 field: 2^62) is no header; reading there is a range error, not "no header".
  if (offset + 30 > base.size) throw badLocalHeader(offset);
  return dataStartFrom(await readFully(base, offset, 30), offset, base.size);
}

function parseExtra(buf: Buffer): Array<{ id: number; data: Buffer }> {
  const out: Array<{ id: number; data: Buffer }> = [];
  for (let i = 0; i + 4 <= buf.length;) {
    const id = buf.readUInt16LE(i),
      len = buf.readUInt16LE(i + 2);
    out.push({ id, data: buf.subarray(i + 4, Math.min(buf.length, i + 4 + len)) });
    i += 4 + len;
  }
  return out;
}

/**
 * Recovers members from their local file headers when the central directory
 * is missing (a truncated download) : walks PK\x03\x04 records from the start
 * while sizes are known (Info-ZIP writes them in the local header when it can seek).
 */
export async function recoverFromLocalHeaders(
  base: RandomRead,
  maxMembers: number,
): Promise<{ entries: RawEntry[]; stop?: string }> {
  const entries: RawEntry[] = [];
  let pos = 0;
  while (pos + 30 <= base.size && entries.length < maxMembers) {
    const h = await readFully(base, pos, 30);
    // A member cut inside its parent archive reads short of the size it declares: stop there, never past the bytes.
    if (h.length < 30) return { entries, stop: `the header at offset ${pos} is cut short` };
    if (h.readUInt32LE(0) !== 0x04034b50) break;
    const flags = h.readUInt16LE(6);
    const n = h.readUInt16LE(26),
      m = h.readUInt16LE(28);
    const rest = await readFully(base, pos + 30, n + m);
    if (rest.length < n + m) return { entries, stop: `the header at offset ${pos} is cut short` };
    const extraFields = parseExtra(rest.subarray(n));
    let compressedSize = h.readUInt32LE(18),
      uncompressedSize = h.readUInt32LE(22);
    const z64 = extraFields.find((f) => f.id === 0x0001);
    if (z64) {
      let i = 0;
      if (uncompressedSize === 0xffffffff && z64.data.length >= i + 8) {
        uncompressedSize = Number(z64.data.readBigUInt64LE(i));
        i += 8;
      }
      if (compressedSize === 0xffffffff && z64.data.length >= i + 8)
        compressedSize = Number(z64.data.readBigUInt64LE(i));
    }
    // Written by a streaming writer: the size follows the data, in its data descriptor.
    const descriptor = flags & 8 && compressedSize === 0 ? await findDataDescriptor(base, pos + 30 + n + m) : undefined;
    if (flags & 8 && compressedSize === 0 && !descriptor)
      return {
        entries,
        stop: `the member at offset ${pos} was written with a data descriptor, and no descriptor with its size follows it`,
      };
    if (descriptor) ({ compressedSize, uncompressedSize } = descriptor);
    const method = h.readUInt16LE(8);
    if (!(method in METHODS))
      return {
        entries,
        stop: `the record at offset ${pos} names an unknown compression method ${method}; it is not a member`,
      };
    const runsPast = pos + 30 + n + m + compressedSize > base.size;
    const e = Object.create(yauzlModule().Entry.prototype) as RawEntry;
    Object.assign(e, {
      versionMadeBy: 0,
      versionNeededToExtract: h.readUInt16LE(4),
      generalPurposeBitFlag: flags,
      compressionMethod: h.readUInt16LE(8),
      lastModFileTime: h.readUInt16LE(10),
      lastModFileDate: h.readUInt16LE(12),
      crc32: descriptor?.crc32 ?? h.readUInt32LE(14),
      compressedSize,
      uncompressedSize,
      fileNameRaw: rest.subarray(0, n),
      extraFields,
      externalFileAttributes: 0,
      relativeOffsetOfLocalHeader: pos,
    });
    if (runsPast) e.dataPresent = Math.max(0, base.size - (pos + 30 + n + m));
    entries.push(e);
    if (runsPast)
      return {
        entries,
        stop: `the member at offset ${pos} runs past the end of the archive; its first bytes are kept`,
      };
    const member = pos;
    pos += 30 + n + m + compressedSize;
    if (descriptor) pos += descriptor.length;
    else if (flags & 8) {
      // The data descriptor after the data, with its optional signature (APPNOTE 4.3.9.3), unless the archive ends first.
      const signature = await readFully(base, pos, 4);
      if (signature.length < 4)
        return {
          entries,
          stop: `the archive ends where the data descriptor of the member at offset ${member} should begin`,
        };
      pos += signature.readUInt32LE(0) === 0x08074b50 ? 16 : 12;
    }
  }
  return { entries };
}

const DESCRIPTOR_SIGNATURE = Buffer.from('PK\x07\x08', 'latin1');
/** Bytes searched per read for a data descriptor. */
const DESCRIPTOR_CHUNK = 1024 * 1024;

/**
 * The data descriptor that ends a member whose local header gives no size (APPNOTE §4.3.9): the first
 * descriptor signature after `dataStart` followed by a compressed size (32- or 64-bit, as ZIP64 writes it)
 * equal to its distance from `dataStart`. A signature inside the data (a nested archive's own descriptor)
 * gives another distance. Searched to the end of the archive at most, once per member: the walk goes on
 * after the descriptor found, and stops at a member with none.
 */
async function findDataDescriptor(
  base: RandomRead,
  dataStart: number,
): Promise<{ crc32: number; compressedSize: number; uncompressedSize: number; length: number } | undefined> {
  // Chunks overlap by a descriptor's length less one, so none is missed across a boundary.
  for (let at = dataStart; at < base.size; at += DESCRIPTOR_CHUNK - 23) {
    const buf = await readFully(base, at, Math.min(DESCRIPTOR_CHUNK, base.size - at));
    for (let i = buf.indexOf(DESCRIPTOR_SIGNATURE); i >= 0; i = buf.indexOf(DESCRIPTOR_SIGNATURE, i + 1)) {
      const distance = at + i - dataStart;
      const crc32 = i + 8 <= buf.length ? buf.readUInt32LE(i + 4) : 0;
      if (i + 16 <= buf.length && buf.readUInt32LE(i + 8) === distance)
        return { crc32, compressedSize: distance, uncompressedSize: buf.readUInt32LE(i + 12), length: 16 };
      if (i + 24 <= buf.length && buf.readBigUInt64LE(i + 8) === BigInt(distance))
        return { crc32, compressedSize: distance, uncompressedSize: Number(buf.readBigUInt64LE(i + 16)), length: 24 };
    }
    if (at + buf.length >= base.size) break;
  }
  return undefined;
}
