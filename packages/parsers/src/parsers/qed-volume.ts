/**
 * The disk inside a QEMU QED image. Reference: QEMU docs/interop/qed_spec.txt (header, little-endian: "QED\0",
 * cluster_size u32 at 4, table_size u32 at 8 in clusters, features u64 at 16 with bit 0 backing file, l1_table_offset
 * u64 at 40, image_size u64 at 48; L1 and L2 tables hold u64 file offsets, 0 not allocated, 1 a zero cluster).
 * Unallocated clusters of an image with a backing file are in the backing file: read as zeros here.
 */
import { defineGuestContainerParser, tableEntry, type BlockLayout, type Read } from './guest-blocks.js';

async function qedLayout(read: Read, fileSize: number): Promise<BlockLayout | string | undefined> {
  const h = await read(0, 56);
  if (h.length < 56 || h.readUInt32LE(0) !== 0x00444551) return undefined;
  const clusterSize = h.readUInt32LE(4);
  const tableClusters = h.readUInt32LE(8);
  const l1At = Number(h.readBigUInt64LE(40));
  const guestSize = Number(h.readBigUInt64LE(48));
  if (guestSize < 512) return undefined;
  // The spec: cluster size a power of two from 4 KiB to 64 MiB, table size 1 to 16 clusters.
  if (
    clusterSize < 4096 ||
    clusterSize > 1 << 26 ||
    (clusterSize & (clusterSize - 1)) !== 0 ||
    tableClusters < 1 ||
    tableClusters > 16
  )
    return `cluster size ${clusterSize}, table size ${tableClusters} clusters`;
  if (l1At <= 0 || l1At + 8 > fileSize) return `the L1 table at ${l1At} lies outside the file of ${fileSize} bytes`;
  const perTable = (tableClusters * clusterSize) / 8;
  return {
    guestSize,
    blockSize: clusterSize,
    locate: async (cluster) => {
      const l1Index = Math.floor(cluster / perTable);
      if (l1Index >= perTable) return undefined;
      const l2At = await tableEntry(read, l1At + l1Index * 8, 8, false, fileSize);
      if (!l2At) return undefined;
      const at = await tableEntry(read, l2At + (cluster % perTable) * 8, 8, false, fileSize);
      return at === undefined || at <= 1 ? undefined : at;
    },
    holds: `The QED image stores a guest disk of ${guestSize} bytes in ${clusterSize}-byte clusters`,
    figures: { guestBytes: guestSize, clusterBytes: clusterSize },
  };
}

export const qedVolumeParser = defineGuestContainerParser({
  id: 'qed-volume',
  title: 'The disk inside a QEMU QED image: an encrypted volume header, or random bytes where a disk starts',
  formats: ['qemu-qed-image'],
  encrypted: { id: 'qed-encrypted-guest', name: 'QED disk image of an encrypted volume' },
  code: 'QED',
  layout: qedLayout,
});
