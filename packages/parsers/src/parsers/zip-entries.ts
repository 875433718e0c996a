/**
 * Reads a ZIP central directory through yauzl over the parse context's
 * bounded range reads (nothing is extracted to disk, the evidence is never
 * written). Shared by the ZIP encryption parser; not a plugin.
 * Reference: PKWARE APPNOTE 6.3.10 §4.3.12, §4.4.4 (general-purpose bits).
 */
import type yauzl from 'yauzl';

type Readers = typeof import('@evtriage/core/internal-readers');
let readers: Promise<Readers> | undefined;
/**
 * Core's archive readers, loaded on the first ZIP parsed: a probe worker or
 * parse child that loads this module with the other built-ins then pays for
 * the archive sources only when it has a ZIP to read.
 */
const loadReaders = (): Promise<Readers> => (readers ??= import('@evtriage/core/internal-readers'));

/** The central-directory facts a parser needs about one member. */
export interface ZipMember {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  /** WinZip AES strength (1, 2, 3 for 128, 192, 256 bits) from extra field 0x9901, when present. */
  aesStrength?: number;
  entry: yauzl.Entry;
}

/** Opens a ZIP for directory reading through core's block-cached reader. Rejects when there is no readable central directory. */
export async function openZip(
  readAt: (position: number, length: number) => Promise<Buffer>,
  size: number,
): Promise<yauzl.ZipFile> {
  return (await loadReaders()).openZip({ size, read: readAt });
}

/** A member as a parser needs it, from a central-directory record or a local header (same fields). */
function memberOf(e: yauzl.Entry & { fileNameRaw?: Buffer }, { decodeZipName }: Readers): ZipMember {
  // core's readers leave names as bytes; decoded as the ZIP source decodes them (bit 11, 0x7075, CP437).
  const raw = (e.fileNameRaw ?? e.fileName) as unknown as Buffer | string;
  const name = typeof raw === 'string' ? raw : decodeZipName(raw, e.generalPurposeBitFlag, e.extraFields).text;
  const member: ZipMember = {
    name,
    flags: e.generalPurposeBitFlag,
    method: e.compressionMethod,
    compressedSize: e.compressedSize,
    size: e.uncompressedSize,
    entry: e,
  };
  const aes = e.extraFields.find((f) => f.id === 0x9901);
  if (aes && aes.data.length >= 7) member.aesStrength = aes.data[4]!;
  return member;
}

/**
 * The members an archive with no readable central directory (cut short, damaged, carved) still shows: its
 * local headers, walked from the start by core's ZIP source (`recoverFromLocalHeaders`), and why the walk
 * stopped before the end, when it did.
 */
export async function localMembers(
  readAt: (position: number, length: number) => Promise<Buffer>,
  size: number,
  max: number,
): Promise<{ members: ZipMember[]; stop?: string }> {
  const loaded = await loadReaders();
  const recovered = await loaded.recoverFromLocalHeaders({ size, read: readAt }, max);
  const members = recovered.entries.map((e) => memberOf(e, loaded));
  return recovered.stop === undefined ? { members } : { members, stop: recovered.stop };
}

/** The first `length` bytes of a stored member's data, where its local header says they start. */
export async function memberHead(
  readAt: (position: number, length: number) => Promise<Buffer>,
  member: ZipMember,
  length: number,
): Promise<Buffer> {
  const at = member.entry.relativeOffsetOfLocalHeader;
  const start = (await loadReaders()).dataStartFrom(await readAt(at, 30), at);
  return readAt(start, Math.min(length, member.compressedSize));
}

/**
 * Lists up to `max` members through core's directory reader, which reads the
 * records of members with PKWARE strong encryption (general-purpose bit 6)
 * that yauzl refuses. `strongEncryption` is set when any member has it.
 */
export async function listMembers(
  zf: yauzl.ZipFile,
  max: number,
  readAt: (position: number, length: number) => Promise<Buffer>,
  size: number,
): Promise<{ members: ZipMember[]; truncated: boolean; strongEncryption?: boolean }> {
  const loaded = await loadReaders();
  const next = loaded.zipEntryReader(zf, { size, read: readAt });
  const members: ZipMember[] = [];
  const done = (truncated: boolean) => {
    const strong = members.some((m) => m.flags & 0x40);
    return { members, truncated, ...(strong ? { strongEncryption: true } : {}) };
  };
  try {
    for (let e = await next(); e; e = await next()) {
      members.push(memberOf(e, loaded));
      if (members.length >= max) return done(true);
    }
  } catch (err) {
    // A directory that claims more members than it holds fails part-way: keep what was read.
    if (members.length > 0) return done(true);
    throw err;
  }
  return done(false);
}

/**
 * One member's decompressed bytes, up to `limit`: with `cut`, the first `limit` bytes (the rest is not
 * inflated); without it, a member larger than `limit` is refused.
 */
function collectMember(zf: yauzl.ZipFile, member: ZipMember, limit: number, cut: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zf.openReadStream(member.entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('no stream'));
      const parts: Buffer[] = [];
      let n = 0;
      stream.on('data', (b: Buffer) => {
        n += b.length;
        if (n <= limit) parts.push(b);
        else if (cut) {
          resolve(Buffer.concat([...parts, b]).subarray(0, limit));
          stream.destroy();
        } else stream.destroy(new RangeError('member larger than declared'));
      });
      stream.on('end', () => resolve(Buffer.concat(parts)));
      stream.on('error', reject);
    });
  });
}

/** The first `length` bytes of one member, decompressed (fewer when it is shorter); the rest is not inflated. */
export function readMemberHead(zf: yauzl.ZipFile, member: ZipMember, length: number): Promise<Buffer> {
  return collectMember(zf, member, length, true);
}

/** Reads one member whole (decompressed), refusing members larger than `maxBytes`. */
export function readMember(zf: yauzl.ZipFile, member: ZipMember, maxBytes: number): Promise<Buffer> {
  if (member.size > maxBytes) return Promise.reject(new RangeError(`${member.name} is larger than ${maxBytes} bytes`));
  return collectMember(zf, member, maxBytes, false);
}
