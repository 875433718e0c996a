/**
 * The disk inside a VMDK sparse extent: monolithicSparse (the "KDMV" hosted sparse extent of VMware Workstation and
 * qemu-img -O vmdk), the first extent of a split disk (twoGbMaxExtentSparse's `-s001.vmdk`) and streamOptimized
 * (OVF/OVA exports: compressed grains, each behind a grain marker). A flat extent is the raw disk: the
 * disk-encryption detector already reads it. Reference: VMware "Virtual Disk Format 5.0" (SparseExtentHeader,
 * little-endian: flags u32 at 8 with bit 16 compressed grains, capacity u64 at 12 and grain size u64 at 20 in
 * sectors, numGTEsPerGT u32 at 44, gdOffset u64 at 56 in sectors, compressAlgorithm u16 at 77 (1 deflate); the grain
 * directory holds the u32 sector of each grain table, each grain table the u32 sector of each grain, 0 not
 * allocated, 1 zero grain. A stream-optimized extent whose gdOffset is GD_AT_END (0xFFFFFFFFFFFFFFFF) has the real
 * header, with the directory's offset, in its footer: the 512 bytes before the last 512 (the end-of-stream marker).
 * A compressed grain's sector starts with its marker: the grain's first guest sector u64 and the compressed size
 * u32, then that many bytes of a zlib stream).
 */
import zlib from 'node:zlib';
import { defineGuestContainerParser, tableEntry, type BlockLayout, type NotJudged, type Read } from './guest-blocks.js';

const COMPRESSED_GRAINS = 1 << 16;
const GD_AT_END = 0xffff_ffff_ffff_ffffn;
const DEFLATE = 1;
const MARKER = 12;

/** A compressed grain's bytes, inflated (at most one grain), or undefined (its marker names another grain, or damage). */
async function compressedGrain(
  read: Read,
  at: number,
  grain: number,
  grainBytes: number,
  fileSize: number,
): Promise<Buffer | undefined> {
  if (at + MARKER > fileSize) return undefined;
  const marker = await read(at, MARKER);
  if (marker.length < MARKER || marker.readBigUInt64LE(0) !== (BigInt(grain) * BigInt(grainBytes)) / 512n)
    return undefined;
  const size = marker.readUInt32LE(8);
  // zlib's worst case is a few bytes per 16 KiB over the data: a stored grain longer than that is damage.
  if (size === 0 || size > grainBytes + 1024 || at + MARKER + size > fileSize) return undefined;
  try {
    return zlib.inflateSync(await read(at + MARKER, size), { maxOutputLength: grainBytes });
  } catch {
    return undefined;
  }
}

/**
 * Whether the extent embeds its disk's descriptor (a "createType" line at descriptorOffset, u64 sectors at 28):
 * monolithicSparse and streamOptimized do; each extent of a split disk (twoGbMaxExtentSparse) leaves it out (VMware:
 * descriptorOffset 0; qemu-img: an area of zeros), the descriptor being a file of its own.
 */
async function embedsDescriptor(read: Read, h: Buffer, fileSize: number): Promise<boolean> {
  const sector = h.readBigUInt64LE(28);
  if (sector === 0n || sector * 512n + 512n > BigInt(fileSize)) return false;
  return (await read(Number(sector) * 512, 1024)).toString('latin1').includes('createType');
}

/** A split disk's extent number from its name (`<disk>-s001.vmdk`, VMware's and qemu-img's naming), or undefined. */
function extentNumber(name: string): number | undefined {
  const m = /-s(\d{3,})\.vmdk$/i.exec(name);
  return m ? Number(m[1]) : undefined;
}

async function vmdkLayout(
  read: Read,
  fileSize: number,
  name: string,
): Promise<BlockLayout | NotJudged | string | undefined> {
  let h = await read(0, 80);
  if (h.length < 80 || h.toString('latin1', 0, 4) !== 'KDMV') return undefined;
  const compressed = (h.readUInt32LE(8) & COMPRESSED_GRAINS) !== 0;
  if (compressed && h.readUInt16LE(77) !== DEFLATE) return `compressAlgorithm ${h.readUInt16LE(77)} (1 is deflate)`;
  let where = '';
  if (compressed && h.readBigUInt64LE(56) === GD_AT_END) {
    const footer = fileSize >= 1024 + 512 ? await read(fileSize - 1024, 80) : Buffer.alloc(0);
    if (footer.length < 80 || footer.toString('latin1', 0, 4) !== 'KDMV')
      return `the header's grain directory is in the footer (GD_AT_END), but no footer is at ${fileSize - 1024}`;
    h = footer;
    where = ' (grain directory from its footer)';
  }
  const capacity = h.readBigUInt64LE(12);
  const grainSectors = h.readBigUInt64LE(20);
  const perTable = h.readUInt32LE(44);
  const gdSector = h.readBigUInt64LE(56);
  if (capacity === 0n || capacity > 1n << 40n) return capacity === 0n ? undefined : `capacity ${capacity} sectors`;
  if (grainSectors < 1n || grainSectors > 2048n || perTable < 1 || perTable > 65536)
    return `grain size ${grainSectors} sectors, ${perTable} entries per grain table`;
  const gdAt = Number(gdSector) * 512;
  if (gdSector > BigInt(fileSize) || gdAt + 4 > fileSize)
    return `the grain directory (sector ${gdSector}) lies outside the file of ${fileSize} bytes`;
  const guestSize = Number(capacity) * 512;
  const grainBytes = Number(grainSectors) * 512;
  // A split disk's extent holds the guest's start only when it is the first: a later one starts mid-disk, where
  // random bytes are no sign of encryption.
  const split = !(await embedsDescriptor(read, h, fileSize));
  const extent = split ? extentNumber(name) : undefined;
  if (split && extent !== 1)
    return {
      notJudged:
        extent === undefined
          ? `a sparse extent with no descriptor of its own (one extent of a split disk, twoGbMaxExtentSparse) whose name does not say it is the first (-s001.vmdk), so its first grain may lie mid-disk; its guest is judged from the first extent`
          : `extent ${extent} of a split disk (twoGbMaxExtentSparse: no descriptor of its own), whose first grain lies mid-disk; its guest is judged from the first extent (-s001.vmdk)`,
    };
  return {
    guestSize,
    blockSize: grainBytes,
    locate: async (grain) => {
      const table = await tableEntry(read, gdAt + Math.floor(grain / perTable) * 4, 4, false, fileSize);
      if (!table) return undefined;
      const sector = await tableEntry(read, table * 512 + (grain % perTable) * 4, 4, false, fileSize);
      if (sector === undefined || sector <= 1) return undefined;
      return compressed ? compressedGrain(read, sector * 512, grain, grainBytes, fileSize) : sector * 512;
    },
    holds: split
      ? `The VMDK sparse extent is the first of a split disk (no descriptor of its own, named -s001) and stores the guest disk's first ${guestSize} bytes in ${grainBytes}-byte grains`
      : `The VMDK ${compressed ? 'stream-optimized' : 'sparse'} extent${where} stores a guest disk of ${guestSize} bytes in ${grainBytes}-byte ${compressed ? 'compressed ' : ''}grains`,
    figures: { guestBytes: guestSize, grainBytes, ...(split ? { extent: 1 } : {}) },
  };
}

export const vmdkVolumeParser = defineGuestContainerParser({
  id: 'vmdk-volume',
  version: '1.1.0',
  title: 'The disk inside a VMDK sparse extent: an encrypted volume header, or random bytes where a disk starts',
  formats: ['vmdk'],
  encrypted: { id: 'vmdk-encrypted-guest', name: 'VMDK disk image of an encrypted volume' },
  code: 'VMDK',
  split: true,
  layout: vmdkLayout,
});
