/**
 * 7z, RAR (4 and 5) and the other archives 7-Zip reads (cabinet, ARJ, LZH, cpio, XAR, ISO/UDF, ar, RPM)
 * opened through 7-Zip itself, compiled to WebAssembly (the 7z-wasm package: 7-Zip 24.09 with unRAR),
 * on a thread under a watchdog (sevenzip-runner.ts). 7-Zip lists the archive (`l -slt`); each member is
 * an entry with the listing's sizes, times and facts; its bytes are extracted a solid block (or a
 * bounded batch of non-solid members) at a time into a private temporary folder and deleted when the
 * pipeline releases the member, so no block is decoded once per member and no archive needs disk or
 * memory for all its members at once. Encrypted members are listed, flagged and never extracted; an
 * archive whose headers are encrypted is not opened (7-Zip is never asked for a password, `-p` with no
 * value makes it fail where it would ask). A local archive is read where it lies (its folder mounted
 * read-only in use: 7-Zip only ever writes under the private folder); a nested one is first copied there.
 * Here: the source and the opener; the listing's members in sevenzip-members.ts, the private folder in
 * sevenzip-workdir.ts, what an extraction left in sevenzip-extraction.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EvidenceItem, EvidenceSource, SourceEntry } from '@evtriage/core';
import {
  COMPANION_HOLD_BYTES,
  companionsOf,
  ratioProblem,
  siblingPath,
  SiblingTooLargeError,
  type ContainerOpener,
} from '@evtriage/core/internal-readers';
import { cabinetShortfall } from './cab-coverage.js';
import { codedError } from './coded-error.js';
import { EMPTY_READER, extractedName, extractionErrors, fileReader, type Extracted } from './sevenzip-extraction.js';
import { membersOf, typeOf, type Member } from './sevenzip-members.js';
import type { ArchiveAt } from './sevenzip-protocol.js';
import { SevenZipRunner, SevenZipTimeout, type StartThread } from './sevenzip-runner.js';
import { parseSltListing, sltNumber } from './slt-listing.js';
import { locate, PrivateDir, removeTree } from './sevenzip-workdir.js';

/**
 * Members of one archive read at most, whatever --max-members says: the listing and its members are held while
 * the archive is read (about 3 KB a member), so a 642 KB 7z of 1,000,000 empty files would take 3 GB.
 */
export const MAX_LISTED_MEMBERS = 250_000;

/** A solid block (or batch) larger than this is not extracted: its members are listed with an error. */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024 * 1024;

/**
 * A thread that extracted a block larger than this, or listed more members (7-Zip's database of 100,000 members
 * grows its heap by about 500 MiB), is ended with its archive, not kept for the next: its heap never shrinks.
 */
const KEEP_THREAD_MAX_BYTES = 64 * 1024 * 1024;
const KEEP_THREAD_MAX_MEMBERS = 10_000;

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

/** Reasons (from the 7z and RAR detectors and the 7z header parser) that the file list itself is encrypted. */
const HEADERS_ENCRYPTED = new Set(['SEVENZIP_HEADER_ENCRYPTED', 'RAR_HEADERS_ENCRYPTED']);

/**
 * The file 7-Zip wrote for a member of a batch extracted into `dir`, or undefined. It is made private, read and
 * deleted: it must be 7-Zip's output in our folder, never the path a member's name points at (`../../etc/x`).
 */
function outputOf(m: Member, dir: string): string | undefined {
  if (m.written === undefined) return undefined;
  const file = path.join(dir, extractedName(m.written, m.sameNameBefore ?? 0));
  return path.relative(dir, file).split(path.sep).includes('..') ? undefined : file;
}

/** A regular file (not a link, not a folder) at `file`. */
function regularFileAt(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return false;
  }
}

function record(item: EvidenceItem, code: string, message: string, severity: 'warning' | 'error'): void {
  item.errors.push({ stage: 'container', code, message, severity });
}

interface Batch {
  members: Member[];
  /** How many of its members 7-Zip writes under each path (more than one: it renames the others name_1...). */
  written: Map<string, number>;
  /** Why the file written under a path is not certain to be its member's (unsureNames), found once per path. */
  unsure?: Map<string, string | undefined>;
  bytes: number;
  /** The folder its members are written to, once its extraction began. */
  dir?: string;
  /** Set once extracted: the folder, and what 7-Zip said. */
  extracted?: Promise<Extracted>;
  pending: number;
}

export class SevenZipSource implements EvidenceSource {
  readonly info: { path: string; kind: string };
  private readonly batches = new Map<string, Batch>();
  private seq = 0;
  private closed = false;
  private busy = false;
  /**
   * Set when an extraction of this archive passed its deadline: its other batches are not tried. Each batch has
   * its own deadline, so an archive of many batches that are each slow to write (a 10 KB cpio whose member sits
   * 1,900 folders deep took 7-Zip 50 s) would otherwise hold the scan for a deadline per batch.
   */
  private timedOut: Error | undefined;
  /** What each member asks for beside it (core's companions.ts): other members of the listing. */
  private readonly companions = new Map<Member, Member[]>();
  /**
   * Holds on a member's extracted file: its own turn plus each member given it as a companion. The file (and its
   * batch's folder, once every member of it is let go) is removed when the last is let go.
   */
  private readonly holds = new Map<Member, number>();
  /** Members whose extracted file is certainly theirs (removed with their last hold). */
  private readonly ownFile = new Set<Member>();

  constructor(
    containerPath: string,
    readonly type: string,
    private readonly where: ArchiveAt,
    private readonly members: Member[],
    private readonly runner: SevenZipRunner,
    private readonly dir: PrivateDir,
    private readonly timeouts: SevenZipTimeouts,
    private readonly budget: Parameters<ContainerOpener['open']>[2]['budget'],
    /** Bytes of another block a member's companion may be extracted ahead of its turn with (planCompanions). */
    private readonly companionBytes = COMPANION_HOLD_BYTES,
  ) {
    this.info = { path: containerPath, kind: type };
    for (const m of members) {
      if (!m.batch || m.written === undefined) continue;
      const b: Batch = this.batches.get(m.batch) ?? { members: [], written: new Map(), bytes: 0, pending: 0 };
      const before = b.written.get(m.written) ?? 0;
      m.sameNameBefore = before;
      b.written.set(m.written, before + 1);
      b.members.push(m);
      b.bytes += m.entry.size;
      b.pending++;
      this.batches.set(m.batch, b);
    }
    this.planCompanions();
  }

  /**
   * Which companions each member gets. One in its own block comes out with it; one in another block is extracted
   * ahead of its turn (that block's files then wait on disk until walked), so a block larger than the companion
   * budget is not: the member says why (COMPANION_NOT_HELD), as a streamed TAR's does.
   */
  private planCompanions(): void {
    const byPath = new Map(this.members.map((m) => [m.entry.path, m]));
    for (const [name, wanted] of companionsOf([...byPath.keys()])) {
      const m = byPath.get(name)!;
      const given: Member[] = [];
      const refused: string[] = [];
      for (const w of wanted) {
        const c = byPath.get(w)!;
        const block = c.batch === undefined ? undefined : this.batches.get(c.batch);
        if (block && c.batch !== m.batch && block.bytes > this.companionBytes) refused.push(w);
        else given.push(c);
      }
      if (given.length) this.companions.set(m, given);
      for (const c of given) this.holds.set(c, (this.holds.get(c) ?? 1) + 1);
      if (refused.length)
        m.entry.facts = {
          ...m.entry.facts,
          problems: [
            ...(m.entry.facts?.problems ?? []),
            {
              code: 'COMPANION_NOT_HELD',
              message: `Its companion${refused.length > 1 ? 's' : ''} ${refused.map((n) => JSON.stringify(n)).join(', ')} lie in another solid block or batch larger than the ${this.companionBytes}-byte companion budget, which would be extracted ahead of its turn: not read beside it.`,
            },
          ],
        };
    }
  }

  /** Lets go of one hold on a member's file: the last removes it, and its batch's folder with the batch's last. */
  private letGo(m: Member): void {
    const left = (this.holds.get(m) ?? 1) - 1;
    this.holds.set(m, left);
    if (left > 0) return;
    const batch = m.batch === undefined ? undefined : this.batches.get(m.batch);
    if (!batch?.dir) return;
    const file = this.ownFile.has(m) ? outputOf(m, batch.dir) : undefined;
    if (file) fs.rmSync(file, { force: true });
    if (--batch.pending === 0) removeTree(batch.dir);
  }

  /** A companion's extracted file (its block extracted now if it was not yet), or undefined when it has none. */
  private async companionFile(c: Member): Promise<string | undefined> {
    const batch = c.batch === undefined ? undefined : this.batches.get(c.batch);
    if (!batch || c.written === undefined || this.closed) return undefined;
    const done = await (batch.extracted ??= this.extract(batch));
    const file = done.failed ? undefined : outputOf(c, done.dir);
    if (!file || this.unsureName(batch, c.written, done.dir) || !regularFileAt(file)) return undefined;
    this.ownFile.add(c);
    return file;
  }

  /** readSibling and openSibling over a member's companions; its release lets go of them. */
  private withCompanions(m: Member, entry: SourceEntry): SourceEntry {
    const given = this.companions.get(m);
    if (!given) return entry;
    const stored = m.entry.path;
    const dir = stored.slice(0, stored.lastIndexOf('/') + 1);
    const find = (name: string) => given.find((c) => c.entry.path === name);
    entry.readSibling = async (suffix, maxBytes) => {
      const c = find(siblingPath(stored, suffix) as string);
      if (c && c.batch === undefined && c.entry.size === 0 && !c.entry.facts?.encryption) return Buffer.alloc(0);
      const file = c && (await this.companionFile(c));
      if (!file) return undefined;
      const reader = fileReader(file);
      try {
        if (reader.size > maxBytes) throw new SiblingTooLargeError(suffix, reader.size, maxBytes);
        return await reader.read(0, reader.size);
      } finally {
        await reader.close();
      }
    };
    entry.openSibling = async (name) => {
      const c = name.includes('/') ? undefined : find(dir + name);
      const file = c && (await this.companionFile(c));
      return file ? fileReader(file) : undefined;
    };
    const own = entry.release;
    let released = false;
    entry.release = () => {
      if (released) return;
      released = true;
      own?.();
      for (const c of given) this.letGo(c);
    };
    return entry;
  }

  /** The paths of its listed files: the archive's own index (core's scan-walk.ts), from the listing in memory. */
  async *memberPaths(): AsyncIterable<string> {
    for (const m of this.members) if (m.entry.kind === 'file') yield m.entry.path;
  }

  async *entries(): AsyncIterable<SourceEntry> {
    for (const m of this.members) {
      if (this.closed) return;
      const batch = m.batch ? this.batches.get(m.batch) : undefined;
      if (!batch) {
        // An empty member has its (no) bytes without extraction; encrypted ones and links have none to read.
        const empty = m.entry.size === 0 && m.entry.kind === 'file' && !m.entry.facts?.encryption;
        yield this.withCompanions(
          m,
          empty ? { ...m.entry, open: () => Promise.resolve(EMPTY_READER) } : { ...m.entry },
        );
        continue;
      }
      const done = await (batch.extracted ??= this.extract(batch));
      yield this.withCompanions(m, this.withBytes(m, batch, done));
    }
  }

  private async extract(batch: Batch): Promise<Extracted> {
    const dir = path.join(this.dir.path, `b${++this.seq}`);
    fs.mkdirSync(dir, { mode: 0o700 });
    batch.dir = dir;
    if (batch.bytes > MAX_BATCH_BYTES) {
      const failed = codedError(
        'ARCHIVE_MEMBER_NOT_EXTRACTED',
        `its solid block or batch holds ${batch.bytes} bytes, more than the ${MAX_BATCH_BYTES}-byte limit for one extraction: listed, not extracted`,
      );
      return { dir, errors: new Map(), general: [], failed };
    }
    if (this.timedOut) {
      const failed = codedError(
        'ARCHIVE_TIMEOUT',
        `not tried: an earlier extraction from this archive did not finish in time (${this.timedOut.message})`,
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
      // A large block's heap is not kept for the archive's next block (it never shrinks): the next starts a thread.
      if (batch.bytes > KEEP_THREAD_MAX_BYTES || this.members.length > KEEP_THREAD_MAX_MEMBERS) this.runner.end();
      const { byPath, general } = extractionErrors(reply.stderr, reply.stdout);
      if (reply.threw) general.push(`7-Zip stopped with an ${reply.threw}`);
      // 7-Zip keeps the modes it read (0000 for some TARs): the files are made ours to read, and no one else's.
      for (const m of batch.members) {
        try {
          const f = outputOf(m, dir);
          if (f && fs.lstatSync(f).isFile()) fs.chmodSync(f, 0o600);
        } catch {
          // Not extracted: said when the member is handed out.
        }
      }
      return { dir, errors: byPath, general };
    } catch (err) {
      if (err instanceof SevenZipTimeout) this.timedOut = err;
      return { dir, errors: new Map(), general: [], failed: err as Error };
    } finally {
      this.busy = false;
    }
  }

  /**
   * Why the file 7-Zip wrote for a member written as `written` is not certain to be that member's, or undefined.
   * Members written alike are told apart by 7-Zip's renaming alone (`-aou`: name, name_1…): a name it lists other
   * than it stores (a line break is listed as "_") can match another member's, and then fewer files come out than
   * members listed; a member whose own name is such a rename (`name_1` beside two `name`) takes the place one of
   * them would. Worked out once per batch (the renames) and once per path (the files), not once per member.
   */
  private unsureName(batch: Batch, written: string, dir: string): string | undefined {
    if (!batch.unsure) {
      batch.unsure = new Map();
      for (const [w, n] of batch.written) {
        for (let k = 1; k < n; k++) {
          const rename = extractedName(w, k);
          if (!batch.written.has(rename)) continue;
          const why = `its name and 7-Zip's renaming of members listed alike ("${w}" ${n} times) coincide: which bytes are whose is not certain, so none is read`;
          batch.unsure.set(w, why);
          batch.unsure.set(rename, why);
        }
      }
    }
    if (batch.unsure.has(written)) return batch.unsure.get(written);
    const alike = batch.written.get(written) ?? 1;
    let why: string | undefined;
    for (let k = 0; k < alike && alike > 1 && !why; k++)
      if (!regularFileAt(path.join(dir, extractedName(written, k))))
        why = `${alike} members of its block are listed as ${JSON.stringify(written)} and 7-Zip wrote fewer files under that name (one it lists other than it is stored, such as a name with a line break): which bytes are whose is not certain, so none is read`;
    batch.unsure.set(written, why);
    return why;
  }

  private withBytes(m: Member, batch: Batch, done: Awaited<NonNullable<Batch['extracted']>>): SourceEntry {
    const entry: SourceEntry = { ...m.entry };
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.letGo(m);
    };
    entry.release = release;
    if (done.failed) {
      entry.error = {
        code: (done.failed as { code?: string }).code ?? 'ARCHIVE_MEMBER_NOT_EXTRACTED',
        message: `The member could not be extracted: ${done.failed.message}`,
      };
      return entry;
    }
    const file = outputOf(m, done.dir);
    const unsure =
      file && m.written !== undefined
        ? this.unsureName(batch, m.written, done.dir)
        : 'its name maps outside the extraction folder';
    if (!file || unsure) {
      entry.error = { code: 'ARCHIVE_MEMBER_NOT_EXTRACTED', message: unsure ?? 'its file is not known' };
      return entry;
    }
    const own = done.errors.get(m.listed) ?? [];
    let got: fs.Stats | undefined;
    try {
      got = fs.lstatSync(file);
    } catch {
      // Not there.
    }
    const isFile = got?.isFile() ?? false;
    // What 7-Zip said of the archive as a whole concerns the members it did not give whole.
    const short = !isFile || (!m.sizeUnlisted && got?.size !== m.entry.size);
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
    if (m.sizeUnlisted && got) {
      // The listing gave no size: the extracted bytes are the member, and they are charged to the budget now.
      if (!this.budget.take(got.size)) {
        fs.rmSync(file, { force: true });
        entry.error = {
          code: 'ARCHIVE_EXPANSION_LIMIT',
          message: `its ${got.size} extracted bytes (a size the listing did not give) would pass what is left of the scan-wide expansion budget (${this.budget.expanded} used)`,
        };
        return entry;
      }
      entry.size = got.size;
      problems.push({
        code: 'ARCHIVE_MEMBER_SIZE_UNLISTED',
        message: `7-Zip's listing gives no size for this member; its size is what 7-Zip extracted (${got.size} bytes).`,
      });
    }
    entry.facts = { ...m.entry.facts, problems };
    entry.open = () => Promise.resolve(fileReader(file));
    // Its file goes with its last hold (a member given it as a companion may still read it).
    this.ownFile.add(m);
    return entry;
  }

  close(): Promise<void> {
    this.closed = true;
    // An extraction still running (the walk stopped early) leaves the thread busy: it is ended, not kept; so is
    // one that held a large block or listing (WebAssembly memory never shrinks, a kept thread would hold it).
    const large =
      this.members.length > KEEP_THREAD_MAX_MEMBERS ||
      [...this.batches.values()].some((b) => b.bytes > KEEP_THREAD_MAX_BYTES);
    if (this.busy || large) this.runner.end();
    else this.runner.release();
    this.dir.close();
    return Promise.resolve();
  }
}

/**
 * Formats the detectors name that 7-Zip reads and no other opener expands. Packages and documents 7-Zip also
 * reads are left identified, as ZIP-based APK, JAR and DOCX are (their members are code and parts, not
 * evidence files): CHM help. Unix `ar` archives (static libraries, `.deb`, opkg's `.ipk`), and RPM packages
 * are opened: a key, wallet or database wrapped in one is evidence like any other, and each is a thin wrapper (a
 * `.deb` holds three members, an RPM one payload).
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
  'ar',
  'deb',
  'rpm',
] as const;

/**
 * The 7-Zip handler (`-t`) for formats 7-Zip would otherwise see through: a `.deb` is listed as its `data.tar.*`'s
 * contents and an RPM as its decompressed payload, so the members would lose their wrapper's layer. Named, the
 * handler lists the archive's own members (debian-binary, control.tar.*, data.tar.*; the payload `.cpio.*`), which the scan then opens in turn.
 */
const HANDLERS: Readonly<Record<string, string>> = { ar: 'ar', deb: 'ar', rpm: 'rpm' };

export function sevenZipContainerWith(
  timeouts: SevenZipTimeouts = DEFAULT_TIMEOUTS,
  startThread?: StartThread,
  companionBytes = COMPANION_HOLD_BYTES,
): ContainerOpener {
  return {
    formats: SEVENZIP_FORMATS,
    // The listing and its members are held while the archive is read (about 3 KB a member): 32 small archives
    // of a million members each, opened ahead at once, would not fit in memory.
    openAhead: false,
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
            ctx.budget,
          );
        }
        const handler = HANDLERS[item.format?.id ?? ''];
        const where = { ...(await locate(entry, dir)), ...(handler ? { handler } : {}) };
        const keepMembers = Math.min(ctx.limits.maxArchiveMembers, MAX_LISTED_MEMBERS);
        const reply = await runner.call({ type: 'list', ...where, keepMembers }, timeouts.listMs);
        const listing = parseSltListing(reply.stdout, reply.stderr);
        // 7-Zip's database of a long listing stays in the thread's heap: ended now, not held while members are read.
        if (listing.members.length > KEEP_THREAD_MAX_MEMBERS) runner.end();
        const said = [...listing.problems, ...(reply.threw ? [`7-Zip stopped with an ${reply.threw}`] : [])];
        if (listing.members.length === 0 && reply.code !== 0) {
          const encrypted = said.some((s) => /Cannot open encrypted archive/.test(s));
          throw codedError(
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
        if (type === 'cab') {
          const short = cabinetShortfall(
            path.join(where.dir, where.name),
            sltNumber(listing.archive.get('Offset')) ?? 0,
          );
          if (short) record(item, 'CAB_MEMBERS_UNLISTED', short.message, 'error');
        }
        let members = membersOf(type, listing.members);
        const printed = Math.max(reply.members ?? 0, listing.members.length);
        if (printed > keepMembers) {
          const why =
            keepMembers === MAX_LISTED_MEMBERS && keepMembers < ctx.limits.maxArchiveMembers
              ? `the ${MAX_LISTED_MEMBERS} members 7-Zip archives are read to (their listing is held in memory while the archive is read)`
              : `the ${ctx.limits.maxArchiveMembers}-member limit (raise --max-members to read more)`;
          record(
            item,
            'ARCHIVE_MEMBER_LIMIT',
            `7-Zip listed ${printed} members, more than ${why}: the first ${keepMembers} are read, the others are not in the manifest`,
            'error',
          );
          members = members.slice(0, keepMembers);
        }
        const expanded = members.reduce((n, m) => n + (m.batch ? m.entry.size : 0), 0);
        const ratio = ratioProblem('The archive', expanded, entry.size, ctx.limits);
        if (ratio) throw codedError('ARCHIVE_RATIO_LIMIT', ratio);
        if (!ctx.budget.take(expanded))
          throw codedError(
            'ARCHIVE_EXPANSION_LIMIT',
            `its members would expand to ${expanded} bytes, past what is left of the scan-wide expansion budget (${ctx.limits.maxExpandedBytes} bytes, ${ctx.budget.expanded} used; a zip-bomb guard; raise --max-expanded to open it)`,
          );
        return new SevenZipSource(item.path, type, where, members, runner, dir, timeouts, ctx.budget, companionBytes);
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
