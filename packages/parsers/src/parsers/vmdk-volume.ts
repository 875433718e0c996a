/**
 * The disk inside a VMDK sparse extent (monolithicSparse, the "KDMV" hosted sparse extent of VMware Workstation and
 * qemu-img -O vmdk). A flat extent is the raw disk: the disk-encryption detector already reads it. Reference: VMware
 * "Virtual Disk Format 5.0" (SparseExtentHeader, little-endian: flags u32 at 8 with bit 16 compressed grains,
 * capacity u64 at 12 and grain size u64 at 20 in sectors, numGTEsPerGT u32 at 44, gdOffset u64 at 56 in sectors,
 * 0xFFFFFFFFFFFFFFFF for a stream-optimized extent whose directory is in its footer; the grain directory holds the
 * u32 sector of each grain table, each grain table the u32 sector of each grain, 0 not allocated, 1 zero grain).
 * Compressed (stream-optimized) grains are not inflated: no verdict from them.
 */
import { defineGuestContainerParser, tableEntry, type BlockLayout, type Read } from './guest-blocks.js';

const COMPRESSED_GRAINS = 1 << 16;

async function vmdkLayout(read: Read, fileSize: number): Promise<BlockLayout | string | undefined> {
  const h = await read(0, 80);
  if (h.length < 80 || h.toString('latin1', 0, 4) !== 'KDMV') return undefined;
  if (h.readUInt32LE(8) & COMPRESSED_GRAINS) return undefined;
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
  return {
    guestSize,
    blockSize: grainBytes,
    locate: async (grain) => {
      const table = await tableEntry(read, gdAt + Math.floor(grain / perTable) * 4, 4, false, fileSize);
      if (!table) return undefined;
      const sector = await tableEntry(read, table * 512 + (grain % perTable) * 4, 4, false, fileSize);
      return sector === undefined || sector <= 1 ? undefined : sector * 512;
    },
    holds: `The VMDK sparse extent stores a guest disk of ${guestSize} bytes in ${grainBytes}-byte grains`,
    figures: { guestBytes: guestSize, grainBytes },
  };
}

export const vmdkVolumeParser = defineGuestContainerParser({
  id: 'vmdk-volume',
  title: 'The disk inside a VMDK sparse extent: an encrypted volume header, or random bytes where a disk starts',
  formats: ['vmdk'],
  encrypted: { id: 'vmdk-encrypted-guest', name: 'VMDK disk image of an encrypted volume' },
  code: 'VMDK',
  layout: vmdkLayout,
});
