/**
 * The disk inside a VHDX image (Hyper-V, qemu-img -O vhdx). Reference: Microsoft [MS-VHDX] 2.2-2.5: the region table
 * at 192 KiB ("regi", entry count u32 at 8, 32-byte entries from 16: GUID, file offset u64 at 16, length u32 at 24)
 * names the BAT (2DC27766-F623-4200-9D64-115E9BFD4A08) and metadata (8B7CA206-4790-4B9A-B8FE-575F050F886E)
 * regions; the metadata region ("metadata", entry count u16 at 10, 32-byte entries from 32: item GUID, offset u32
 * at 16 from the region's start) gives the block size (file parameters, CAA16737-…), the virtual disk size
 * (2FA54224-…) and the logical sector size (8141BF1D-…); each u64 BAT entry holds the state in bits 0-2
 * (6 fully present, 7 partially present) and the file offset in MiB in bits 20-63, with a sector bitmap entry after
 * every chunk ratio (2^23 x logical sector size / block size) payload entries. The log is not replayed: a
 * file closed uncleanly may have newer BAT entries in its log (the blocks then read as what the BAT says).
 */
import { guidAt } from '../detectors/util.js';
import { defineGuestContainerParser, tableEntry, type BlockLayout, type Read } from './guest-blocks.js';

const REGION_TABLE = 192 * 1024;
const BAT_REGION = '2dc27766-f623-4200-9d64-115e9bfd4a08';
const METADATA_REGION = '8b7ca206-4790-4b9a-b8fe-575f050f886e';
const FILE_PARAMETERS = 'caa16737-fa36-4d43-b3b6-33f0aa44e76b';
const DISK_SIZE = '2fa54224-cd1b-4876-b211-5dbed83bf4b8';
const SECTOR_SIZE = '8141bf1d-a96f-4709-ba47-f233a8faab5f';
const MIB = 1024 * 1024;

/** The region table's entries (GUID to file offset), at most 16 read. */
async function regions(read: Read): Promise<Map<string, number> | undefined> {
  const t = await read(REGION_TABLE, 16 + 16 * 32);
  if (t.length < 16 || t.toString('latin1', 0, 4) !== 'regi') return undefined;
  const out = new Map<string, number>();
  for (let i = 0; i < Math.min(t.readUInt32LE(8), 16) && 16 + i * 32 + 32 <= t.length; i++)
    out.set(guidAt(t, 16 + i * 32), Number(t.readBigUInt64LE(16 + i * 32 + 16)));
  return out;
}

/** The metadata items (GUID to the item's first 8 bytes), at most 16 read. */
async function metadata(read: Read, at: number): Promise<Map<string, Buffer> | string> {
  const m = await read(at, 32 + 16 * 32);
  if (m.length < 32 || m.toString('latin1', 0, 8) !== 'metadata') return `no "metadata" table at ${at}`;
  const out = new Map<string, Buffer>();
  for (let i = 0; i < Math.min(m.readUInt16LE(10), 16) && 32 + i * 32 + 32 <= m.length; i++) {
    const e = 32 + i * 32;
    out.set(guidAt(m, e), await read(at + m.readUInt32LE(e + 16), 8));
  }
  return out;
}

async function vhdxLayout(read: Read, fileSize: number): Promise<BlockLayout | string | undefined> {
  if ((await read(0, 8)).toString('latin1') !== 'vhdxfile') return undefined;
  const table = await regions(read);
  if (!table) return `no "regi" region table at ${REGION_TABLE}`;
  const batAt = table.get(BAT_REGION);
  const metaAt = table.get(METADATA_REGION);
  if (batAt === undefined || metaAt === undefined || batAt >= fileSize || metaAt >= fileSize)
    return 'the region table names no BAT or metadata region inside the file';
  const items = await metadata(read, metaAt);
  if (typeof items === 'string') return items;
  const parameters = items.get(FILE_PARAMETERS);
  const size = items.get(DISK_SIZE);
  const sector = items.get(SECTOR_SIZE);
  if (!parameters || parameters.length < 8 || !size || size.length < 8 || !sector || sector.length < 4)
    return 'the metadata lacks the file parameters, disk size or logical sector size';
  const blockSize = parameters.readUInt32LE(0);
  const sectorSize = sector.readUInt32LE(0);
  const guestSize = Number(size.readBigUInt64LE(0));
  // The spec: block size 1 MiB to 256 MiB, a power of two; logical sector 512 or 4096 bytes.
  if (
    blockSize < MIB ||
    blockSize > 256 * MIB ||
    (blockSize & (blockSize - 1)) !== 0 ||
    (sectorSize !== 512 && sectorSize !== 4096)
  )
    return `block size ${blockSize}, logical sector size ${sectorSize}`;
  if (guestSize < 512) return undefined;
  const chunkRatio = (2 ** 23 * sectorSize) / blockSize;
  return {
    guestSize,
    blockSize,
    locate: async (block) => {
      const entry = await tableEntry(read, batAt + (block + Math.floor(block / chunkRatio)) * 8, 8, false, fileSize);
      if (entry === undefined) return undefined;
      const state = entry % 8;
      return state === 6 || state === 7 ? Math.floor(entry / MIB) * MIB : undefined;
    },
    holds: `The VHDX image stores a guest disk of ${guestSize} bytes in ${blockSize}-byte blocks`,
    figures: { guestBytes: guestSize, blockBytes: blockSize },
  };
}

export const vhdxVolumeParser = defineGuestContainerParser({
  id: 'vhdx-volume',
  title: 'The disk inside a VHDX image: an encrypted volume header, or random bytes where a disk starts',
  formats: ['vhdx'],
  encrypted: { id: 'vhdx-encrypted-guest', name: 'VHDX disk image of an encrypted volume' },
  code: 'VHDX',
  layout: vhdxLayout,
});
