import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection, Probe } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { diskImagesDetector } from './disk-images.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

testDetector(
  diskImagesDetector,
  {
    fixtures: new URL('../../fixtures/disk-images/', import.meta.url),
    valid: [
      {
        file: 'hfsplus-header.img',
        format: 'hfsplus',
        status: 'analysable',
        reasons: ['HFSPLUS_VOLUME_HEADER'],
        name: 'an HFS+ volume header (version 4, 4096-byte blocks) from TN1150',
      },
      { file: 'fat.img', format: 'fat-image', status: 'analysable', reasons: ['FAT_BOOT_SECTOR'] },
      { file: 'ext4.img', format: 'ext-filesystem', status: 'analysable', reasons: ['EXT_SUPERBLOCK'] },
      // Bigalloc: blocks per group exceed a bitmap's bits; the clusters per group do not.
      { file: 'ext4-bigalloc.img', format: 'ext-filesystem', status: 'analysable', reasons: ['EXT_SUPERBLOCK'] },
      { file: 'swap.img', format: 'linux-swap', status: 'analysable', reasons: ['SWAP_SIGNATURE'] },
      // A hibernated machine's swap: the kernel's signature in place of the swap one, the original kept.
      {
        file: 'swap-hibernated.img',
        format: 'linux-swap',
        status: 'analysable',
        reasons: ['SWAP_HIBERNATION_SIGNATURE'],
      },
      { file: 'image.dmg', format: 'dmg', status: 'analysable', reasons: ['UDIF_KOLY_TRAILER'] },
      // generate-volumes.sh: veritysetup's hash device, mkfs.f2fs without and with -O encrypt, mke2fs -O encrypt.
      { file: 'verity-superblock.img', format: 'dm-verity', status: 'analysable', reasons: ['VERITY_SUPERBLOCK'] },
      { file: 'f2fs.img', format: 'f2fs', status: 'analysable', reasons: ['F2FS_SUPERBLOCK'] },
      { file: 'f2fs-encrypt.img', format: 'f2fs', status: 'analysable', reasons: ['F2FS_SUPERBLOCK'] },
      { file: 'ext4-encrypt.img', format: 'ext-filesystem', status: 'analysable', reasons: ['EXT_SUPERBLOCK'] },
    ],
    // The 0xEF53 magic with a geometry ext2fs_open refuses is not claimed.
    invalid: [
      { file: 'gzip-with-hplus-at-1024.gz', name: 'a gzip stream with "H+" at 1024 (no version, no block size)' },
      { file: 'boot-signature-only.bin' },
      { file: 'ext-illegal-blocksize.img' },
      { file: 'ext-too-many-inodes.img' },
      // "S1SUSPEND" with no original swap signature kept before it.
      { file: 'swap-suspend-lookalike.img' },
      // A verity superblock VERITY_read_sb refuses: version 2, a 1000-byte data block.
      { file: 'verity-version-2.img' },
      { file: 'verity-bad-blocksize.img' },
    ],
    // First sectors of 2 MiB images: tested below with the image's size.
    ignore: ['mbr-sector.bin', 'mbr-overlapping.bin'],
  },
  { framework: { describe, it } },
);

/** A probe over the first sector of a 2 MiB image (the detector reads only that sector and the size). */
function imageProbe(file: string): Probe {
  const sector = new Uint8Array(fs.readFileSync(new URL(`../../fixtures/disk-images/${file}`, import.meta.url)));
  const head = new Uint8Array(16 * 1024);
  head.set(sector);
  return {
    path: file,
    logicalPath: file,
    name: file,
    extension: 'bin',
    size: 2 * 1024 * 1024,
    head,
    tail: new Uint8Array(8192),
    samples: [],
    complete: false,
  };
}

describe('MBR: the 0x55AA signature is believed only with a consistent partition table', () => {
  const ctx = { limits: {} as never, signal: new AbortController().signal };
  it('recognises the table sfdisk wrote (two partitions inside the image)', async () => {
    const d = (await diskImagesDetector.detect(imageProbe('mbr-sector.bin'), ctx)) as Detection | undefined;
    expect(d?.format.id).toBe('mbr-disk');
    expect(d?.reasons[0]?.message).toMatch(/2 partition entries/);
  });
  it('rejects overlapping entries and garbage in an unused entry', async () => {
    expect(await diskImagesDetector.detect(imageProbe('mbr-overlapping.bin'), ctx)).toBeUndefined();
  });
});

describe('volumes: the dm-verity hash tree is named, the encrypt feature of ext4 and F2FS is said', () => {
  const ctx = { limits: {} as never, signal: new AbortController().signal };
  const read = (file: string) =>
    new Uint8Array(fs.readFileSync(new URL(`../../fixtures/disk-images/${file}`, import.meta.url)));
  const message = async (file: string, size?: number) => {
    const bytes = read(file);
    const probe = { ...wholeFileProbe(Buffer.from(bytes), file), ...(size ? { size } : {}) };
    const d = (await diskImagesDetector.detect(probe, ctx)) as Detection | undefined;
    return d?.reasons[0]?.message ?? '';
  };
  it("reads veritysetup's superblock fields", async () => {
    expect(await message('verity-superblock.img')).toMatch(
      /hash type 1, sha256 over 1024 data block\(s\) of 4096 bytes \(4096-byte hash blocks, 32-byte salt\)/,
    );
  });
  it('says the encrypt feature only where mkfs set it', async () => {
    expect(await message('f2fs-encrypt.img')).toMatch(/feature flags 0x1\. The encrypt feature is set/);
    expect(await message('f2fs.img')).not.toMatch(/encrypt feature/);
    expect(await message('ext4-encrypt.img')).toMatch(/The encrypt feature is set: .*fscrypt/);
    expect(await message('ext4.img')).not.toMatch(/encrypt feature/);
  });
});

describe('disk-images mutation fuzz (verity, F2FS, ext4 heads)', () => {
  const seeds = ['verity-superblock.img', 'f2fs-encrypt.img', 'ext4-encrypt.img', 'fat.img'].map(
    (name) =>
      [name, new Uint8Array(fs.readFileSync(new URL(`../../fixtures/disk-images/${name}`, import.meta.url)))] as const,
  );
  fuzzFlipCutGrow(diskImagesDetector, seeds, 300, { wholeHalf: true });
});

describe('GPT on disks of 4 KiB logical sectors (4Kn): the header at LBA 1 = offset 4096', () => {
  const ctx = { limits: {} as never, signal: new AbortController().signal };
  // fdisk -b 4096 (fixtures/encrypted-partitions/generate-4k.sh): the protective MBR at 0, "EFI PART" at 4096.
  const disk = new Uint8Array(
    fs.readFileSync(new URL('../../fixtures/encrypted-partitions/gpt4k-empty.img', import.meta.url)),
  );
  const detect = async (b: Uint8Array) =>
    (await diskImagesDetector.detect(wholeFileProbe(b, 'disk.img'), ctx)) as Detection | undefined;
  it('names the GPT disk and its sector size', async () => {
    const d = await detect(disk);
    expect(d?.format.id).toBe('gpt-disk');
    expect(d?.reasons[0]?.message).toMatch(/4096-byte sectors/);
  });
  it('takes "EFI PART" at 4096 only with MyLBA 1 and a header size from 92 to 4096', async () => {
    const wrongLba = disk.slice();
    wrongLba[4096 + 24] = 2;
    expect((await detect(wrongLba))?.format.id).not.toBe('gpt-disk');
    const hugeHeader = disk.slice();
    new DataView(hugeHeader.buffer).setUint32(4096 + 12, 8192, true);
    expect((await detect(hugeHeader))?.format.id).not.toBe('gpt-disk');
  });
});
