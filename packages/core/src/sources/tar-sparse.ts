/**
 * GNU sparse members of the old GNU format (typeflag 'S', what `tar --sparse`
 * writes by default), and of the PAX formats 0.1 and 1.0 (readPaxSparse,
 * below): the header keeps a map of up to four data regions, more
 * in 512-byte extension blocks that follow it, and the member's data is the
 * regions' bytes one after the other; the holes between them are zeros.
 * tar-stream knows no such type and reads the extension blocks as data, so the
 * TAR source reads the map here, reads the member through it, and resumes the
 * listing at the header that really follows.
 * Layout (GNU tar manual, "GNU sparse formats", old GNU format; tar.h struct
 * oldgnu_header and sparse_header): four {offset[12], numbytes[12]} pairs at
 * 386, isextended at 482, realsize[12] at 483; an extension block holds 21
 * pairs and its own isextended at 504. Numbers are octal text, or base-256
 * when the first byte has its high bit set.
 */
import type { RandomRead } from './readers.js';
import { readFully } from './readers.js';
import type { ByteReader } from './source.js';

const BLOCK = 512;
/** Extension blocks followed at most (21 regions each, 86,016 in all): a longer map is reported, not read. */
const MAX_EXTENSIONS = 4096;

export interface GnuSparse {
  /** Data regions of the file: [offset in the file, length], in order. */
  map: Array<[offset: number, length: number]>;
  /** The file's size with its holes. */
  realSize: number;
  /** Where the regions' bytes start in the archive. */
  dataAt: number;
  /** Where the next header is. */
  nextHeaderAt: number;
  /** Why the map cannot be read through, when it cannot. */
  problem?: string;
}

/** A tar number field: octal text, or base-256 big-endian when the high bit of the first byte is set. */
function tarNumber(b: Uint8Array, at: number, length: number): number | undefined {
  if (b[at]! & 0x80) {
    let n = b[at]! & 0x7f;
    for (let i = 1; i < length; i++) n = n * 256 + b[at + i]!;
    return Number.isSafeInteger(n) ? n : undefined;
  }
  const text = Buffer.from(b.subarray(at, at + length))
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

/** The pairs of a map block, up to the first empty one. */
function pairs(b: Uint8Array, at: number, count: number): Array<[number, number]> | undefined {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    const o = at + i * 24;
    if (b[o] === 0) break;
    const offset = tarNumber(b, o, 12);
    const length = tarNumber(b, o + 12, 12);
    if (offset === undefined || length === undefined) return undefined;
    out.push([offset, length]);
  }
  return out;
}

/**
 * The sparse map of the member whose header is at `headerAt`, when that header is an old-GNU sparse one;
 * undefined otherwise. `storedSize` is the header's size field (the regions' bytes).
 */
export async function readGnuSparse(
  reader: RandomRead,
  headerAt: number,
  storedSize: number,
): Promise<GnuSparse | undefined> {
  const header = await readFully(reader, headerAt, BLOCK);
  if (header.length < BLOCK || header[156] !== 0x53 /* 'S' */) return undefined;
  const realSize = tarNumber(header, 483, 12);
  const map = pairs(header, 386, 4);
  let extended = header[482] === 1;
  let at = headerAt + BLOCK;
  let problem: string | undefined;
  if (map === undefined || realSize === undefined) problem = 'its sparse map holds a number that is not one';
  let blocks = 0;
  while (extended) {
    if (++blocks > MAX_EXTENSIONS) {
      problem ??= `its sparse map runs past ${MAX_EXTENSIONS} extension blocks`;
      break;
    }
    if (at + BLOCK > reader.size) {
      problem ??= 'its sparse map runs past the end of the archive';
      break;
    }
    const ext = await readFully(reader, at, BLOCK);
    at += BLOCK;
    const more = pairs(ext, 0, 21);
    if (more === undefined) problem ??= 'its sparse map holds a number that is not one';
    else map?.push(...more);
    extended = ext[504] === 1;
  }
  const regions = map ?? [];
  problem ??= mapProblem(regions, realSize ?? 0, storedSize);
  return {
    map: regions,
    realSize: realSize ?? 0,
    dataAt: at,
    nextHeaderAt: at + Math.ceil(storedSize / BLOCK) * BLOCK,
    ...(problem ? { problem } : {}),
  };
}

/** Why a map cannot be read through: regions out of order or past the size, or not covering the data stored. */
function mapProblem(map: ReadonlyArray<[number, number]>, realSize: number, dataBytes: number): string | undefined {
  let stored = 0;
  let end = 0;
  for (const [offset, length] of map) {
    if (offset < end || offset + length > realSize)
      return 'its sparse map has regions out of order or past the file size';
    end = offset + length;
    stored += length;
  }
  return stored === dataBytes ? undefined : `its sparse map covers ${stored} bytes but the member stores ${dataBytes}`;
}

/** A decimal number of a PAX record or map line, when it is one. */
function decimal(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,16}$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * A PAX sparse member (GNU tar --format=posix --sparse, formats 0.1 and 1.0; libarchive writes 1.0): the real
 * name and size are PAX records; format 0.1 keeps the map in `GNU.sparse.map` ("offset,size,..."), format 1.0
 * at the start of the data (decimal lines: the count, then offset and size of each region, padded to a block).
 * `dataOffset` is where the member's data starts, `storedSize` its size field. Undefined for any other member
 * (and for format 0.0, whose repeated records tar-stream keeps only the last of).
 * Reference: GNU tar manual, "PAX sparse formats" (0.1, 1.0).
 */
export async function readPaxSparse(
  reader: RandomRead,
  dataOffset: number,
  storedSize: number,
  pax: Readonly<Record<string, string>>,
): Promise<(GnuSparse & { name: string }) | undefined> {
  const name = pax['GNU.sparse.name'];
  if (name === undefined) return undefined;
  const nextHeaderAt = dataOffset + Math.ceil(storedSize / BLOCK) * BLOCK;
  const bad = (problem: string): GnuSparse & { name: string } => ({
    name,
    map: [],
    realSize: 0,
    dataAt: dataOffset,
    nextHeaderAt,
    problem,
  });
  if (pax['GNU.sparse.map'] !== undefined) {
    const realSize = decimal(pax['GNU.sparse.size']);
    const numbers = pax['GNU.sparse.map'].split(',').map(decimal);
    if (realSize === undefined || numbers.length % 2 !== 0 || numbers.some((n) => n === undefined))
      return bad('its PAX sparse map holds a number that is not one');
    if (numbers.length / 2 > MAX_EXTENSIONS * 21) return bad('its PAX sparse map has too many regions');
    const map: Array<[number, number]> = [];
    for (let i = 0; i < numbers.length; i += 2) map.push([numbers[i]!, numbers[i + 1]!]);
    const problem = mapProblem(map, realSize, storedSize);
    return { name, map, realSize, dataAt: dataOffset, nextHeaderAt, ...(problem ? { problem } : {}) };
  }
  if (pax['GNU.sparse.major'] !== '1' || pax['GNU.sparse.minor'] !== '0') return undefined;
  const realSize = decimal(pax['GNU.sparse.realsize']);
  if (realSize === undefined) return bad('its PAX sparse real size is not a number');
  // The map's lines, from one read of at most MAX_EXTENSIONS blocks (as many regions as an old-GNU map may have).
  const text = (await readFully(reader, dataOffset, Math.min(storedSize, MAX_EXTENSIONS * BLOCK))).toString('latin1');
  let pos = 0;
  /** The next line's number; undefined past the text read, NaN for a line that is not a number. */
  const next = (): number | undefined => {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return undefined;
    const n = decimal(text.slice(pos, nl));
    pos = nl + 1;
    return n ?? NaN;
  };
  const count = next();
  if (count === undefined) return bad('its PAX sparse map does not end within the member');
  if (Number.isNaN(count)) return bad('its PAX sparse map holds a number that is not one');
  if (count > MAX_EXTENSIONS * 21) return bad('its PAX sparse map has too many regions');
  const map: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    const offset = next();
    const length = next();
    if (offset === undefined || length === undefined) return bad('its PAX sparse map does not end within the member');
    if (Number.isNaN(offset) || Number.isNaN(length)) return bad('its PAX sparse map holds a number that is not one');
    map.push([offset, length]);
  }
  // The map is padded to a whole block; the regions' bytes follow it.
  const mapBytes = Math.ceil(pos / BLOCK) * BLOCK;
  const problem = mapProblem(map, realSize, storedSize - mapBytes);
  return { name, map, realSize, dataAt: dataOffset + mapBytes, nextHeaderAt, ...(problem ? { problem } : {}) };
}

/** The file a sparse member stands for: its regions from the archive, zeros in the holes. */
export function sparseReader(base: RandomRead, sparse: GnuSparse): ByteReader {
  // Where each region's bytes start in the archive.
  const starts: number[] = [];
  let at = sparse.dataAt;
  for (const [, length] of sparse.map) {
    starts.push(at);
    at += length;
  }
  return {
    size: sparse.realSize,
    read: async (position, length) => {
      const len = Math.max(0, Math.min(length, sparse.realSize - position));
      const out = Buffer.alloc(len);
      // The first region that ends after `position` (regions are in order, as readGnuSparse checked).
      let lo = 0;
      let hi = sparse.map.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const [offset, regionLength] = sparse.map[mid]!;
        if (offset + regionLength <= position) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < sparse.map.length; i++) {
        const [offset, regionLength] = sparse.map[i]!;
        if (offset >= position + len) break;
        const from = Math.max(offset, position);
        const to = Math.min(offset + regionLength, position + len);
        if (to <= from) continue;
        const bytes = await readFully(base, starts[i]! + (from - offset), to - from);
        bytes.copy(out, from - position);
      }
      return out;
    },
    close: async () => {},
  };
}
