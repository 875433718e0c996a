/**
 * The disk inside a clear QCOW2 image (QEMU, libvirt, virt-manager): its header says crypt_method 0, but the
 * guest disk it stores may be an encrypted volume (a guest installed on LUKS, a BitLocker-encrypted Windows
 * guest, a LUKS volume converted with `qemu-img convert`). The guest's first and last 16 KiB are read through
 * the L1 and L2 tables and judged by guest-volume.ts. Compressed clusters and an external data file are not
 * followed (their bytes read as zeros: no verdict from them).
 * Reference: QEMU docs/interop/qcow2.txt (header: cluster_bits at 20, size at 24, l1_size at 36,
 * l1_table_offset at 40, incompatible_features at 72 with bit 2 external data file and bit 4 extended L2
 * entries; L1 and L2 entries: host offset in bits 9-55, bit 62 compressed, L2 bit 0 reads as zeros).
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';
import { guestVolumeVerdict } from './guest-volume.js';

const WINDOW = 16 * 1024;
const OFFSET_MASK = 0x00ff_ffff_ffff_fe00n;
const COMPRESSED = 1n << 62n;
const EXTERNAL_DATA_FILE = 1n << 2n;
const EXTENDED_L2 = 1n << 4n;

type Read = (offset: number, length: number) => Promise<Buffer>;

interface Layout {
  clusterSize: number;
  guestSize: number;
  l1Offset: number;
  l1Entries: number;
  l2EntryBytes: number;
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
  if (clusterBits < 9 || clusterBits > 21) return `cluster_bits ${clusterBits} (QEMU accepts 9-21)`;
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
  };
}

/** Where guest byte `at` is stored in the file, or undefined (unallocated, compressed or out of the tables). */
async function hostOffset(layout: Layout, at: number, read: Read, size: number): Promise<number | undefined> {
  const perL2 = layout.clusterSize / layout.l2EntryBytes;
  const cluster = Math.floor(at / layout.clusterSize);
  const l1Index = Math.floor(cluster / perL2);
  if (l1Index >= layout.l1Entries) return undefined;
  const l1 = await read(layout.l1Offset + l1Index * 8, 8);
  if (l1.length < 8) return undefined;
  const l2Table = Number(l1.readBigUInt64BE(0) & OFFSET_MASK);
  if (l2Table === 0 || l2Table + layout.clusterSize > size) return undefined;
  const l2 = await read(l2Table + (cluster % perL2) * layout.l2EntryBytes, 8);
  if (l2.length < 8) return undefined;
  const entry = l2.readBigUInt64BE(0);
  if (entry & COMPRESSED || entry & 1n) return undefined;
  const host = Number(entry & OFFSET_MASK);
  return host === 0 ? undefined : host + (at % layout.clusterSize);
}

/** Guest bytes [from, from + length), cluster by cluster (zeros where nothing readable is stored). */
async function guestBytes(layout: Layout, from: number, length: number, read: Read, size: number): Promise<Buffer> {
  const out = Buffer.alloc(length);
  for (let at = from; at < from + length;) {
    const end = Math.min(from + length, (Math.floor(at / layout.clusterSize) + 1) * layout.clusterSize);
    const host = await hostOffset(layout, at, read, size);
    if (host !== undefined) (await read(host, end - at)).copy(out, at - from);
    at = end;
  }
  return out;
}

export const qcow2VolumeParser = defineParser({
  meta: {
    id: 'qcow2-volume',
    version: '1.0.0',
    title: 'The disk inside a clear QCOW2 image: an encrypted volume header, or random bytes where a disk starts',
    formats: ['qcow2'],
    diagnostics: {
      QCOW2_TABLES_DAMAGED:
        'The QCOW2 header cannot be followed to the guest disk: {reason}. What the guest holds was not read.',
    },
  },
  priority: 35,
  async parse(ctx): Promise<ParseResult | undefined> {
    const size = ctx.item.size;
    const read: Read = (o, n) => ctx.read(o, n);
    const layout = layoutOf(await read(0, 80), size);
    if (typeof layout === 'string')
      ctx.report({
        code: 'QCOW2_TABLES_DAMAGED',
        severity: 'warning',
        message: `The QCOW2 header cannot be followed to the guest disk: ${layout}. What the guest holds was not read.`,
      });
    if (!layout || typeof layout === 'string') return undefined;
    const window = Math.min(WINDOW, layout.guestSize);
    const head = await guestBytes(layout, 0, window, read, size);
    const tail = await guestBytes(layout, layout.guestSize - window, window, read, size);
    const figures = { guestBytes: layout.guestSize, clusterBytes: layout.clusterSize };
    return guestVolumeVerdict(
      ctx.probe,
      { size: layout.guestSize, head, tail },
      {
        format: { id: 'qcow2-encrypted-guest', name: 'QCOW2 disk image of an encrypted volume' },
        holds: `The QCOW2 image (crypt_method 0) stores a guest disk of ${layout.guestSize} bytes in ${layout.clusterSize}-byte clusters`,
        codes: { named: 'QCOW2_GUEST_ENCRYPTED_VOLUME', random: 'QCOW2_GUEST_RANDOM_START' },
        details: figures,
        figures,
        randomKey: "The guest's disk-encryption passphrase (or its recovery key).",
      },
    );
  },
});
