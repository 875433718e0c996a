/**
 * Unencrypted disk and file-system images recognised from their boot
 * sectors and superblocks: ext2/3/4, FAT12/16/32, exFAT, NTFS, HFS+/HFSX,
 * Linux swap, ISO 9660 (when the probe reaches sector 16), MBR- and
 * GPT-partitioned disks, EWF/E01, VMDK sparse extents and UDIF (.dmg) images. They are
 * analysable: a file-system reader opens them without a secret.
 * References: ext4 wiki "Disk Layout" (s_magic 0xEF53 at 1080); Microsoft
 * FAT specification (BPB, 0x55AA); ECMA-119 §8.4 (CD001); UEFI 2.10 §5.3
 * (EFI PART); util-linux libblkid swap.c (SWAPSPACE2, and the hibernation signatures that
 * replace it, with the original kept before them, as kernel/power/swap.c writes); libewf documentation
 * (EVF signature); VMware Virtual Disk Format 1.1 (KDMV).
 * F2FS (Android's userdata; f2fs-tools' f2fs_fs.h). An ext4 or F2FS volume with the encrypt feature
 * is still analysable, and the reason says fscrypt may have encrypted directories in it.
 * Also dm-verity hash devices (veritysetup's superblock, cryptsetup lib/verity/verity.c struct
 * verity_sb): a tree of SHA hashes of the data device's blocks, integrity data that is not
 * encrypted; past the superblock, the hashes of a full partition are as random as ciphertext.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, startsWith, u16be, u16le, u32be, u32le, u64le } from './util.js';
import { trimEndOf } from '../text-ends.js';

// swsusp's HIBERNATE_SIG (and S2SUSPEND of older kernels), uswsusp's: 10 bytes, NUL-padded.
const HIBERNATION_SIGNATURES = new Set(['S1SUSPEND\0', 'S2SUSPEND\0', 'ULSUSPEND\0']);

interface Image {
  id: string;
  name: string;
  code: string;
  message: string;
  confidence: number;
}

/**
 * The logical sector size of a GPT disk whose header "EFI PART" sits at LBA 1, else undefined. LBA 1 is offset 512
 * on a disk of 512-byte sectors and offset 4096 on one of 4 KiB logical sectors (4Kn drives: NVMe and USB disks,
 * Apple SSDs); there the protective MBR alone is at offset 0. At 4096 the eight bytes are taken only with the
 * header's own fields in agreement (UEFI 2.10 §5.3.2): HeaderSize from 92 to the sector size, MyLBA 1.
 */
export function gptSectorSize(h: Uint8Array): 512 | 4096 | undefined {
  if (ascii(h, 512, 520) === 'EFI PART') return 512;
  if (h.length < 4096 + 32 || ascii(h, 4096, 4104) !== 'EFI PART') return undefined;
  const headerSize = u32le(h, 4096 + 12)!;
  return headerSize >= 92 && headerSize <= 4096 && u64le(h, 4096 + 24) === 1 ? 4096 : undefined;
}

/** A primary partition of an MBR: first sector and length, in 512-byte sectors. */
export interface MbrPartition {
  start: number;
  sectors: number;
  type: number;
}

/**
 * The MBR's partition table when it is consistent, else undefined: the 0x55AA signature is two
 * bytes, so each used entry must have a boot flag of 0x00/0x80, a start LBA of 1 or more and a
 * length; used entries do not overlap; unused entries are all zero.
 */
export function mbrPartitions(h: Uint8Array): MbrPartition[] | undefined {
  if (h.length < 512 || h[510] !== 0x55 || h[511] !== 0xaa) return undefined;
  const used: MbrPartition[] = [];
  for (let i = 0; i < 4; i++) {
    const e = 446 + i * 16;
    const flag = h[e]!;
    const type = h[e + 4]!;
    if (type === 0) {
      if (h.subarray(e, e + 16).some((b) => b !== 0)) return undefined;
      continue;
    }
    const start = u32le(h, e + 8)!;
    const sectors = u32le(h, e + 12)!;
    if ((flag !== 0 && flag !== 0x80) || start < 1 || sectors < 1) return undefined;
    if (used.some((p) => start < p.start + p.sectors && p.start < start + sectors)) return undefined;
    used.push({ start, sectors, type });
  }
  return used;
}

/**
 * The superblock's geometry is one ext2fs_open accepts (lib/ext2fs/openfs.c): a
 * block size of 1-64 KiB, the first data block 1 for 1 KiB blocks else 0, per-group
 * counts that fit a bitmap block, and no more inodes than the groups hold. Two magic
 * bytes alone also sit in records of small integers (e2fsprogs' f_crashdisk).
 */
function extGeometry(h: Uint8Array): boolean {
  const sb = 1024;
  const inodes = u32le(h, sb)!;
  // INCOMPAT_64BIT (0x80) adds s_blocks_count_hi at 0x150.
  const high = (u32le(h, sb + 0x60)! & 0x80) !== 0 ? (u32le(h, sb + 0x150) ?? 0) : 0;
  const blocks = u32le(h, sb + 0x04)! + high * 2 ** 32;
  const firstData = u32le(h, sb + 0x14)!;
  const logBlock = u32le(h, sb + 0x18)!;
  const blocksPerGroup = u32le(h, sb + 0x20)!;
  // Bitmaps count clusters (s_clusters_per_group; the same as blocks without bigalloc).
  const clustersPerGroup = u32le(h, sb + 0x24)!;
  const inodesPerGroup = u32le(h, sb + 0x28)!;
  // An external journal device (INCOMPAT_JOURNAL_DEV, 0x8) has no inodes.
  const journalDevice = (u32le(h, sb + 0x60)! & 0x8) !== 0;
  if (logBlock > 6) return false;
  const bitsPerBlock = 8 * (1024 << logBlock);
  if (firstData > (logBlock === 0 ? 1 : 0)) return false;
  if (blocksPerGroup < 8 || clustersPerGroup < 8 || clustersPerGroup > bitsPerBlock) return false;
  if (inodesPerGroup > bitsPerBlock || (inodesPerGroup < 1 && !journalDevice)) return false;
  if (blocks <= firstData) return false;
  const groups = Math.ceil((blocks - firstData) / blocksPerGroup);
  return inodes <= groups * inodesPerGroup;
}

/** INCOMPAT_ENCRYPT (ext4) and F2FS_FEATURE_ENCRYPT: the volume may hold fscrypt-encrypted directories. */
const EXT4_INCOMPAT_ENCRYPT = 0x10000;
const F2FS_FEATURE_ENCRYPT = 0x1;
const FSCRYPT_NOTE =
  " The encrypt feature is set: directories in it may hold fscrypt-encrypted names and contents (Android file-based encryption, a user's fscrypt policy), readable only with their keys; the file system itself is not encrypted.";

/**
 * An F2FS superblock at 1 KiB (f2fs-tools include/f2fs_fs.h, struct f2fs_super_block): magic 0xF2F52010,
 * 512- to 4096-byte sectors, 4 KiB blocks, 512-block segments as mkfs.f2fs and the kernel require, and the
 * feature word at 2180 bytes in (after the volume name, extension list and version strings).
 */
function f2fsSuperblock(h: Uint8Array): Image | undefined {
  const sb = 1024;
  if (h.length < sb + 2184 || u32le(h, sb) !== 0xf2f52010) return undefined;
  const logSector = u32le(h, sb + 8)!;
  const logSectorsPerBlock = u32le(h, sb + 12)!;
  if (logSector < 9 || logSector > 12 || logSector + logSectorsPerBlock !== 12) return undefined;
  if (u32le(h, sb + 16) !== 12 || u32le(h, sb + 20) !== 9) return undefined;
  const features = u32le(h, sb + 2180)!;
  return {
    id: 'f2fs',
    name: 'F2FS file system',
    code: 'F2FS_SUPERBLOCK',
    message: `F2FS superblock magic 0xF2F52010 at offset 1024, version ${u16le(h, sb + 4)}.${u16le(h, sb + 6)}, 4096-byte blocks, feature flags 0x${features.toString(16)}.${features & F2FS_FEATURE_ENCRYPT ? FSCRYPT_NOTE : ''}`,
    confidence: 0.93,
  };
}

/** VERITY_BLOCK_SIZE_OK (lib/verity/verity.c): a power of two from 512 bytes to 512 KiB. */
const verityBlockSizeOk = (n: number): boolean => n >= 512 && n <= 512 * 1024 && (n & (n - 1)) === 0;

/**
 * A dm-verity superblock as VERITY_read_sb accepts it: "verity" and two NULs, version 1, hash type 0
 * (Chrome OS) or 1, both block sizes legal, a salt of at most 256 bytes, padding zero, and the hash
 * algorithm a NUL-terminated lower-case name (sha256, sha1, sha512…), as `veritysetup format` writes.
 */
function veritySuperblock(h: Uint8Array): Image | undefined {
  if (!startsWith(h, 'verity\0\0') || h.length < 512 || u32le(h, 8) !== 1) return undefined;
  const hashType = u32le(h, 12)!;
  const algorithmEnd = h.subarray(32, 64).indexOf(0);
  const algorithm = algorithmEnd > 0 ? ascii(h, 32, 32 + algorithmEnd) : '';
  const dataBlock = u32le(h, 64)!;
  const hashBlock = u32le(h, 68)!;
  const dataBlocks = u64le(h, 72) ?? 0;
  const salt = u16le(h, 80) ?? 0;
  const padZero = h.subarray(82, 88).every((b) => b === 0) && h.subarray(344, 512).every((b) => b === 0);
  if (hashType > 1 || !/^[a-z][a-z0-9-]{2,30}$/.test(algorithm) || salt > 256 || !padZero) return undefined;
  if (!verityBlockSizeOk(dataBlock) || !verityBlockSizeOk(hashBlock) || dataBlocks < 1) return undefined;
  return {
    id: 'dm-verity',
    name: 'dm-verity hash device',
    code: 'VERITY_SUPERBLOCK',
    message: `dm-verity superblock "verity", version 1, hash type ${hashType}, ${algorithm} over ${dataBlocks} data block(s) of ${dataBlock} bytes (${hashBlock}-byte hash blocks, ${salt}-byte salt): a hash tree that checks a partition's integrity; hashes look random, they are not ciphertext.`,
    confidence: 0.95,
  };
}

function recognise(h: Uint8Array, size: number, tail: Uint8Array): Image | undefined {
  const verity = veritySuperblock(h);
  if (verity) return verity;
  // UDIF disk image: the "koly" trailer sits 512 bytes before the end.
  const end = tail.length > 0 ? tail : h;
  if (size >= 512 && end.length >= 512 && ascii(end, end.length - 512, end.length - 508) === 'koly')
    return {
      id: 'dmg',
      name: 'Apple disk image (UDIF)',
      code: 'UDIF_KOLY_TRAILER',
      message:
        'UDIF "koly" trailer 512 bytes before the end: an Apple disk image (its blocks may be zlib, bzip2 or LZFSE compressed).',
      confidence: 0.95,
    };
  if (startsWith(h, 'EVF\x09\x0d\x0a\xff\x00'))
    return {
      id: 'ewf',
      name: 'Expert Witness (E01) image',
      code: 'EWF_SIGNATURE',
      message: 'EWF signature "EVF" 09 0D 0A FF 00: an E01 evidence image segment.',
      confidence: 0.97,
    };
  if (startsWith(h, 'KDMV') && u32le(h, 4) !== undefined && u32le(h, 4)! <= 3)
    return {
      id: 'vmdk',
      name: 'VMDK sparse extent',
      code: 'VMDK_SPARSE_MAGIC',
      message: `VMDK sparse extent header "KDMV", version ${u32le(h, 4)}.`,
      confidence: 0.95,
    };
  if (startsWith(h, '# Disk DescriptorFile'))
    return {
      id: 'vmdk',
      name: 'VMDK descriptor',
      code: 'VMDK_DESCRIPTOR',
      message: 'VMDK text descriptor.',
      confidence: 0.95,
    };
  if (startsWith(h, 'vhdxfile'))
    return {
      id: 'vhdx',
      name: 'VHDX disk image',
      code: 'VHDX_SIGNATURE',
      message: '"vhdxfile" signature.',
      confidence: 0.95,
    };
  if (ascii(h, 1080, 1082) === '\x53\xef' && extGeometry(h)) {
    const features = u32le(h, 1024 + 0x60) ?? 0;
    const kind = features & 0x40 ? 'ext4' : (u32le(h, 1024 + 0x5c) ?? 0) & 4 ? 'ext3' : 'ext2';
    return {
      id: 'ext-filesystem',
      name: 'ext2/3/4 file system',
      code: 'EXT_SUPERBLOCK',
      message: `ext superblock magic 0xEF53 at offset 1080 (${kind} features).${features & EXT4_INCOMPAT_ENCRYPT ? FSCRYPT_NOTE : ''}`,
      confidence: 0.93,
    };
  }
  const f2fs = f2fsSuperblock(h);
  if (f2fs) return f2fs;
  // The two-letter signature, then the version that goes with it (4 for H+, 5 for HX) and a block size that is a
  // power of two from 512 (Apple TN1150, HFSPlusVolumeHeader): a gzip'd man page had "H+" at 1024 by chance.
  const hfs = ascii(h, 1024, 1026);
  const blockSize = u32be(h, 1064) ?? 0;
  if (
    ((hfs === 'H+' && u16be(h, 1026) === 4) || (hfs === 'HX' && u16be(h, 1026) === 5)) &&
    blockSize >= 512 &&
    (blockSize & (blockSize - 1)) === 0
  )
    return {
      id: 'hfsplus',
      name: 'HFS+ file system',
      code: 'HFSPLUS_VOLUME_HEADER',
      message: `HFS+ volume header signature "${ascii(h, 1024, 1026)}" at offset 1024.`,
      confidence: 0.9,
    };
  if (ascii(h, 3, 11) === 'NTFS    ')
    return {
      id: 'ntfs',
      name: 'NTFS file system',
      code: 'NTFS_OEM_ID',
      message: 'NTFS boot sector (OEM id "NTFS    ").',
      confidence: 0.95,
    };
  if (ascii(h, 3, 11) === 'EXFAT   ')
    return {
      id: 'exfat',
      name: 'exFAT file system',
      code: 'EXFAT_OEM_ID',
      message: 'exFAT boot sector (OEM id "EXFAT   ").',
      confidence: 0.95,
    };
  const bootSig = h[510] === 0x55 && h[511] === 0xaa;
  if (bootSig && (ascii(h, 54, 59) === 'FAT12' || ascii(h, 54, 59) === 'FAT16' || ascii(h, 82, 87) === 'FAT32')) {
    const fat = ascii(h, 82, 87) === 'FAT32' ? 'FAT32' : ascii(h, 54, 59);
    return {
      id: 'fat-image',
      name: 'FAT file system',
      code: 'FAT_BOOT_SECTOR',
      message: `${fat} boot sector (BPB with ${u16le(h, 11)}-byte sectors and the 0x55AA signature).`,
      confidence: 0.93,
    };
  }
  for (const page of [4096, 8192, 16384, 65536]) {
    const sig = ascii(h, page - 10, page);
    if (sig === 'SWAPSPACE2' || sig === 'SWAP-SPACE')
      return {
        id: 'linux-swap',
        name: 'Linux swap area',
        code: 'SWAP_SIGNATURE',
        message: `Linux swap signature "${sig}" at offset ${page - 10} (page size ${page}).`,
        confidence: 0.93,
      };
    // A hibernated machine's swap: the kernel (or uswsusp) put its own signature in place of the swap one and
    // kept that in orig_sig just before it; the pages hold the (LZO- or LZ4-compressed) memory image.
    if (HIBERNATION_SIGNATURES.has(sig) && ascii(h, page - 20, page - 10) === 'SWAPSPACE2')
      return {
        id: 'linux-swap',
        name: 'Linux swap area',
        code: 'SWAP_HIBERNATION_SIGNATURE',
        message: `Linux swap area holding a hibernation image: "${trimEndOf(sig, '\0')}" at offset ${page - 10}, the original "SWAPSPACE2" kept before it (page size ${page}); the image is the machine's memory, compressed, not ciphertext.`,
        confidence: 0.93,
      };
  }
  if (ascii(h, 32769, 32774) === 'CD001')
    return {
      id: 'iso9660',
      name: 'ISO 9660 image',
      code: 'ISO9660_DESCRIPTOR',
      message: 'ISO 9660 volume descriptor "CD001" at sector 16.',
      confidence: 0.95,
    };
  const gptSector = gptSectorSize(h);
  if (gptSector !== undefined)
    return {
      id: 'gpt-disk',
      name: 'GPT-partitioned disk image',
      code: 'GPT_HEADER',
      message:
        gptSector === 512
          ? 'GPT header "EFI PART" at LBA 1.'
          : `GPT header "EFI PART" at LBA 1 of ${gptSector}-byte sectors (offset ${gptSector}; the header's own LBA field says 1, its size is ${u32le(h, gptSector + 12)} bytes): a disk with 4 KiB logical sectors (4Kn).`,
      confidence: 0.95,
    };
  // At least the first track (63 sectors): a lone boot sector saved to a file holds no partition.
  if (bootSig && size >= 63 * 512) {
    const used = mbrPartitions(h);
    const inside = used?.filter((p) => p.start * 512 < size).length ?? 0;
    if (used && used.length > 0 && inside > 0) {
      return {
        id: 'mbr-disk',
        name: 'MBR-partitioned disk image',
        code: 'MBR_PARTITION_TABLE',
        message: `Master boot record with ${used.length} partition entr${used.length === 1 ? 'y' : 'ies'} (consistent: starts and lengths set, no overlap, unused entries zero; ${inside} start${inside === 1 ? 's' : ''} inside the image) and the 0x55AA signature.`,
        confidence: 0.85,
      };
    }
  }
  return undefined;
}

export const diskImagesDetector = defineDetector({
  meta: {
    id: 'disk-images',
    version: '1.3.0',
    title: 'Unencrypted disk and file-system images',
    formats: [
      {
        id: 'dmg',
        name: 'Apple disk image (UDIF)',
        status: 'analysable',
        how: 'signature',
        extensions: ['dmg', 'img', 'sparseimage'],
      },
      {
        id: 'ewf',
        name: 'Expert Witness (E01) image',
        status: 'analysable',
        how: 'signature',
        extensions: ['e01', 'ex01', 'l01', 's01'],
      },
      { id: 'vmdk', name: 'VMDK disk image', status: 'analysable', how: 'signature', extensions: ['vmdk'] },
      { id: 'vhdx', name: 'VHDX disk image', status: 'analysable', how: 'signature', extensions: ['vhdx'] },
      { id: 'ext-filesystem', name: 'ext2/3/4 file system', status: 'analysable', how: 'header-field' },
      { id: 'hfsplus', name: 'HFS+ file system', status: 'analysable', how: 'header-field' },
      { id: 'ntfs', name: 'NTFS file system', status: 'analysable', how: 'signature' },
      { id: 'exfat', name: 'exFAT file system', status: 'analysable', how: 'signature' },
      { id: 'fat-image', name: 'FAT file system', status: 'analysable', how: 'header-field' },
      { id: 'linux-swap', name: 'Linux swap area', status: 'analysable', how: 'signature' },
      {
        id: 'iso9660',
        name: 'ISO 9660 image',
        status: 'analysable',
        how: 'signature',
        extensions: ['iso', 'raw', 'img', 'bin'],
      },
      { id: 'gpt-disk', name: 'GPT-partitioned disk image', status: 'analysable', how: 'signature' },
      { id: 'f2fs', name: 'F2FS file system', status: 'analysable', how: 'header-field' },
      { id: 'dm-verity', name: 'dm-verity hash device', status: 'analysable', how: 'header-field' },
      { id: 'mbr-disk', name: 'MBR-partitioned disk image', status: 'analysable', how: 'structure' },
    ],
  },
  // A VMDK descriptor file is often shorter than a sector (qemu-img's split-disk descriptor: 352 bytes); every other
  // check here needs the bytes it reads, so shorter files only fail them.
  minSize: '# Disk DescriptorFile'.length,
  priority: 30,
  detect(probe): Detection | undefined {
    const found = recognise(probe.head, probe.size, probe.tail);
    if (!found) return undefined;
    return plain('analysable', {
      id: found.id,
      name: found.name,
      confidence: found.confidence,
      code: found.code,
      message: found.message,
    });
  },
});
