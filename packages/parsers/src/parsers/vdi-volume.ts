/**
 * The disk inside a VirtualBox VDI image (dynamic or fixed). Reference: VirtualBox VDICore.h (VDIHEADER1: signature
 * 0xBEDA107F at 0x40, version 1.1, image type at 0x4C, block map offset at 0x154, data offset at 0x158, disk size
 * u64 at 0x170, block size at 0x178, block extra at 0x17C, blocks at 0x180; the block map holds a u32 block number
 * per guest block, 0xFFFFFFFF not allocated and 0xFFFFFFFE zero; block n's data is at data offset +
 * n x (block size + extra) + extra), as QEMU block/vdi.c reads it.
 */
import { defineGuestContainerParser, tableEntry, type BlockLayout, type Read } from './guest-blocks.js';

const SIGNATURE = 0xbeda107f;
const FREE_OR_ZERO = 0xfffffffe;

async function vdiLayout(read: Read, fileSize: number): Promise<BlockLayout | string | undefined> {
  const h = await read(0, 0x188);
  if (h.length < 0x188 || h.readUInt32LE(0x40) !== SIGNATURE || h.readUInt32LE(0x44) >>> 16 !== 1) return undefined;
  const mapAt = h.readUInt32LE(0x154);
  const dataAt = h.readUInt32LE(0x158);
  const guestSize = Number(h.readBigUInt64LE(0x170));
  const blockSize = h.readUInt32LE(0x178);
  const extra = h.readUInt32LE(0x17c);
  const blocks = h.readUInt32LE(0x180);
  if (guestSize < 512) return undefined;
  if (blockSize < 512 || blockSize > 64 * 1024 * 1024 || extra > blockSize)
    return `block size ${blockSize}, block extra ${extra}`;
  if (mapAt + Math.min(blocks, 1) * 4 > fileSize || blocks * blockSize < guestSize)
    return `the block map (${blocks} entries at ${mapAt}) does not cover the ${guestSize}-byte disk or lies outside the file of ${fileSize} bytes`;
  return {
    guestSize,
    blockSize,
    locate: async (index) => {
      if (index >= blocks) return undefined;
      const n = await tableEntry(read, mapAt + index * 4, 4, false, fileSize);
      return n === undefined || n >= FREE_OR_ZERO ? undefined : dataAt + n * (blockSize + extra) + extra;
    },
    holds: `The VDI image stores a guest disk of ${guestSize} bytes in ${blockSize}-byte blocks`,
    figures: { guestBytes: guestSize, blockBytes: blockSize },
  };
}

export const vdiVolumeParser = defineGuestContainerParser({
  id: 'vdi-volume',
  title: 'The disk inside a VirtualBox VDI image: an encrypted volume header, or random bytes where a disk starts',
  formats: ['virtualbox-disk-image'],
  encrypted: { id: 'vdi-encrypted-guest', name: 'VDI disk image of an encrypted volume' },
  code: 'VDI',
  layout: vdiLayout,
});
