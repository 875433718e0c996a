/**
 * Clear framing around many small encrypted records, found so the statistics can set it aside.
 *
 * Password managers, app stores and sealed logs write a file as records, each a clear length (and often a
 * tag) before its ciphertext, or as fixed-size blocks each behind a tag byte or a sequence number. The clear
 * lengths, tags and counters make the byte histogram of the whole file non-uniform (a chi-square rejects
 * "uniform" on a few KiB), though every byte between them is ciphertext. Two readers find that framing:
 *
 * - a length chain: from a start in the first 128 bytes, a 1-, 2- or 4-byte length (either byte order) at a
 *   fixed place in a record header of up to 6 bytes more, each pointing at the next record's header, the
 *   chain running to the file's end (less a trailer of up to 128 bytes) or past the bytes read;
 * - periodic columns: one to four adjacent byte positions that repeat, or count up by one, from one block
 *   of 64 to 4,096 bytes to the next (a tag byte, a sequence number's bytes).
 *
 * Neither decides anything: what is left once the framing bytes are taken out is tested as the rest of the
 * file would be (statistics.ts), and each record's or block's first bytes are tried as a compressed stream,
 * so records of compressed data stay compressed.
 */
import { distinctValues } from './statistics-figures.js';

/** Most bytes of clear header before the first record (a magic, a version, a salt and IV, KDF fields). */
const MAX_FIRST_RECORD = 128;
/** Most bytes of a record header besides its length field (a tag of up to 4 letters and a separator, flags). */
const MAX_TAG_BYTES = 6;
/** Fewest records for a chain believed by its tags: fewer frames are no evidence of framing. */
const MIN_RECORDS = 8;
/** Fewest records for a chain whose lengths chance cannot explain (MAX_CHAIN_CHANCE): a small file holds few. */
const MIN_CHANCE_RECORDS = 3;
/** Smallest record value: a ciphertext record holds at least a nonce, a block or a tag. */
const MIN_RECORD_VALUE = 8;
/** Most clear or random bytes after the last record (a MAC, a signature and its header). */
const MAX_TRAILER = 128;
/** Merged chains kept at most per file (each costs a trial decode or two). */
const MAX_MERGED = 32;
/** Least share of a chain's span its values fill. */
const MIN_PAYLOAD_SHARE = 0.75;
/** Chains tested at most per file: each test is a chi-square at p > 0.001, so the chance grows with their number. */
const MAX_CHAINS = 4;

/** Framing found in the head, and what is left when it is set aside. */
export interface Framing {
  /** How the framing reads, for the reason. */
  describe: string;
  /** Records or blocks found. */
  records: number;
  /** Bytes of framing set aside (lengths, tags, counters; the header before the first record, a trailer). */
  framingBytes: number;
  /** The bytes left: the records' values or the blocks' contents. */
  payload: Uint8Array[];
  /** The first few records' or blocks' values, each from where it may start: where a compressed stream would start. */
  starts: Uint8Array[];
  figures: Record<string, number | string>;
  /** A chain from a later start that runs into an earlier one: the same records after a different first few. */
  merged?: boolean;
}

interface LengthField {
  width: 1 | 2 | 4;
  littleEndian: boolean;
}

const FIELDS: readonly LengthField[] = [
  { width: 4, littleEndian: true },
  { width: 4, littleEndian: false },
  { width: 2, littleEndian: true },
  { width: 2, littleEndian: false },
  { width: 1, littleEndian: true },
];

function readLength(b: Uint8Array, at: number, f: LengthField): number {
  if (f.width === 1) return b[at]!;
  if (f.width === 2) return f.littleEndian ? b[at]! | (b[at + 1]! << 8) : (b[at]! << 8) | b[at + 1]!;
  return f.littleEndian
    ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0
    : ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** Which positions a chain of the current layout already went through: a later start that lands there is its suffix. */
let visited = new Uint32Array(0);
/**
 * Which positions hold a length of a chain already found. A later start that runs into one is that chain after a
 * different first few records (merged); one that runs only into positions of a walk that was not believed (its
 * first records misread, so its values fell short of the span) is a chain of its own.
 */
let chained = new Uint32Array(0);
let visit = 0;

/** Layouts × starts a chain is searched from: 5 length fields × 7 tag sizes × 128 starts. */
const CHAIN_TRIALS = FIELDS.length * (MAX_TAG_BYTES + 1) * MAX_FIRST_RECORD;
/**
 * A chain is believed when chance cannot make it: its lengths, read from random bytes, would all fall within the
 * bytes left with probability `chance` (the product over its links of (bytes left) / 2^(8 × width)), and over
 * CHAIN_TRIALS tries that stays under 1 in 1,000; or its tags are clear (below).
 */
const MAX_CHAIN_CHANCE = 1e-3 / CHAIN_TRIALS;

/**
 * Tags between records are clear when they take few values (at most one distinct in four bytes: 8 random bytes
 * show 2 or fewer distinct values with chance under 1e-13; or, for tags of two bytes or more, at most one distinct
 * tag in two: 8 random 16-bit tags show 4 or fewer with chance under 1e-13) or, from 16 bytes, are all printable
 * ASCII (random bytes are printable with chance 95/256: 16 of them 1.3e-7, under 2.4e-4 over CHAIN_TRIALS).
 */
function clearTags(tags: Uint8Array, width: number): boolean {
  if (tags.length < 8) return false;
  if (distinctValues(tags) * 4 <= tags.length) return true;
  if (width >= 2 && tags.length >= 8 * width && distinctTags(tags, width) * 2 * width <= tags.length) return true;
  return tags.length >= 16 && tags.every((b) => b >= 0x20 && b <= 0x7e);
}

/** Distinct tags of `width` bytes (up to 6: each read as one number) among `tags`, laid end to end. */
function distinctTags(tags: Uint8Array, width: number): number {
  const seen = new Set<number>();
  for (let at = 0; at + width <= tags.length; at += width) {
    let v = 0;
    for (let k = 0; k < width; k++) v = v * 256 + tags[at + k]!;
    seen.add(v);
  }
  return seen.size;
}

/**
 * The first records' tags take few values: type codes from a small set (five or fewer distinct among eight tags,
 * each compared whole; of tags of two bytes or more, two repeats: seven random 16-bit tags show that with chance
 * about 5e-8), or ASCII names (all printable). Eight random bytes show five or fewer distinct values with chance
 * about 6e-5; the whole chain's tags must then be clear (clearTags). Read in place, without copies.
 */
function fewTags(head: Uint8Array, values: ReadonlyArray<[number, number]>, width: number, leading: boolean): boolean {
  const count = leading ? values.length : values.length - 1;
  const at = (i: number) => values[i]![leading ? 0 : 1];
  let distinct = 0;
  let printable = true;
  for (let i = 0; i < count; i++) {
    let seen = false;
    for (let j = 0; j < i && !seen; j++) {
      let same = true;
      for (let k = 0; k < width && same; k++) same = head[at(i) + k] === head[at(j) + k];
      seen = same;
    }
    for (let k = 0; k < width; k++) printable &&= head[at(i) + k]! >= 0x20 && head[at(i) + k]! <= 0x7e;
    if (!seen) distinct++;
  }
  return printable || (width === 1 ? distinct * 8 <= count * 5 : distinct <= count - 2);
}

/**
 * Chains of records in `head`: from every start in the first 128 bytes, a length field (longest first) and
 * 0 to 6 tag bytes that sit between one record's value and the next length (a tag after the length, or before
 * it: the same bytes). Only chains chance cannot explain (MAX_CHAIN_CHANCE, clearTags): a chain of 1-byte
 * lengths through random or compressed bytes is found from almost any start, and its bytes are not framing.
 * At most MAX_CHAINS, the first found. `typeCodes`: 1-byte lengths only, behind type codes from a small set
 * (fewTags after eight records): every start is walked that far, so it is a second search, for bytes that are
 * neither uniform nor framed by the first.
 */
export function lengthChains(head: Uint8Array, complete: boolean, typeCodes = false): Framing[] {
  const n = head.length;
  if (visited.length < n + 1) {
    visited = new Uint32Array(n + 1);
    chained = new Uint32Array(n + 1);
  }
  const out: Framing[] = [];
  const merged: Framing[] = [];
  const starts = Math.min(MAX_FIRST_RECORD, n);
  for (const field of FIELDS) {
    if (typeCodes && field.width !== 1) continue;
    // The first record does not depend on the tag size: starts whose first length is too small or runs past the
    // bytes (a chain of one record, never MIN_RECORDS) are dropped once for all seven tag sizes. In random bytes a
    // 4-byte length fits with chance n / 2^32, so almost every start goes here.
    const firstFits = new Uint8Array(starts);
    for (let start = 0; start < starts; start++) {
      if (start + field.width > n) break;
      const length = readLength(head, start, field);
      firstFits[start] = Number(length >= MIN_RECORD_VALUE && start + field.width + length <= n);
    }
    // Bare 1-byte lengths are never believed (no chance bound, no tags): not walked.
    for (let tag = field.width === 1 ? 1 : 0; tag <= MAX_TAG_BYTES; tag++) {
      if (++visit === 0xffffffff) {
        visited.fill(0);
        chained.fill(0);
        visit = 1;
      }
      for (let start = 0; start < starts; start++) {
        // A start no walk can pass through (later walks begin after it), so it need not be marked visited.
        if (firstFits[start] === 0 || visited[start] === visit) continue;
        const chain = walk(head, complete, start, tag, field, typeCodes);
        if (!chain) continue;
        // Merged chains differ only in where the first values start; they are kept (up to MAX_MERGED) for the
        // compressed-stream check, which needs the right start, and do not count towards MAX_CHAINS.
        if (chain.merged) {
          if (merged.length < MAX_MERGED) merged.push(chain);
          continue;
        }
        out.push(chain);
        if (out.length >= MAX_CHAINS) return [...out, ...merged];
      }
    }
  }
  return [...out, ...merged];
}

/** Whether two tags (at a and b, `tag` bytes each) are both printable ASCII or the same bytes. */
function tagsMayBeClear(head: Uint8Array, a: number, b: number, tag: number): boolean {
  let printable = true;
  let equal = true;
  for (let j = 0; j < tag && b + j < head.length; j++) {
    const x = head[a + j]!;
    const y = head[b + j]!;
    printable &&= x >= 0x20 && x <= 0x7e && y >= 0x20 && y <= 0x7e;
    equal &&= x === y;
  }
  return printable || equal;
}

/** The tag bytes after each value but the last (and after the last too when `last`, i.e. they lie within the bytes). */
function tagsOf(head: Uint8Array, values: ReadonlyArray<[number, number]>, tag: number, last: boolean): Uint8Array {
  const count = last ? values.length : values.length - 1;
  const out = new Uint8Array(Math.max(0, count) * tag);
  for (let i = 0; i < count; i++) out.set(head.subarray(values[i]![1], values[i]![1] + tag), i * tag);
  return out;
}

/**
 * The tag bytes right after each length, when the tag follows the length ([length][tag][value], the length counting
 * the value only): the walk reads the same chain, with the tag as the first bytes of what it takes for each value.
 */
function leadingTagsOf(head: Uint8Array, values: ReadonlyArray<[number, number]>, tag: number): Uint8Array {
  const out = new Uint8Array(values.length * tag);
  for (let i = 0; i < values.length; i++) out.set(head.subarray(values[i]![0], values[i]![0] + tag), i * tag);
  return out;
}

function walk(
  head: Uint8Array,
  complete: boolean,
  start: number,
  tag: number,
  field: LengthField,
  typeCodes: boolean,
): Framing | undefined {
  const n = head.length;
  const w = field.width;
  // Each record: [length][value of that length][tag bytes], the next length right after.
  const values: Array<[number, number]> = [];
  let chance = 1;
  let p = start;
  let runsPast = false;
  let merged = false;
  for (;;) {
    if (p + w > n) break;
    if (chained[p] === visit) merged = true;
    const length = readLength(head, p, field);
    if (length < MIN_RECORD_VALUE) break;
    const end = p + w + length;
    if (end > n) {
      // A record cut by the end of the bytes read: the chain reaches past them (only when the file goes on).
      if (!complete) {
        values.push([p + w, n]);
        runsPast = true;
      }
      break;
    }
    chance *= Math.min(1, (n - p - w + 1) / 2 ** (8 * w));
    values.push([p + w, end]);
    // 1-byte lengths are believed by their tags alone: the first two tags must be printable or equal, the first
    // eight records' tags clear (random bytes would otherwise be walked to their end from every start). Type codes
    // from a small set pass neither: `typeCodes` walks every start to eight records and asks fewTags instead.
    if (
      typeCodes &&
      w === 1 &&
      values.length === MIN_RECORDS &&
      !fewTags(head, values, tag, false) &&
      !fewTags(head, values, tag, true)
    )
      return undefined;
    if (
      !typeCodes &&
      w === 1 &&
      values.length === 2 &&
      !tagsMayBeClear(head, values[0]![1], end, tag) &&
      !tagsMayBeClear(head, values[0]![0], values[1]![0], tag)
    )
      return undefined;
    if (
      !typeCodes &&
      w === 1 &&
      values.length === MIN_RECORDS &&
      !clearTags(tagsOf(head, values, tag, end + tag <= n), tag) &&
      !clearTags(leadingTagsOf(head, values, tag), tag)
    )
      return undefined;
    p = end + tag;
  }
  // Marked only now: a walk turned back by its first records' tags says nothing of a later start's own first
  // records, but one that ran to its end fails from every later start on it too (fewer records, the same end).
  for (const [a] of values) visited[a - w] = visit;
  if (values.length < MIN_CHANCE_RECORDS) return undefined;
  const last = values[values.length - 1]![1];
  if (!runsPast && n - last > MAX_TRAILER) return undefined;
  // Clear tags after each value, or after each length (then they are set aside from the values too).
  const trailingClear = tag > 0 && clearTags(tagsOf(head, values, tag, false), tag);
  // (Every whole value is longer than a tag: MIN_RECORD_VALUE > MAX_TAG_BYTES; a value cut by the end is left out.)
  const leadingClear =
    tag > 0 && !trailingClear && clearTags(leadingTagsOf(head, runsPast ? values.slice(0, -1) : values, tag), tag);
  const tagsClear = trailingClear || leadingClear;
  if (chance > MAX_CHAIN_CHANCE && (!tagsClear || values.length < MIN_RECORDS)) return undefined;
  const skip = leadingClear ? tag : 0;
  const payload = values.map(([a, z], i) => head.subarray(a + skip, i + 1 < values.length ? z : Math.min(z, n)));
  const payloadBytes = payload.reduce((s, b) => s + b.length, 0);
  // Ciphertext records are the bulk of their span; short values between long headers are a table (UTF-16 text
  // read as 2-byte lengths chains through its code units).
  if (payloadBytes < MIN_PAYLOAD_SHARE * (Math.min(n, last) - start)) return undefined;
  const order = w === 1 ? '' : field.littleEndian ? ' little-endian' : ' big-endian';
  // Where a value starts: right after its length, or after tag bytes that follow the length (the same chain).
  const starts = payload.slice(0, 8);
  if (tag > 0) for (const [a, z] of values.slice(0, 8)) if (a + tag < z) starts.push(head.subarray(a + tag, z + tag));
  if (!merged) for (const [a] of values) chained[a - w] = visit;
  return {
    describe: `${values.length} records from byte ${start}${runsPast ? ' to past the bytes read' : ` to ${last}`}, each a ${w}-byte${order} length${tag ? ` and ${tag} tag byte(s)${leadingClear ? ' after it' : ''}` : ''} pointing at the next record (${tagsClear ? 'clear tags' : `chance of such a chain in random bytes ${chance.toExponential(1)}`})`,
    records: values.length,
    merged,
    framingBytes: n - payloadBytes,
    payload,
    starts,
    figures: {
      framing: 'length-chain',
      records: values.length,
      firstRecord: start,
      lengthBytes: w,
      tagBytes: tag,
      chainChance: chance,
      payloadBytes,
    },
  };
}

const PERIODS = [64, 128, 256, 512, 1024, 2048, 4096];
/** Fewest block-to-block comparisons per column. */
const MIN_PAIRS = 8;
/**
 * A column is framing when at least 3 in 4 of its byte pairs one period apart are equal or one apart (a tag,
 * a counter's bytes). Random pairs are so with chance 3/256; 6 of 8 by chance: 28 × (3/256)^6 ≈ 7e-11 per
 * column, under 1e-6 over the 8,128 columns of all periods.
 */
const COLUMN_SHARE = 0.75;
/** Most adjacent columns a block header may hold (a 32-bit sequence number). */
const MAX_COLUMNS = 4;

/**
 * Fixed-size blocks each behind the same clear bytes: the shortest period (64 to 4,096 bytes) whose one to four
 * adjacent columns repeat or count from block to block. The payload is every byte from the first column on,
 * less the columns; the bytes before the first block are set aside as a header.
 */
export function periodicColumns(head: Uint8Array): Framing | undefined {
  for (const period of PERIODS) {
    const pairs = Math.floor(head.length / period) - 1;
    if (pairs < MIN_PAIRS) break;
    const hits = new Uint16Array(period);
    for (let i = period; i < (pairs + 1) * period; i++) {
      const d = head[i]! - head[i - period]!;
      if (d >= -1 && d <= 1) hits[i % period]!++;
    }
    const columns: number[] = [];
    for (let c = 0; c < period; c++) if (hits[c]! >= COLUMN_SHARE * pairs) columns.push(c);
    if (columns.length === 0 || columns.length > MAX_COLUMNS) continue;
    // One run of adjacent columns (a header), not scattered ones.
    if (columns[columns.length - 1]! - columns[0]! !== columns.length - 1) continue;
    const first = columns[0]!;
    const width = columns.length;
    const payload: Uint8Array[] = [];
    for (let at = first + width; at < head.length; at += period)
      payload.push(head.subarray(at, Math.min(head.length, at + period - width)));
    const payloadBytes = payload.reduce((s, b) => s + b.length, 0);
    if (payloadBytes < MIN_PAYLOAD_SHARE * (head.length - first)) continue;
    return {
      describe: `blocks of ${period} bytes from byte ${first}, each behind ${width} clear byte(s) that repeat or count up from block to block`,
      records: payload.length,
      framingBytes: head.length - payloadBytes,
      payload,
      starts: payload.slice(0, 8),
      figures: { framing: 'periodic', blockBytes: period, firstBlock: first, blockHeaderBytes: width, payloadBytes },
    };
  }
  return undefined;
}
