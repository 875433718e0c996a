/**
 * The disk inside a clear QCOW2 image (QEMU, libvirt, virt-manager): its header says crypt_method 0, but the
 * guest disk it stores may be an encrypted volume (a guest installed on LUKS, a BitLocker-encrypted Windows
 * guest, a LUKS volume converted with `qemu-img convert`). The guest's first and last 16 KiB (and a partitioned
 * guest's partition starts) are read through the L1 and L2 tables (guest-blocks.ts) and judged by
 * guest-volume.ts. A compressed cluster (`qemu-img convert -c`, how images are usually shipped) is inflated: at
 * most one cluster, from at most a cluster and a sector of stored bytes; raw DEFLATE, or Zstandard when the
 * header's compression_type says so (qcow2-zstd-cluster.ts). An external data file is not followed, nor a backing
 * file: an overlay whose own clusters give no verdict names it (QCOW2_GUEST_IN_BACKING_FILE, info).
 * Reference: QEMU docs/interop/qcow2.txt (header: cluster_bits at 20, size at 24, l1_size at 36,
 * l1_table_offset at 40, incompatible_features at 72 with bit 2 external data file, bit 3 compression type and
 * bit 4 extended L2 entries, header_length at 100, compression_type u8 at 104 (0 zlib, 1 zstd); L1 and standard
 * L2 entries: host offset in bits 9-55, bit 62 compressed, L2 bit 0 reads as zeros; a compressed L2 entry, with
 * x = 62 - (cluster_bits - 8): the host offset in bits 0 to x-1, not aligned, and in bits x-61 the number of
 * 512-byte sectors its data takes beyond the one holding that offset). QEMU compresses a cluster with raw DEFLATE
 * (window bits -12, block/qcow2-threads.c) and stores it uncompressed when that does not make it smaller.
 */
import zlib from 'node:zlib';
import { defineGuestContainerParser, type BlockLayout, type Read } from './guest-blocks.js';
import { inflateZstdCluster } from './qcow2-zstd-cluster.js';

const OFFSET_MASK = 0x00ff_ffff_ffff_fe00n;
const COMPRESSED = 1n << 62n;
const EXTERNAL_DATA_FILE = 1n << 2n;
const COMPRESSION_TYPE = 1n << 3n;
const EXTENDED_L2 = 1n << 4n;

interface Layout {
  clusterSize: number;
  guestSize: number;
  l1Offset: number;
  l1Entries: number;
  l2EntryBytes: number;
  clusterBits: number;
  /** compression_type: 0 zlib (raw DEFLATE), 1 zstd. */
  compression: number;
}

/** The guest's layout, a reason the header's tables cannot be followed, or undefined (not a clear QCOW2 v2/v3). */
function layoutOf(h: Buffer, fileSize: number): Layout | string | undefined {
  if (h.length < 72 || h.readUInt32BE(0) !== 0x514649fb) return undefined;
  const version = h.readUInt32BE(4);
  if (version !== 2 && version !== 3) return undefined;
  const clusterBits = h.readUInt32BE(20);
  const crypt = h.readUInt32BE(32);
  const features = version === 3 && h.length >= 80 ? h.readBigUInt64BE(72) : 0n;
  if (crypt !== 0 || features & EXTERNAL_DATA_FILE) return undefined;
  const compression = features & COMPRESSION_TYPE && h.length >= 105 && h.readUInt32BE(100) > 104 ? h[104]! : 0;
  if (clusterBits < 9 || clusterBits > 21) return `cluster_bits ${clusterBits} (QEMU accepts 9-21)`;
  if (compression > 1) return `compression_type ${compression} (QEMU knows 0, zlib, and 1, zstd)`;
  const guestSize = Number(h.readBigUInt64BE(24));
  const l1Offset = Number(h.readBigUInt64BE(40));
  const l1Entries = h.readUInt32BE(36);
  if (guestSize < 512) return undefined;
  if (l1Offset <= 0 || l1Offset + l1Entries * 8 > fileSize)
    return `the L1 table (${l1Entries} entries at ${l1Offset}) lies outside the file of ${fileSize} bytes`;
  return {
    clusterSize: 2 ** clusterBits,
    guestSize,
    l1Offset,
    l1Entries,
    l2EntryBytes: features & EXTENDED_L2 ? 16 : 8,
    clusterBits,
    compression,
  };
}

/**
 * A compressed cluster's bytes, inflated (at most one cluster), or undefined (unknown compression type, data out
 * of the file, or not a complete stream).
 */
async function compressedCluster(layout: Layout, entry: bigint, read: Read, size: number): Promise<Buffer | undefined> {
  const shift = BigInt(62 - (layout.clusterBits - 8));
  const host = Number(entry & ((1n << shift) - 1n));
  const sectors = Number((entry >> shift) & ((1n << BigInt(layout.clusterBits - 8)) - 1n)) + 1;
  // QEMU stores a cluster compressed only when it shrinks: more than a cluster and a sector of data is damage.
  const length = Math.min(sectors * 512 - (host % 512), layout.clusterSize + 512, size - host);
  if (host <= 0 || length <= 0) return undefined;
  const stored = await read(host, length);
  if (layout.compression === 1) return inflateZstdCluster(stored, layout.clusterSize);
  try {
    return zlib.inflateRawSync(stored, { maxOutputLength: layout.clusterSize });
  } catch {
    return undefined;
  }
}

/** Where guest cluster `cluster` starts in the file, its inflated bytes, or undefined (unallocated or out of the tables). */
async function clusterOffset(
  layout: Layout,
  cluster: number,
  read: Read,
  size: number,
): Promise<number | Buffer | undefined> {
  const perL2 = layout.clusterSize / layout.l2EntryBytes;
  const l1Index = Math.floor(cluster / perL2);
  if (l1Index >= layout.l1Entries) return undefined;
  const l1 = await read(layout.l1Offset + l1Index * 8, 8);
  if (l1.length < 8) return undefined;
  const l2Table = Number(l1.readBigUInt64BE(0) & OFFSET_MASK);
  if (l2Table === 0 || l2Table + layout.clusterSize > size) return undefined;
  const l2 = await read(l2Table + (cluster % perL2) * layout.l2EntryBytes, 8);
  if (l2.length < 8) return undefined;
  const entry = l2.readBigUInt64BE(0);
  if (entry & COMPRESSED) return compressedCluster(layout, entry & ~(3n << 62n), read, size);
  if (entry & 1n) return undefined;
  const host = Number(entry & OFFSET_MASK);
  return host === 0 ? undefined : host;
}

/** The backing file's name (backing_file_offset u64 at 8, backing_file_size u32 at 16, at most 1023 bytes), if any. */
async function backingFile(h: Buffer, read: Read, size: number): Promise<string | undefined> {
  const at = Number(h.readBigUInt64BE(8));
  const length = h.readUInt32BE(16);
  if (at <= 0 || length === 0 || length > 1023 || at + length > size) return undefined;
  // Shown in a message: control characters replaced, so a hostile name cannot forge lines.
  const name = (await read(at, length)).toString('utf8');
  return [...name].map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? '?' : c)).join('');
}

async function qcow2Layout(read: Read, size: number): Promise<BlockLayout | string | undefined> {
  const header = await read(0, 112);
  const layout = layoutOf(header, size);
  if (!layout || typeof layout === 'string') return layout;
  const backing = await backingFile(header, read, size);
  return {
    guestSize: layout.guestSize,
    blockSize: layout.clusterSize,
    locate: (cluster) => clusterOffset(layout, cluster, read, size),
    holds: `The QCOW2 image (crypt_method 0) stores a guest disk of ${layout.guestSize} bytes in ${layout.clusterSize}-byte clusters${layout.compression === 0 ? '' : ` (compression_type ${layout.compression === 1 ? 'zstd' : layout.compression})`}`,
    figures: { guestBytes: layout.guestSize, clusterBytes: layout.clusterSize },
    ...(backing !== undefined ? { backing } : {}),
  };
}

export const qcow2VolumeParser = defineGuestContainerParser({
  id: 'qcow2-volume',
  version: '1.2.0',
  title: 'The disk inside a clear QCOW2 image: an encrypted volume header, or random bytes where a disk starts',
  formats: ['qcow2'],
  encrypted: { id: 'qcow2-encrypted-guest', name: 'QCOW2 disk image of an encrypted volume' },
  code: 'QCOW2',
  backing: true,
  layout: qcow2Layout,
});
