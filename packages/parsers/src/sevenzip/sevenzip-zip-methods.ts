/**
 * ZIP members in a method the ZIP source does not decode (shrink, reduce, implode, PPMd and the rest of APPNOTE
 * 4.4.5 past stored, deflate, Deflate64, bzip2, LZMA, Zstandard and xz), read through 7-Zip. The ZIP source keeps
 * reading the archive in place (yauzl; its members, encryption flags and names are its own): a member it cannot
 * decode comes with `ZIP_METHOD_UNSUPPORTED` and its local header's offset, and only then is 7-Zip asked, once per
 * archive, through the same opener as a 7z (sevenzip-container.ts: watchdog thread, private folder, `writtenPath`
 * and `outputOf`, deadlines, batch and decoder bounds). 7-Zip's listing gives each member's `Offset`: the member
 * at the same offset, with the same size and CRC, is the one extracted; nothing is matched by name. Only members
 * whose method 7-Zip names other than the ones the ZIP source decodes are extracted; every record still counts
 * where names are shared, so a member whose name 7-Zip also writes for another record is listed, not read.
 */
import type { EvidenceItem, EvidenceSource, SourceEntry } from '@evtriage/core';
import { ratioProblem, tidyMemberName, type ContainerOpener } from '@evtriage/core/internal-readers';
import { codedError } from './coded-error.js';
import { DEFAULT_TIMEOUTS, MAX_LISTED_MEMBERS, SevenZipSource, type SevenZipTimeouts } from './sevenzip-container.js';
import { membersOf, type Member } from './sevenzip-members.js';
import { SevenZipRunner, type StartThread } from './sevenzip-runner.js';
import { parseSltListing, sltNumber, type SltRecord } from './slt-listing.js';
import { locate, PrivateDir } from './sevenzip-workdir.js';

/** The ZIP source's error for a member whose method it does not decode (core's sources/zip.ts). */
const UNDECODED = 'ZIP_METHOD_UNSUPPORTED';

/** 7-Zip's names of the methods the ZIP source decodes itself: those members are never asked of 7-Zip. */
const DECODED_IN_PLACE = new Set(['store', 'deflate', 'deflate64', 'bzip2', 'lzma', 'xz', 'zstd']);

/** What the manifest says read the member's bytes. */
export const ZIP_METHOD_DECODER = '7-Zip 24.09 (WebAssembly)';

type Context = Parameters<ContainerOpener['open']>[2];

/** Whether 7-Zip's record is a member the ZIP source leaves to it: not encrypted, in a method it does not decode. */
function leftToSevenZip(r: SltRecord): boolean {
  if (r.get('Encrypted') === '+') return false;
  // `Method` is the last coder, after any encryption (`ZipCrypto Deflate`), with its options (`LZMA:24:EOS`).
  const coder = (r.get('Method') ?? '').split(' ').pop() ?? '';
  return !DECODED_IN_PLACE.has(coder.split(':')[0]!.toLowerCase());
}

/** 7-Zip's side of one archive: its members at their offsets, extracted as the walk asks for them. */
interface SevenZipSide {
  source: SevenZipSource;
  members: Member[];
  /** Offset -> index in `members`, or why the member at that offset is not extracted. */
  at: Map<number, number | string>;
  next: AsyncIterator<SourceEntry>;
  /** Entries 7-Zip handed out before the walk asked for them, by index. */
  ahead: Map<number, SourceEntry>;
  taken: number;
}

export class ZipMethodsSource implements EvidenceSource {
  readonly info: EvidenceSource['info'];
  readonly listPaths?: NonNullable<EvidenceSource['listPaths']>;
  readonly readPath?: NonNullable<EvidenceSource['readPath']>;
  private side: Promise<SevenZipSide | Error> | undefined;

  constructor(
    private readonly inner: EvidenceSource,
    private readonly archive: SourceEntry,
    private readonly item: EvidenceItem,
    private readonly ctx: Context,
    private readonly timeouts: SevenZipTimeouts,
    private readonly startThread: StartThread | undefined,
  ) {
    this.info = inner.info;
    if (inner.listPaths) this.listPaths = (signal) => inner.listPaths!(signal);
    if (inner.readPath) this.readPath = (p, max) => inner.readPath!(p, max);
  }

  async *entries(signal?: AbortSignal): AsyncIterable<SourceEntry> {
    for await (const e of this.inner.entries(signal))
      yield e.error?.code === UNDECODED && e.kind === 'file' ? await this.throughSevenZip(e) : e;
  }

  private async openSide(): Promise<SevenZipSide | Error> {
    const dir = new PrivateDir();
    // ZIPs are opened ahead of the walk, 32 at once, and each would otherwise hold a thread and its WebAssembly
    // heap while its members wait (200 small PPMd ZIPs started 16 threads and took 35 s of CPU, mostly starting
    // them); calls run one at a time in the process anyway (sevenzip-runner.ts), so one thread serves them all.
    const runner = new SevenZipRunner(this.startThread, { threadPerCall: true });
    try {
      const where = await locate(this.archive, dir);
      const keepMembers = Math.min(this.ctx.limits.maxArchiveMembers, MAX_LISTED_MEMBERS);
      const reply = await runner.call({ type: 'list', ...where, keepMembers }, this.timeouts.listMs);
      const listing = parseSltListing(reply.stdout, reply.stderr);
      if (listing.members.length === 0)
        throw codedError(
          'ARCHIVE_UNREADABLE',
          `7-Zip could not list the archive (exit code ${reply.code}): ${listing.problems.join('; ') || reply.threw || 'no message'}`,
        );
      const at = new Map<number, number | string>();
      const select = (r: SltRecord): boolean => {
        const offset = sltNumber(r.get('Offset'));
        if (offset === undefined || !leftToSevenZip(r)) return false;
        const ratio = ratioProblem(
          'The member',
          sltNumber(r.get('Size')) ?? 0,
          sltNumber(r.get('Packed Size')) ?? 0,
          this.ctx.limits,
        );
        if (ratio) at.set(offset, ratio);
        return !ratio;
      };
      const members = membersOf('zip', listing.members, select);
      members.forEach((m, i) => {
        if (m.offset !== undefined)
          at.set(m.offset, at.has(m.offset) ? "two members of 7-Zip's listing lie at its offset" : i);
      });
      const expanded = members.reduce((n, m) => n + (m.batch ? m.entry.size : 0), 0);
      if (!this.ctx.budget.take(expanded))
        throw codedError(
          'ARCHIVE_EXPANSION_LIMIT',
          `its members in methods 7-Zip decodes would expand to ${expanded} bytes, past what is left of the scan-wide expansion budget (${this.ctx.budget.expanded} used)`,
        );
      const source = new SevenZipSource(
        this.item.path,
        'zip',
        where,
        members,
        runner,
        dir,
        this.timeouts,
        this.ctx.budget,
      );
      return { source, members, at, next: source.entries()[Symbol.asyncIterator](), ahead: new Map(), taken: 0 };
    } catch (err) {
      runner.release();
      dir.close();
      return err as Error;
    }
  }

  /** The member as 7-Zip extracts it, or the ZIP source's entry with an error saying why it could not. */
  private async throughSevenZip(e: SourceEntry): Promise<SourceEntry> {
    const c: Record<string, unknown> = e.facts?.container ?? {};
    const what = `The member is compressed with ${String(c['method'])} (method ${String(c['methodId'])}), which evtriage's ZIP reader does not decompress`;
    const failed = (code: string, why: string): SourceEntry => ({ ...e, error: { code, message: `${what}; ${why}.` } });
    const offset = c['localHeaderOffset'];
    if (typeof offset !== 'number') return e;
    const side = await (this.side ??= this.openSide());
    if (side instanceof Error)
      return failed(
        (side as { code?: string }).code ?? 'ARCHIVE_MEMBER_NOT_EXTRACTED',
        `7-Zip could not read it: ${side.message}`,
      );
    const found = side.at.get(offset);
    if (found === undefined)
      return failed(UNDECODED, `7-Zip does not list a member to extract at its offset (${offset})`);
    if (typeof found === 'string')
      return failed(found.startsWith('The member') ? 'ARCHIVE_RATIO_LIMIT' : UNDECODED, found);
    const m = side.members[found]!;
    const listedCrc = m.entry.facts?.container?.['crc'];
    const crc = typeof listedCrc === 'string' ? listedCrc.toLowerCase() : '';
    if (m.entry.size !== e.size || crc !== String(c['crc32']))
      return failed(
        UNDECODED,
        `7-Zip lists the member at its offset with ${m.entry.size} bytes and CRC ${crc || 'none'}, not the directory's ${e.size} bytes and CRC ${String(c['crc32'])}`,
      );
    const got = await this.pull(side, found);
    // 7-Zip, with no code page to go by, decodes a name that is neither ASCII nor flagged UTF-8 its own way (CP437
    // "ΓÑßΓ.txt" listed as "⥡⮴xt") and then finds no member by that name: said, rather than "did not extract".
    const stored = typeof c['storedName'] === 'string' ? c['storedName'] : e.path;
    const renamed =
      tidyMemberName(m.listed) !== stored
        ? ` (7-Zip lists its name as ${JSON.stringify(m.listed)}, not as the directory record decodes it, and asked for it by that name finds no member)`
        : '';
    if (!got) return failed('ARCHIVE_MEMBER_NOT_EXTRACTED', '7-Zip handed it out for another record already');
    const problems = [
      ...(e.facts?.problems ?? []),
      ...(got.facts?.problems ?? []).filter((p) => p.code.startsWith('ARCHIVE_')),
    ];
    const entry: SourceEntry = {
      ...e,
      facts: {
        ...e.facts,
        container: { ...c, decoder: ZIP_METHOD_DECODER },
        ...(problems.length ? { problems } : {}),
      },
    };
    delete entry.error;
    if (got.release) entry.release = got.release;
    if (got.error || !got.open)
      entry.error = {
        // 7-Zip has no decoder for it either (reduce): the method is what stands in the way, as before.
        code: /Unsupported Method/.test(got.error?.message ?? '')
          ? UNDECODED
          : (got.error?.code ?? 'ARCHIVE_MEMBER_NOT_EXTRACTED'),
        message: `${what}; 7-Zip did not give its bytes either: ${got.error?.message ?? 'nothing was extracted'}${renamed}.`,
      };
    else entry.open = got.open;
    return entry;
  }

  /** 7-Zip's entry for the `index`-th member: its entries come in listing order, kept until asked for. */
  private async pull(side: SevenZipSide, index: number): Promise<SourceEntry | undefined> {
    while (side.taken <= index) {
      const r = await side.next.next();
      if (r.done) break;
      side.ahead.set(side.taken++, r.value);
    }
    const got = side.ahead.get(index);
    side.ahead.delete(index);
    return got;
  }

  async close(): Promise<void> {
    const side = this.side ? await this.side : undefined;
    if (side && !(side instanceof Error)) {
      for (const e of side.ahead.values()) e.release?.();
      side.ahead.clear();
      await side.next.return?.();
      await side.source.close();
    }
    await this.inner.close();
  }
}

/**
 * `inner` (core's ZIP opener), with its members in methods it does not decode read through 7-Zip. The source
 * opens no thread and lists nothing until such a member comes.
 */
export function withSevenZipMethods(
  inner: ContainerOpener,
  timeouts: SevenZipTimeouts = DEFAULT_TIMEOUTS,
  startThread?: StartThread,
): ContainerOpener {
  return {
    ...inner,
    async open(entry, item, ctx): Promise<EvidenceSource> {
      const source = await inner.open(entry, item, ctx);
      return new ZipMethodsSource(source, entry, item, ctx, timeouts, startThread);
    },
  };
}
