/**
 * The member list of a cpio archive, read from its headers: newc and its CRC variant (070701, 070702), the
 * portable ASCII odc (070707) and the old binary format (0x71C7 in either byte order). The 7-Zip opener's own
 * reader refuses some headers real tools write (SunOS cpio puts ffffffff in the newc rdev fields); this listing
 * is its fallback for those, and holds each member to the bytes the file has.
 */
import type { ByteReader } from '@evtriage/core';

type RandomRead = Pick<ByteReader, 'read'>;

export type CpioVariant = 'newc' | 'newc-crc' | 'odc' | 'binary-le' | 'binary-be';

export interface CpioMember {
  name: Buffer;
  mode: number;
  mtime: number;
  /** Where the member's bytes start in the archive, and how many the header says. */
  offset: number;
  size: number;
}

export interface CpioListing {
  variant: CpioVariant;
  members: CpioMember[];
  /** True when the TRAILER!!! entry was reached; false when the bytes ran out first. */
  trailer: boolean;
}

/** No real path is longer (PATH_MAX); a longer name size is a damaged header. */
const MAX_NAME = 4096;
const TRAILER = 'TRAILER!!!';

export function cpioVariantOf(head: Buffer): CpioVariant | undefined {
  const magic = head.subarray(0, 6).toString('latin1');
  if (magic === '070701') return 'newc';
  if (magic === '070702') return 'newc-crc';
  if (magic === '070707') return 'odc';
  if (head.length >= 2 && head.readUInt16LE(0) === 0o070707) return 'binary-le';
  if (head.length >= 2 && head.readUInt16BE(0) === 0o070707) return 'binary-be';
  return undefined;
}

interface Header {
  headerSize: number;
  mode: number;
  mtime: number;
  nameSize: number;
  size: number;
  /** Alignment of the name's end and of the data's end. */
  align: number;
}

function field(b: Buffer, at: number, len: number, radix: 8 | 16): number | undefined {
  const s = b.subarray(at, at + len).toString('latin1');
  if (!(radix === 16 ? /^[0-9A-Fa-f]+$/ : /^[0-7]+$/).test(s)) return undefined;
  return parseInt(s, radix);
}

function headerOf(variant: CpioVariant, b: Buffer): Header | undefined {
  if (variant === 'newc' || variant === 'newc-crc') {
    if (b.length < 110) return undefined;
    const v = (i: number): number | undefined => field(b, 6 + 8 * i, 8, 16);
    const all = Array.from({ length: 13 }, (_, i) => v(i));
    if (all.some((x) => x === undefined)) return undefined;
    return { headerSize: 110, mode: all[1]!, mtime: all[5]!, size: all[6]!, nameSize: all[11]!, align: 4 };
  }
  if (variant === 'odc') {
    if (b.length < 76) return undefined;
    const mode = field(b, 18, 6, 8);
    const mtime = field(b, 48, 11, 8);
    const nameSize = field(b, 59, 6, 8);
    const size = field(b, 65, 11, 8);
    if (mode === undefined || mtime === undefined || nameSize === undefined || size === undefined) return undefined;
    return { headerSize: 76, mode, mtime, nameSize, size, align: 1 };
  }
  if (b.length < 26) return undefined;
  const u16 = (i: number): number => (variant === 'binary-le' ? b.readUInt16LE(2 * i) : b.readUInt16BE(2 * i));
  return {
    headerSize: 26,
    mode: u16(3),
    mtime: u16(8) * 0x10000 + u16(9),
    nameSize: u16(10),
    size: u16(11) * 0x10000 + u16(12),
    align: 2,
  };
}

const padTo = (n: number, align: number): number => Math.ceil(n / align) * align;

/**
 * Lists the archive's members in order. Throws when the first header does not hold; a later header that does
 * not hold, or bytes that end early, end the listing with `trailer` false (the members before it stand).
 */
export async function listCpio(reader: RandomRead, size: number, maxMembers: number): Promise<CpioListing> {
  const first = await reader.read(0, 110);
  const variant = cpioVariantOf(first);
  if (!variant) throw new Error('no cpio magic at offset 0');
  const members: CpioMember[] = [];
  let at = 0;
  for (;;) {
    if (members.length >= maxMembers) return { variant, members, trailer: false };
    const b = await reader.read(at, 110);
    if (cpioVariantOf(b) !== variant) break;
    const h = headerOf(variant, b);
    if (!h || h.nameSize < 1 || h.nameSize > MAX_NAME) break;
    const nameEnd = at + h.headerSize + h.nameSize;
    if (nameEnd > size) break;
    const rawName = await reader.read(at + h.headerSize, h.nameSize);
    // The name size counts its NUL; a name without one is a damaged header, not a name.
    if (rawName.length !== h.nameSize || rawName[h.nameSize - 1] !== 0) break;
    const name = rawName.subarray(0, h.nameSize - 1);
    const dataAt = padTo(nameEnd, h.align);
    if (name.toString('latin1') === TRAILER) return { variant, members, trailer: true };
    if (dataAt + h.size > size) break;
    members.push({ name, mode: h.mode, mtime: h.mtime, offset: dataAt, size: h.size });
    at = padTo(dataAt + h.size, h.align);
  }
  if (members.length === 0) throw new Error(`the first ${variant} cpio header does not hold`);
  return { variant, members, trailer: false };
}
