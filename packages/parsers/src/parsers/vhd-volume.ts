/**
 * The disk inside a dynamic VHD image (Virtual PC, Hyper-V, qemu-img -O vpc). A fixed VHD is the raw disk with a
 * 512-byte footer: the disk-encryption detector already reads it as the volume it is. Reference: Microsoft
 * "Virtual Hard Disk Image Format Specification" 1.0 (footer, big-endian: "conectix", data offset u64 at 16,
 * current size u64 at 48, disk type u32 at 60, 3 dynamic and 4 differencing; dynamic header "cxsparse": BAT
 * offset u64 at 16, max table entries u32 at 28, block size u32 at 32; each BAT entry is the u32 sector of a
 * block's sector bitmap, 0xFFFFFFFF not allocated; the block's data follows its bitmap, rounded to 512 bytes).
 * A differencing disk's unallocated blocks are in its parent: read as zeros here.
 */
import { defineGuestContainerParser, tableEntry, type BlockLayout, type Read } from './guest-blocks.js';

const UNUSED = 0xffffffff;

async function vhdLayout(read: Read, fileSize: number): Promise<BlockLayout | string | undefined> {
  if (fileSize < 1024) return undefined;
  // The footer is at the end; a dynamic disk keeps a copy at 0 (the end may be cut off in a carved file).
  let footer = await read(0, 512);
  if (footer.toString('latin1', 0, 8) !== 'conectix') footer = await read(fileSize - 512, 512);
  if (footer.length < 512 || footer.toString('latin1', 0, 8) !== 'conectix') return undefined;
  const type = footer.readUInt32BE(60);
  if (type !== 3 && type !== 4) return undefined;
  const guestSize = Number(footer.readBigUInt64BE(48));
  const headerAt = Number(footer.readBigUInt64BE(16));
  if (guestSize < 512) return undefined;
  if (headerAt + 1024 > fileSize)
    return `the dynamic header's offset ${headerAt} lies outside the file of ${fileSize} bytes`;
  const d = await read(headerAt, 40);
  if (d.length < 40 || d.toString('latin1', 0, 8) !== 'cxsparse') return `no "cxsparse" dynamic header at ${headerAt}`;
  const batAt = Number(d.readBigUInt64BE(16));
  const entries = d.readUInt32BE(28);
  const blockSize = d.readUInt32BE(32);
  if (blockSize < 512 || blockSize > 256 * 1024 * 1024 || blockSize % 512 !== 0) return `block size ${blockSize}`;
  if (batAt + Math.min(entries, 1) * 4 > fileSize)
    return `the block allocation table (${entries} entries at ${batAt}) lies outside the file of ${fileSize} bytes`;
  const bitmapBytes = Math.ceil(blockSize / 512 / 8 / 512) * 512;
  return {
    guestSize,
    blockSize,
    locate: async (index) => {
      if (index >= entries) return undefined;
      const sector = await tableEntry(read, batAt + index * 4, 4, true, fileSize);
      return sector === undefined || sector === UNUSED ? undefined : sector * 512 + bitmapBytes;
    },
    holds: `The ${type === 4 ? 'differencing' : 'dynamic'} VHD image stores a guest disk of ${guestSize} bytes in ${blockSize}-byte blocks`,
    figures: { guestBytes: guestSize, blockBytes: blockSize },
  };
}

export const vhdVolumeParser = defineGuestContainerParser({
  id: 'vhd-volume',
  title: 'The disk inside a dynamic VHD image: an encrypted volume header, or random bytes where a disk starts',
  formats: ['virtualbox-vhd'],
  encrypted: { id: 'vhd-encrypted-guest', name: 'VHD disk image of an encrypted volume' },
  code: 'VHD',
  layout: vhdLayout,
});
