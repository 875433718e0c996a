/**
 * The members of an archive from 7-Zip's listing (`l -slt`): paths made unique and checked as for ZIP and TAR,
 * folders left out, links told apart, the listing's facts kept for `details.container`, encrypted members flagged
 * with the scheme the 7z and RAR detectors name, and each member given the batch it is extracted in (its solid
 * block, a run of solid RAR members, or a bounded batch of non-solid ones).
 */
import type { EvidenceItem, SourceEntry } from '@evtriage/core';
import { encryptedMemberFormat, MemberPaths, nameProblems, tidyMemberName } from '@evtriage/core/internal-readers';
import { writtenPath } from './sevenzip-extraction.js';
import { sltNumber, sltTime, type SltRecord } from './slt-listing.js';

/** Non-solid members are extracted in batches of at most this many bytes... */
const BATCH_BYTES = 64 * 1024 * 1024;
/** ...and members. */
const BATCH_MEMBERS = 256;

/**
 * A member whose coders would need more memory than this (a dictionary, PPMd's model) is not extracted: 7-Zip
 * allocates what the header declares in its WebAssembly heap, and its `-mmemuse` limit was not seen to refuse.
 * 7-Zip itself writes LZMA dictionaries up to 1.5 GiB, RAR 5 up to 4 GiB (RAR 7: more).
 */
export const MAX_DECODER_BYTES = 1024 * 1024 * 1024;

/**
 * A member written more folders deep than this is not extracted: 7-Zip's file layer (Emscripten's NODEFS) looks
 * every folder up from the root, so the time to write one grows with the cube of its depth (1,000 deep: 5.7 s,
 * 1,900 deep: 38 s, for a 10 KB cpio; 256 members 128 deep: 5.9 s, 64 deep: 1.76 s, 1 deep: 0.42 s).
 */
export const MAX_WRITTEN_DEPTH = 64;

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

const TIME_FIELDS = [
  ['Modified', 'modified'],
  ['Accessed', 'accessed'],
  ['Created', 'created'],
] as const;

const HINT = { description: 'The archive password.', kind: 'password' as const, present: 'unknown' as const };

export interface Member {
  listed: string;
  entry: SourceEntry;
  /** Batch key; undefined when there is nothing to extract (encrypted, empty, a link). */
  batch?: string;
  /** Where 7-Zip writes it under the batch's folder (writtenPath), for a member with a batch. */
  written?: string;
  /** Members of its batch listed before it that 7-Zip writes under the same name (`-aou` renames them `name_1`...). */
  sameNameBefore?: number;
  /** The listing gives no size: it is what the extraction gives, charged to the budget then. */
  sizeUnlisted?: true;
  /** The listing's `Offset` (a ZIP member's local header), when it gives one. */
  offset?: number;
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

/** The archive type 7-Zip names (`7z`, `Rar`, `Rar5`, `Cab`...), lower-cased. */
export function typeOf(archive: SltRecord, item: EvidenceItem): string {
  return (archive.get('Type') ?? item.format?.id ?? 'archive').toLowerCase();
}

/**
 * Members from the listing: paths made unique, folders left out (as for ZIP and TAR), batches assigned. With
 * `select`, only the records it accepts are members; the others still count where names are shared
 * (namesSharedAcrossBatches), since 7-Zip, asked for a name, writes every record stored under it.
 */
export function membersOf(
  type: string,
  records: readonly SltRecord[],
  select: (r: SltRecord) => boolean = () => true,
): Member[] {
  const paths = new MemberPaths();
  const out: Member[] = [];
  let group = 0;
  let groupBytes = 0;
  let groupCount = 0;
  let previous: string | undefined;
  for (const r of records) {
    if (isFolder(r) || !select(r)) continue;
    const listed = r.get('Path') ?? '';
    const offset = sltNumber(r.get('Offset'));
    const at = offset !== undefined ? { offset } : {};
    const listedSize = sltNumber(r.get('Size'));
    const size = listedSize ?? 0;
    const claimed = paths.claim(tidyMemberName(listed));
    const problems = [...nameProblems(listed), ...(claimed.problem ? [claimed.problem] : [])];
    const encrypted = r.get('Encrypted') === '+';
    const link = linkOf(r);
    const times: SourceEntry['times'] = {};
    for (const [key, name] of TIME_FIELDS) {
      const t = sltTime(r.get(key));
      if (t) times[name] = t;
    }
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
      out.push({ listed, entry, ...at });
      continue;
    }
    const nothingToRead = encrypted || link || (size === 0 && listedSize !== undefined);
    const written = writtenPath(listed);
    const depth = written === undefined ? 0 : written.split('/').length;
    if (!nothingToRead && depth > MAX_WRITTEN_DEPTH) {
      entry.error = {
        code: 'ARCHIVE_MEMBER_NOT_EXTRACTED',
        message: `its name is ${depth} folders deep, more than the ${MAX_WRITTEN_DEPTH} 7-Zip is given to write (its time grows with the cube of the depth): listed, not extracted`,
      };
      out.push({ listed, entry, ...at });
      continue;
    }
    if (!nothingToRead && written === undefined) {
      entry.error = {
        code: 'ARCHIVE_MEMBER_NOT_EXTRACTED',
        message: `its name (${JSON.stringify(listed)}) ends in "." or "..", has no other part or holds a line break: 7-Zip would write it under a name not certain to be this member's, so it is listed, not extracted`,
      };
      out.push({ listed, entry, ...at });
      continue;
    }
    if (nothingToRead) batch = undefined;
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
    out.push({
      listed,
      entry,
      ...at,
      ...(batch && written !== undefined ? { batch, written } : {}),
      ...(batch && listedSize === undefined ? { sizeUnlisted: true as const } : {}),
    });
  }
  return namesSharedAcrossBatches(out, records);
}

/**
 * 7-Zip extracts by name, from the whole archive: asked for "x" for one batch, it writes every member it stores
 * as "x" and every member under "x/", whichever block holds it, and a name it lists other than it stores
 * ("a\tb" listed as "a_b") is asked for as another member's name. The renames that tell members written alike apart
 * (`-aou`) are only known within one extraction, so a member whose written name is shared with a record outside its
 * batch (another block, a link, an encrypted or empty member, a folder), or is the folder of one, is listed, not
 * extracted: its file could be another member's bytes, and a name shared by many would be extracted once per batch.
 */
function namesSharedAcrossBatches(members: Member[], records: readonly SltRecord[]): Member[] {
  const everywhere = new Written(records.map((r) => writtenPath(r.get('Path') ?? '') ?? r.get('Path') ?? ''));
  const batches = new Map<string, string[]>();
  for (const m of members) {
    if (!m.batch || m.written === undefined) continue;
    const names = batches.get(m.batch) ?? [];
    names.push(m.written);
    batches.set(m.batch, names);
  }
  const inBatch = new Map([...batches].map(([b, names]) => [b, new Written(names)]));
  for (const m of members) {
    if (!m.batch || m.written === undefined) continue;
    const own = inBatch.get(m.batch)!;
    const alike = everywhere.at(m.written);
    const under = everywhere.below(m.written);
    if (alike <= own.at(m.written) && under <= own.below(m.written)) continue;
    m.entry.error = {
      code: 'ARCHIVE_MEMBER_NOT_EXTRACTED',
      message: `the archive lists ${alike} entr${alike === 1 ? 'y' : 'ies'} written as ${JSON.stringify(m.written)} and ${under} below it, not all in this member's solid block or batch: 7-Zip, asked for the name, writes all of them, so which file is this member's is not certain and none is read`,
    };
    delete m.batch;
    delete m.written;
    delete m.sizeUnlisted;
  }
  return members;
}

/** Written paths, sorted: how many are a path, and how many lie below it (counted by binary search, not by prefixes). */
class Written {
  private readonly sorted: string[];

  constructor(paths: string[]) {
    this.sorted = paths.sort();
  }

  /** Paths p with from <= p < to. */
  private between(from: string, to: string): number {
    return this.firstFrom(to) - this.firstFrom(from);
  }

  private firstFrom(key: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  at(p: string): number {
    return this.between(p, `${p}\0`);
  }

  /** Paths starting `p/` ('0' is the code unit after '/'). */
  below(p: string): number {
    return this.between(`${p}/`, `${p}0`);
  }
}
