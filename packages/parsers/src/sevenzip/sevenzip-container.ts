/**
 * 7z, RAR (4 and 5) and the other archives 7-Zip reads (cabinet, ARJ, LZH, cpio, XAR, ISO/UDF)
 * opened through 7-Zip itself, compiled to WebAssembly (the 7z-wasm package: 7-Zip 24.09 with unRAR),
 * on a thread under a watchdog (sevenzip-runner.ts). 7-Zip lists the archive (`l -slt`); each member is
 * an entry with the listing's sizes, times and facts; its bytes are extracted a solid block (or a
 * bounded batch of non-solid members) at a time into a private temporary folder and deleted when the
 * pipeline releases the member, so no block is decoded once per member and no archive needs disk or
 * memory for all its members at once. Encrypted members are listed, flagged and never extracted; an
 * archive whose headers are encrypted is not opened (7-Zip is never asked for a password, `-p` with no
 * value makes it fail where it would ask). A local archive is read where it lies (its folder mounted
 * read-only in use: 7-Zip only ever writes under the private folder); a nested one is first copied there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ByteReader, EvidenceItem, EvidenceSource, SourceEntry } from '@evtriage/core';
import {
  encryptedMemberFormat,
  MemberPaths,
  nameProblems,
  ratioProblem,
  tidyMemberName,
  type ContainerOpener,
} from '@evtriage/core/internal-readers';
import { parseSltListing, sltNumber, sltTime, type SltRecord } from './slt-listing.js';
import type { ArchiveAt } from './sevenzip-protocol.js';
import { SevenZipRunner, type StartThread } from './sevenzip-runner.js';

/** A nested archive larger than this is not copied out to be opened (the spool limit of core's streamed members). */
export const MAX_COPY_BYTES = 4 * 1024 * 1024 * 1024;
/** Non-solid members are extracted in batches of at most this many bytes... */
const BATCH_BYTES = 64 * 1024 * 1024;
/** ...and members. */
const BATCH_MEMBERS = 256;
/** A solid block (or batch) larger than this is not extracted: its members are listed with an error. */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024 * 1024;

/**
 * A member whose coders would need more memory than this (a dictionary, PPMd's model) is not extracted: 7-Zip
 * allocates what the header declares in its WebAssembly heap, and its `-mmemuse` limit was not seen to refuse.
 * 7-Zip itself writes LZMA dictionaries up to 1.5 GiB, RAR 5 up to 4 GiB (RAR 7: more).
 */
export const MAX_DECODER_BYTES = 1024 * 1024 * 1024;

/**
 * The memory the coders of a listed `Method` declare, as 7-Zip prints them: `LZMA:24` and RAR's `m3:22` are
 * powers of two, `LZMA2:24m`, `v6:m5:1M` and `PPMD:o6:mem192m` sizes with a unit, `PPMD:o6:mem24` a power of two.
 */
export function declaredDecoderBytes(method: string): number {
  let most = 0;
  for (const coder of method.split(' ')) {
    for (const field of coder.split(':').slice(1)) {
      const m = /^(?:mem)?(\d+)([kmg]?)$/i.exec(field);
      if (!m) continue;
      const n = Number(m[1]);
      const unit = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase()];
      most = Math.max(most, unit ? n * unit : n <= 62 ? 2 ** n : n);
    }
  }
  return most;
}

/** A thread that extracted a block larger than this is ended with its archive, not kept for the next. */
const KEEP_THREAD_MAX_BYTES = 64 * 1024 * 1024;

export interface SevenZipTimeouts {
  /** Time 7-Zip may take to list an archive. */
  listMs: number;
  /** Time an extraction may take at least, plus one millisecond per `bytesPerMs` bytes of the batch. */
  extractMs: number;
  bytesPerMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<SevenZipTimeouts> = Object.freeze({
  listMs: 60_000,
  extractMs: 60_000,
  // 1 MB/s: far below 7-Zip's slowest decoder, so only a stuck one meets the limit.
  bytesPerMs: 1000,
});

const HINT = { description: 'The archive password.', kind: 'password' as const, present: 'unknown' as const };

/** Reasons (from the 7z and RAR detectors and the 7z header parser) that the file list itself is encrypted. */
const HEADERS_ENCRYPTED = new Set(['SEVENZIP_HEADER_ENCRYPTED', 'RAR_HEADERS_ENCRYPTED']);

function fail(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function record(item: EvidenceItem, code: string, message: string, severity: 'warning' | 'error'): void {
  item.errors.push({ stage: 'container', code, message, severity });
}

/** Private folders still there, removed at process exit whatever happened (one hook for all). */
const openDirs = new Set<string>();
let exitHooked = false;

/** A private folder (0700) under the OS temp folder, removed on close and at process exit. */
class PrivateDir {
  readonly path: string;

  constructor() {
    this.path = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-7z-'));
    fs.chmodSync(this.path, 0o700);
    openDirs.add(this.path);
    if (!exitHooked) {
      exitHooked = true;
      process.once('exit', () => {
        for (const d of openDirs) fs.rmSync(d, { recursive: true, force: true });
      });
    }
  }

  close(): void {
    fs.rmSync(this.path, { recursive: true, force: true });
    openDirs.delete(this.path);
  }
}

/** A local file's path as text, when its bytes are UTF-8 (7-Zip's file system takes text; others are copied). */
function localName(local: string | Buffer | undefined): string | undefined {
  if (typeof local === 'string') return local;
  if (!local) return undefined;
  const text = local.toString('utf8');
  return Buffer.from(text, 'utf8').equals(local) ? text : undefined;
}

/** Where 7-Zip finds the archive: its host folder and name (a nested one copied into `dir`). */
async function locate(entry: SourceEntry, dir: PrivateDir): Promise<{ dir: string; name: string }> {
  const local = localName(entry.localPath);
  if (local) return { dir: path.dirname(path.resolve(local)), name: path.basename(local) };
  if (!entry.open) throw fail('ARCHIVE_UNREADABLE', 'the archive has no bytes to read');
  if (entry.size > MAX_COPY_BYTES)
    throw fail(
      'ARCHIVE_TOO_LARGE',
      `a nested archive of ${entry.size} bytes, more than the ${MAX_COPY_BYTES}-byte limit for copying it out to be opened: not opened`,
    );
  const reader = await entry.open();
  // Named as in its container (7-Zip names missing volumes after it, and tries the handler its extension names first).
  const base = path.posix.basename(entry.path);
  const name = /^[^\0/]{1,200}$/.test(base) && base !== '.' && base !== '..' ? base : 'archive';
  fs.mkdirSync(path.join(dir.path, 'in'), { mode: 0o700 });
  const file = path.join(dir.path, 'in', name);
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    for (let pos = 0; pos < reader.size;) {
      const chunk = await reader.read(pos, Math.min(4 * 1024 * 1024, reader.size - pos));
      if (chunk.length === 0) break;
      fs.writeSync(fd, chunk);
      pos += chunk.length;
    }
  } finally {
    fs.closeSync(fd);
    await reader.close();
  }
  return { dir: path.join(dir.path, 'in'), name };
}

interface Member {
  listed: string;
  entry: SourceEntry;
  /** Batch key; undefined when there is nothing to extract (encrypted, empty, a link). */
  batch?: string;
  /** Members of its batch listed before it under the same name (7-Zip's `-aou` renames them `name_1`...). */
  sameNameBefore?: number;
}

interface Extracted {
  dir: string;
  errors: Map<string, string[]>;
  general: string[];
  failed?: Error;
}

interface Batch {
  members: Member[];
  bytes: number;
  /** Set once extracted: the folder, and what 7-Zip said. */
  extracted?: Promise<Extracted>;
  pending: number;
}

/** The scheme an encrypted member of this archive type is locked with, named as the 7z and RAR detectors name it. */
function schemeOf(type: string): string {
  if (type === '7z') return '7z-aes-256';
  if (type === 'rar5') return 'rar5-aes-256';
  if (type === 'rar') return 'rar3-aes-128';
  return `${type}-password`;
}

function containerFacts(type: string, r: SltRecord): Record<string, unknown> {
  const facts: Record<string, unknown> = { archive: type };
  const keep: Array<[string, string]> = [
    ['Method', 'method'],
    ['Block', 'block'],
    ['Solid', 'solid'],
    ['CRC', 'crc'],
    ['Attributes', 'attributes'],
    ['Packed Size', 'packedSize'],
    ['Host OS', 'hostOs'],
    ['Volume Index', 'volumeIndex'],
    ['Split Before', 'splitBefore'],
    ['Split After', 'splitAfter'],
    ['Comment', 'comment'],
  ];
  for (const [key, name] of keep) {
    const v = r.get(key);
    if (v === undefined || v === '') continue;
    facts[name] = key === 'Packed Size' ? (sltNumber(v) ?? v) : v === '+' ? true : v === '-' ? false : v;
  }
  return facts;
}

/** The unix mode string a record carries (`drwxr-xr-x`), in `Mode` (XAR, ar, cpio) or after the attributes (7z). */
function modeOf(r: SltRecord): string {
  return r.get('Mode') ?? /[-dlcbps][rwxsStT-]{9}$/.exec(r.get('Attributes') ?? '')?.[0] ?? '';
}

/** Whether a listed record is a folder (7z: attribute D; RAR: Folder = +; others: the unix mode or Type). */
function isFolder(r: SltRecord): boolean {
  return (
    r.get('Folder') === '+' ||
    /^D/.test(r.get('Attributes') ?? '') ||
    modeOf(r).startsWith('d') ||
    r.get('Type') === 'directory'
  );
}

/** Whether a listed record is a symbolic link (unix mode `l...` in the attributes, or a RAR5 link target). */
function linkOf(r: SltRecord): { target?: string } | undefined {
  const target = r.get('Symbolic Link');
  if (target) return { target };
  return modeOf(r).startsWith('l') ? {} : undefined;
}

/** 7-Zip's per-member extraction messages (`ERROR: Data Error : path`, `ERROR: CRC Failed : path`...). */
function extractionErrors(stderr: string, stdout: string): { byPath: Map<string, string[]>; general: string[] } {
  const byPath = new Map<string, string[]>();
  const general: string[] = [];
  for (const raw of `${stderr}\n${stdout}`.split(/\r?\n/)) {
    const line = raw.trim();
    const m = /^ERROR: (.+?) : (.+)$/.exec(line);
    if (m && !m[2]!.startsWith('/in/')) {
      const list = byPath.get(m[2]!) ?? [];
      list.push(m[1]!);
      byPath.set(m[2]!, list);
    } else if (/^(ERROR = |Unexpected end|Headers Error|There are data after)/.test(line)) {
      general.push(line);
    }
  }
  return { byPath, general: [...new Set(general)] };
}

/** Where 7-Zip put the k-th member named `listed` in a batch (`-aou` renames the second and later: name_1.ext). */
function extractedName(listed: string, k: number): string {
  if (k === 0) return listed;
  const slash = listed.lastIndexOf('/');
  const dot = listed.lastIndexOf('.');
  return dot > slash + 1 ? `${listed.slice(0, dot)}_${k}${listed.slice(dot)}` : `${listed}_${k}`;
}

const EMPTY_READER: ByteReader = {
  size: 0,
  read: () => Promise.resolve(Buffer.alloc(0)),
  close: () => Promise.resolve(),
};

function fileReader(file: string): ByteReader {
  // The file is 7-Zip's output in our private folder; never a link it may have made.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  const size = fs.fstatSync(fd).size;
  let closed = false;
  return {
    size,
    read: (position, length) =>
      new Promise((resolve, reject) => {
        const l = Math.max(0, Math.min(length, size - position));
        const buf = Buffer.allocUnsafe(l);
        if (l === 0) return resolve(buf);
        fs.read(fd, buf, 0, l, position, (err, got) => (err ? reject(err) : resolve(buf.subarray(0, got))));
      }),
    close: () => {
      if (!closed) {
        closed = true;
        fs.closeSync(fd);
      }
      return Promise.resolve();
    },
  };
}

export class SevenZipSource implements EvidenceSource {
  readonly info: { path: string; kind: string };
  private readonly batches = new Map<string, Batch>();
  private seq = 0;
  private closed = false;
  private busy = false;

  constructor(
    containerPath: string,
    readonly type: string,
    private readonly where: ArchiveAt,
    private readonly members: Member[],
    private readonly runner: SevenZipRunner,
    private readonly dir: PrivateDir,
    private readonly timeouts: SevenZipTimeouts,
  ) {
    this.info = { path: containerPath, kind: type };
    const named = new Map<string, number>();
    for (const m of members) {
      if (!m.batch) continue;
      const key = `${m.batch}\0${m.listed}`;
      m.sameNameBefore = named.get(key) ?? 0;
      named.set(key, m.sameNameBefore + 1);
      const b = this.batches.get(m.batch) ?? { members: [], bytes: 0, pending: 0 };
      b.members.push(m);
      b.bytes += m.entry.size;
      b.pending++;
      this.batches.set(m.batch, b);
    }
  }

  async *entries(): AsyncIterable<SourceEntry> {
    for (const m of this.members) {
      if (this.closed) return;
      const batch = m.batch ? this.batches.get(m.batch) : undefined;
      if (!batch) {
        // An empty member has its (no) bytes without extraction; encrypted ones and links have none to read.
        const empty = m.entry.size === 0 && m.entry.kind === 'file' && !m.entry.facts?.encryption;
        yield empty ? { ...m.entry, open: () => Promise.resolve(EMPTY_READER) } : m.entry;
        continue;
      }
      const done = await (batch.extracted ??= this.extract(batch));
      yield this.withBytes(m, batch, done);
    }
  }

  private async extract(batch: Batch): Promise<Extracted> {
    const dir = path.join(this.dir.path, `b${++this.seq}`);
    fs.mkdirSync(dir, { mode: 0o700 });
    if (batch.bytes > MAX_BATCH_BYTES) {
      const failed = fail(
        'ARCHIVE_MEMBER_NOT_EXTRACTED',
        `its solid block or batch holds ${batch.bytes} bytes, more than the ${MAX_BATCH_BYTES}-byte limit for one extraction: listed, not extracted`,
      );
      return { dir, errors: new Map(), general: [], failed };
    }
    this.busy = true;
    try {
      const reply = await this.runner.call(
        {
          type: 'extract',
          ...this.where,
          out: dir,
          paths: batch.members.map((m) => m.listed),
        },
        this.timeouts.extractMs + Math.ceil(batch.bytes / this.timeouts.bytesPerMs),
      );
      const { byPath, general } = extractionErrors(reply.stderr, reply.stdout);
      if (reply.threw) general.push(`7-Zip stopped with an ${reply.threw}`);
      // 7-Zip keeps the modes it read (0000 for some TARs): the files are made ours to read, and no one else's.
      for (const m of batch.members) {
        try {
          const f = path.join(dir, m.listed);
          if (fs.lstatSync(f).isFile()) fs.chmodSync(f, 0o600);
        } catch {
          // Not extracted: said when the member is handed out.
        }
      }
      return { dir, errors: byPath, general };
    } catch (err) {
      return { dir, errors: new Map(), general: [], failed: err as Error };
    } finally {
      this.busy = false;
    }
  }

  private withBytes(m: Member, batch: Batch, done: Awaited<NonNullable<Batch['extracted']>>): SourceEntry {
    const entry: SourceEntry = { ...m.entry };
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      if (--batch.pending === 0) fs.rmSync(done.dir, { recursive: true, force: true });
    };
    entry.release = release;
    if (done.failed) {
      entry.error = {
        code: (done.failed as { code?: string }).code ?? 'ARCHIVE_MEMBER_NOT_EXTRACTED',
        message: `The member could not be extracted: ${done.failed.message}`,
      };
      return entry;
    }
    const file = path.join(done.dir, extractedName(m.listed, m.sameNameBefore ?? 0));
    const own = done.errors.get(m.listed) ?? [];
    let got: fs.Stats | undefined;
    try {
      got = fs.lstatSync(file);
    } catch {
      // Not there.
    }
    const isFile = got?.isFile() ?? false;
    // What 7-Zip said of the archive as a whole concerns the members it did not give whole.
    const short = !isFile || got?.size !== m.entry.size;
    const said = [...own, ...(own.length || short ? done.general : [])];
    const problems = [...(m.entry.facts?.problems ?? [])];
    for (const s of said)
      problems.push({
        code: 'ARCHIVE_MEMBER_DAMAGED',
        message: `7-Zip reported while extracting it: ${s}`,
        severity: 'error' as const,
      });
    // Nothing (or no byte of a non-empty member) came out: nothing to classify, the error says why.
    if (!isFile || (got?.size === 0 && m.entry.size > 0)) {
      if (isFile) fs.rmSync(file, { force: true });
      entry.error = {
        code: 'ARCHIVE_MEMBER_NOT_EXTRACTED',
        message: `7-Zip did not extract the member${said.length ? `: ${said.join('; ')}` : ''}`,
      };
      return entry;
    }
    entry.facts = { ...m.entry.facts, problems };
    entry.open = () => Promise.resolve(fileReader(file));
    entry.release = () => {
      fs.rmSync(file, { force: true });
      release();
    };
    return entry;
  }

  close(): Promise<void> {
    this.closed = true;
    // An extraction still running (the walk stopped early) leaves the thread busy: it is ended, not kept; so is
    // one that held a large block (WebAssembly memory never shrinks, a kept thread would hold it).
    if (this.busy || [...this.batches.values()].some((b) => b.bytes > KEEP_THREAD_MAX_BYTES)) this.runner.end();
    else this.runner.release();
    this.dir.close();
    return Promise.resolve();
  }
}

/** The archive type 7-Zip names (`7z`, `Rar`, `Rar5`, `Cab`...), lower-cased. */
function typeOf(archive: SltRecord, item: EvidenceItem): string {
  return (archive.get('Type') ?? item.format?.id ?? 'archive').toLowerCase();
}

/** Members from the listing: paths made unique, folders left out (as for ZIP and TAR), batches assigned. */
function membersOf(type: string, records: readonly SltRecord[]): Member[] {
  const paths = new MemberPaths();
  const out: Member[] = [];
  let group = 0;
  let groupBytes = 0;
  let groupCount = 0;
  let previous: string | undefined;
  for (const r of records) {
    if (isFolder(r)) continue;
    const listed = r.get('Path') ?? '';
    const size = sltNumber(r.get('Size')) ?? 0;
    const claimed = paths.claim(tidyMemberName(listed));
    const problems = [...nameProblems(listed), ...(claimed.problem ? [claimed.problem] : [])];
    const encrypted = r.get('Encrypted') === '+';
    const link = linkOf(r);
    const times = {
      ...(sltTime(r.get('Modified')) ? { modified: sltTime(r.get('Modified')) } : {}),
      ...(sltTime(r.get('Accessed')) ? { accessed: sltTime(r.get('Accessed')) } : {}),
      ...(sltTime(r.get('Created')) ? { created: sltTime(r.get('Created')) } : {}),
    };
    const method = r.get('Method') ?? '';
    const entry: SourceEntry = {
      path: claimed.path,
      kind: link ? 'symlink' : 'file',
      size,
      times,
      depth: 0,
      ...(link?.target ? { linkTarget: link.target } : {}),
      facts: {
        container: containerFacts(type, r),
        ...(problems.length ? { problems } : {}),
        ...(encrypted
          ? {
              encryption: {
                scheme: schemeOf(type),
                format: encryptedMemberFormat(schemeOf(type)),
                scope: 'full' as const,
                keyHint: HINT,
                reason: `7-Zip's listing marks this member encrypted (Encrypted = +; method ${method || 'not given'}).`,
              },
            }
          : {}),
      },
    };
    let batch: string | undefined;
    const block = r.get('Block');
    const decoder = declaredDecoderBytes(method);
    if (!encrypted && !link && size > 0 && decoder > MAX_DECODER_BYTES) {
      entry.error = {
        code: 'ARCHIVE_MEMORY_LIMIT',
        message: `its coders (${method}) declare ${decoder} bytes of memory, more than the ${MAX_DECODER_BYTES} allowed for 7-Zip: listed, not extracted`,
      };
      out.push({ listed, entry });
      continue;
    }
    if (encrypted || link || size === 0) batch = undefined;
    else if (block) batch = `block ${block}`;
    else if (r.get('Solid') === '+' && previous) batch = previous;
    else {
      if (groupCount >= BATCH_MEMBERS || groupBytes + size > BATCH_BYTES) {
        group++;
        groupBytes = 0;
        groupCount = 0;
      }
      groupBytes += size;
      groupCount++;
      batch = `group ${group}`;
    }
    if (batch) previous = batch;
    out.push({ listed, entry, ...(batch ? { batch } : {}) });
  }
  return out;
}

/**
 * Formats the detectors name that 7-Zip reads and no other opener expands. Packages and documents 7-Zip also
 * reads are left identified, as ZIP-based APK, JAR and DOCX are (their members are code and parts, not
 * evidence files): `.deb`, RPM, static libraries (`ar`), CHM help.
 */
export const SEVENZIP_FORMATS = [
  '7z',
  '7z-encrypted',
  'rar',
  'rar-encrypted',
  'cab',
  'arj',
  'arj-encrypted',
  'lzh',
  'cpio',
  'xar',
  'iso9660',
  'udf',
] as const;

export function sevenZipContainerWith(
  timeouts: SevenZipTimeouts = DEFAULT_TIMEOUTS,
  startThread?: StartThread,
): ContainerOpener {
  return {
    formats: SEVENZIP_FORMATS,
    async open(entry, item, ctx): Promise<EvidenceSource> {
      const dir = new PrivateDir();
      const runner = new SevenZipRunner(startThread);
      try {
        // The file list itself needs the password: nothing to list, and nothing is asked.
        if (item.classification.reasons.some((r) => HEADERS_ENCRYPTED.has(r.code))) {
          dir.close();
          return new SevenZipSource(
            item.path,
            item.format?.id ?? 'archive',
            { dir: '', name: '' },
            [],
            runner,
            dir,
            timeouts,
          );
        }
        const where = await locate(entry, dir);
        const reply = await runner.call({ type: 'list', ...where }, timeouts.listMs);
        const listing = parseSltListing(reply.stdout, reply.stderr);
        const said = [...listing.problems, ...(reply.threw ? [`7-Zip stopped with an ${reply.threw}`] : [])];
        if (listing.members.length === 0 && reply.code !== 0) {
          const encrypted = said.some((s) => /Cannot open encrypted archive/.test(s));
          throw fail(
            encrypted ? 'ARCHIVE_ENCRYPTED' : 'ARCHIVE_UNREADABLE',
            `7-Zip could not list it (exit code ${reply.code}): ${said.join('; ') || 'no message'}`,
          );
        }
        if (said.length)
          record(
            item,
            reply.code >= 2 ? 'ARCHIVE_DAMAGED' : 'ARCHIVE_WARNING',
            `7-Zip listed ${listing.members.length} entr${listing.members.length === 1 ? 'y' : 'ies'} and reported: ${said.join('; ')}`,
            reply.code >= 2 ? 'error' : 'warning',
          );
        const type = typeOf(listing.archive, item);
        let members = membersOf(type, listing.members);
        if (members.length > ctx.limits.maxArchiveMembers) {
          record(
            item,
            'ARCHIVE_MEMBER_LIMIT',
            `${members.length} members, more than the ${ctx.limits.maxArchiveMembers}-member limit: the first ${ctx.limits.maxArchiveMembers} are read`,
            'warning',
          );
          members = members.slice(0, ctx.limits.maxArchiveMembers);
        }
        const expanded = members.reduce((n, m) => n + (m.batch ? m.entry.size : 0), 0);
        const ratio = ratioProblem('The archive', expanded, entry.size, ctx.limits);
        if (ratio) throw fail('ARCHIVE_RATIO_LIMIT', ratio);
        if (!ctx.budget.take(expanded))
          throw fail(
            'ARCHIVE_EXPANSION_LIMIT',
            `its members would expand to ${expanded} bytes, past what is left of the scan-wide expansion budget (${ctx.limits.maxExpandedBytes} bytes, ${ctx.budget.expanded} used; a zip-bomb guard; raise --max-expanded to open it)`,
          );
        return new SevenZipSource(item.path, type, where, members, runner, dir, timeouts);
      } catch (err) {
        // A refused archive (limits, damage) leaves a sound thread; one that timed out or failed was ended already.
        runner.release();
        dir.close();
        throw err;
      }
    },
  };
}

export const sevenZipContainer: ContainerOpener = sevenZipContainerWith();
