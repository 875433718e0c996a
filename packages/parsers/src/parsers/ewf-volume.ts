/**
 * The disk inside an Expert Witness (E01, EnCase 1-7 and ewfacquire) evidence image: its first segment's chunks,
 * inflated, give the guest's first and last bytes (a multi-segment image's last chunks are in its last segment,
 * which is not opened: they read as zeros). Reference: Joachim Metz, "Expert Witness Compression Format (EWF)"
 * (libewf documentation): file header "EVF" 09 0D 0A FF 00, 13 bytes with the segment number u16 at 9; 76-byte
 * section descriptors from offset 13 (type string of 16 bytes, next section's offset u64 at 16, section size u64
 * at 24); the "volume" or "disk" section (chunk count u32 at 4, sectors per chunk at 8, bytes per sector at 12,
 * sector count u64 at 16); each "table" section (entry count u32 at 0, base offset u64 at 8, entries from 24: u32
 * offset from the base in bits 0-30, bit 31 compressed with zlib); an uncompressed chunk carries a 4-byte Adler-32
 * after its data.
 */
import zlib from 'node:zlib';
import { defineGuestContainerParser, tableEntry, type BlockLayout, type NotJudged, type Read } from './guest-blocks.js';

const SIGNATURE = 'EVF\x09\x0d\x0a\xff\x00';
const DESCRIPTOR = 76;
/** Sections walked at most (a segment holds a few per 16,375 chunks). */
const SECTIONS_MAX = 512;
const CHUNK_MAX = 8 * 1024 * 1024;

interface Table {
  /** The first chunk it lists. */
  first: number;
  count: number;
  entriesAt: number;
  base: number;
  /** Where its last chunk's data ends: the end of the sectors section before it, or the table's own start. */
  dataEnd: number;
}

async function ewfLayout(read: Read, fileSize: number): Promise<BlockLayout | NotJudged | string | undefined> {
  const header = await read(0, 13);
  if (header.length < 13 || header.toString('latin1', 0, 8) !== SIGNATURE) return undefined;
  // Only the first segment (E01) holds the volume section and the guest's first chunks; E02… continue its chunks.
  const segment = header.readUInt16LE(9);
  if (segment !== 1)
    return {
      notJudged: `segment ${segment} of a multi-segment image (the segment number in its file header), which continues the chunks of the segments before it; the guest's start, and the verdict on it, are in segment 1 (.E01)`,
    };
  const tables: Table[] = [];
  let volume: Buffer | undefined;
  let sectorsEnd: number | undefined;
  let chunks = 0;
  for (let at = 13, n = 0; n < SECTIONS_MAX && at + DESCRIPTOR <= fileSize; n++) {
    const d = await read(at, DESCRIPTOR);
    const type = d.toString('latin1', 0, 16).replace(/\0.*$/s, '');
    const next = Number(d.readBigUInt64LE(16));
    const size = Number(d.readBigUInt64LE(24));
    if ((type === 'volume' || type === 'disk') && !volume) volume = await read(at + DESCRIPTOR, 24);
    if (type === 'sectors') sectorsEnd = at + size;
    if (type === 'table') {
      const h = await read(at + DESCRIPTOR, 24);
      if (h.length < 24) break;
      const count = h.readUInt32LE(0);
      const dataEnd = sectorsEnd !== undefined && sectorsEnd <= at ? sectorsEnd : at;
      tables.push({
        first: chunks,
        count,
        entriesAt: at + DESCRIPTOR + 24,
        base: Number(h.readBigUInt64LE(8)),
        dataEnd,
      });
      chunks += count;
    }
    if (type === 'done' || type === 'next' || next <= at) break;
    at = next;
  }
  if (!volume || volume.length < 24) return tables.length > 0 ? 'no "volume" or "disk" section' : undefined;
  const sectorsPerChunk = volume.readUInt32LE(8);
  const bytesPerSector = volume.readUInt32LE(12);
  const sectors = Number(volume.readBigUInt64LE(16));
  const chunkSize = sectorsPerChunk * bytesPerSector;
  if (chunkSize < 512 || chunkSize > CHUNK_MAX || bytesPerSector < 512 || bytesPerSector > 4096)
    return `${sectorsPerChunk} sectors of ${bytesPerSector} bytes per chunk`;
  if (tables.length === 0) return 'no "table" section in the first segment';
  const guestSize = sectors * bytesPerSector;
  if (!Number.isSafeInteger(guestSize) || guestSize < 512) return `${sectors} sectors`;
  const entry = async (t: Table, i: number) => {
    const e = await tableEntry(read, t.entriesAt + i * 4, 4, false, fileSize);
    return e === undefined ? undefined : { at: t.base + (e & 0x7fffffff), compressed: e >= 0x80000000 };
  };
  return {
    guestSize,
    blockSize: chunkSize,
    readBlock: async (index) => {
      const t = tables.find((x) => index >= x.first && index < x.first + x.count);
      if (!t) return undefined;
      const here = await entry(t, index - t.first);
      if (!here) return undefined;
      const following = index - t.first + 1 < t.count ? await entry(t, index - t.first + 1) : undefined;
      const end = Math.min(following?.at ?? t.dataEnd, fileSize);
      if (!here.compressed) return here.at + chunkSize <= fileSize ? read(here.at, chunkSize) : undefined;
      // zlib's worst case is a few bytes per 16 KiB over the data: a stored chunk longer than that is damage.
      if (end <= here.at || end - here.at > chunkSize + 1024) return undefined;
      try {
        return zlib.inflateSync(await read(here.at, end - here.at), { maxOutputLength: chunkSize });
      } catch {
        return undefined;
      }
    },
    holds: `The EWF image stores a guest disk of ${guestSize} bytes in ${chunkSize}-byte chunks (${chunks} listed in this segment)`,
    figures: { guestBytes: guestSize, chunkBytes: chunkSize },
  };
}

export const ewfVolumeParser = defineGuestContainerParser({
  id: 'ewf-volume',
  version: '1.1.0',
  title: 'The disk inside an EWF (E01) evidence image: an encrypted volume header, or random bytes where a disk starts',
  formats: ['ewf'],
  encrypted: { id: 'ewf-encrypted-guest', name: 'EWF evidence image of an encrypted volume' },
  code: 'EWF',
  split: true,
  layout: ewfLayout,
});
