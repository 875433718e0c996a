/**
 * The disk inside an AFF (Advanced Forensic Format, AFFLIB's affconvert and aimage) image. Reference: AFFLIB v3
 * afflib.h and its segment layout: file header "AFF10\r\n\0"; segments "AFF\0", name length, data length and arg as big-endian
 * u32, the name, the data, then "ATT\0" and the segment's length; "pagesize" (or "segsize") gives the page size in
 * its arg, "imagesize" the guest size as a quad (low then high u32); page N is segment "pageN" (or "segN"), its arg
 * bit 0 compressed, bits 4-7 the algorithm (0x00 zlib, 0x20 LZMA, 0x30 a zero page). Only the first 256 KiB of a page's
 * compressed data are inflated (a prefix of the page: bytes past it read as zeros), and LZMA pages are not read.
 * Encrypted AFF segments (".aes256") are the `aff` detector's business.
 */
import zlib from 'node:zlib';
import { defineGuestContainerParser, type BlockLayout, type Read } from './guest-blocks.js';

const HEADER = 'AFF10\r\n\0';
/** Segments walked at most (a page is 16 MiB by default: 4096 pages reach 64 GiB). */
const SEGMENTS_MAX = 4096;
const COMPRESSED_PREFIX = 256 * 1024;
const PAGE_MAX = 64 * 1024 * 1024;

interface Page {
  at: number;
  length: number;
  flags: number;
}

async function affLayout(read: Read, fileSize: number): Promise<BlockLayout | string | undefined> {
  if ((await read(0, 8)).toString('latin1') !== HEADER) return undefined;
  const pages = new Map<number, Page>();
  let pageSize: number | undefined;
  let guestSize: number | undefined;
  for (let at = 8, n = 0; n < SEGMENTS_MAX && at + 16 <= fileSize; n++) {
    const h = await read(at, 16);
    if (h.length < 16 || h.toString('latin1', 0, 4) !== 'AFF\0') break;
    const nameLength = h.readUInt32BE(4);
    const dataLength = h.readUInt32BE(8);
    const arg = h.readUInt32BE(12);
    if (nameLength > 256) break;
    const name = (await read(at + 16, nameLength)).toString('latin1');
    const data = at + 16 + nameLength;
    if (name === 'pagesize' || name === 'segsize') pageSize = arg;
    if (name === 'imagesize' && dataLength === 8) {
      const q = await read(data, 8);
      if (q.length === 8) guestSize = q.readUInt32BE(4) * 2 ** 32 + q.readUInt32BE(0);
    }
    const page = /^(?:page|seg)(\d{1,9})$/.exec(name);
    if (page) pages.set(Number(page[1]), { at: data, length: dataLength, flags: arg });
    at = data + dataLength + 8;
  }
  if (pageSize === undefined) return pages.size > 0 ? 'no "pagesize" segment' : undefined;
  if (pageSize < 512 || pageSize > PAGE_MAX) return `page size ${pageSize}`;
  const size = guestSize ?? (pages.size > 0 ? (Math.max(...pages.keys()) + 1) * pageSize : 0);
  if (size < 512) return undefined;
  return {
    guestSize: size,
    blockSize: pageSize,
    readBlock: async (index) => {
      const p = pages.get(index);
      if (!p || p.at + p.length > fileSize) return undefined;
      if (!(p.flags & 1)) return read(p.at, Math.min(p.length, pageSize));
      if ((p.flags & 0xf0) !== 0) return undefined; // LZMA or a zero page (zeros either way here)
      try {
        const prefix = await read(p.at, Math.min(p.length, COMPRESSED_PREFIX));
        return zlib.inflateSync(prefix, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: pageSize });
      } catch {
        return undefined;
      }
    },
    holds: `The AFF image stores a guest disk of ${size} bytes in ${pageSize}-byte pages`,
    figures: { guestBytes: size, pageBytes: pageSize },
  };
}

export const affVolumeParser = defineGuestContainerParser({
  id: 'aff-volume',
  title: 'The disk inside an AFF image: an encrypted volume header, or random bytes where a disk starts',
  formats: ['aff'],
  encrypted: { id: 'aff-encrypted-guest', name: 'AFF image of an encrypted volume' },
  code: 'AFF',
  layout: affLayout,
});
