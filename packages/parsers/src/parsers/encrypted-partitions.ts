/**
 * Partitions whose content is ciphertext on an MBR or GPT disk. The disk keeps a
 * clear partition table, so it reads as a plain partitioned disk; but where a
 * file system would put its boot record or superblock, an encrypted partition
 * holds uniformly random bytes: VeraCrypt/TrueCrypt partition and system
 * encryption and DiskCryptor encrypt the whole partition, their headers
 * included. On an MBR disk, VeraCrypt/TrueCrypt system encryption keeps its volume header in
 * the last sector of the boot drive's first track, sector 62, which a random
 * sector there names (the boot loader code before it is not tested: GRUB keeps
 * compressed code in the same gap, so only the partition's own start decides).
 * Suspected, never certain: no header names the cipher. A partition that starts with the clear header
 * of an encrypted volume (LUKS1/LUKS2, BitLocker, FileVault 2, GELI…, as the disk-encryption detector
 * reads them) makes the disk encrypted with that scheme named: a Linux laptop's GPT disk holds an EFI
 * system partition in clear and a LUKS partition, and the disk image read as a plain partitioned disk.
 * References: VeraCrypt documentation, "VeraCrypt Volume Format Specification"
 * and "System Encryption" (the header of an encrypted system at sector 62,
 * TC_BOOT_VOLUME_HEADER_SECTOR); DiskCryptor's volume layout (header encrypted
 * as a whole in the partition's first sectors); the MBR partition table
 * (disk-images.ts); UEFI 2.10 §5.3.2-5.3.3 (GPT header: partition entry LBA at
 * 72, entry count at 80, entry size at 84; entries: type GUID, first and last
 * LBA at 32 and 40). A GPT disk of 4 KiB logical sectors (4Kn) keeps its header at offset 4096 and counts its
 * partitions in 4 KiB sectors; the MBR's entries always count 512-byte sectors.
 */
import {
  DEFAULT_LIMITS,
  defineParser,
  u32le,
  type Detection,
  type Diagnostic,
  type ParseResult,
  type Probe,
} from '@evtriage/core/contract';
import { diskEncryptionDetector } from '../detectors/disk-encryption.js';
import { gptSectorSize, mbrPartitions } from '../detectors/disk-images.js';
import { ascii, guidAt, u64le } from '../detectors/util.js';
import { randomSector } from '../detectors/random-sector.js';

/** The MBR's sector, and the bytes a random-start test reads of a partition. */
const SECTOR = 512;
/** VeraCrypt/TrueCrypt system encryption: the volume header's sector on the boot drive. */
const SYSTEM_HEADER_SECTOR = 62;
/** GPT entries read at most (the usual table holds 128). */
const GPT_ENTRIES_MAX = 128;
/** What is read of a partition's start for a volume header: a LUKS2 binary header and its JSON area fit. */
const VOLUME_HEAD_BYTES = 16 * 1024;
/** The volume's tail is read too (GELI keeps its metadata in the last sector, Android FDE its footer at the end). */
const VOLUME_TAIL_BYTES = 16 * 1024;
/** Partitions asked about a volume header at most. */
const HEADER_CHECKS_MAX = 16;

interface Partition {
  /** First sector. */
  start: number;
  /** Length in sectors (0 when the table does not say). */
  sectors: number;
  /** The MBR type byte ("type 0x07") or the GPT type GUID. */
  type: string;
}

type Read = (offset: number, length: number) => Promise<Buffer>;

/** The GPT's partitions when LBA 1 (of `sector`-byte sectors) holds a GPT header, else undefined. */
async function gptPartitions(
  lba1: Uint8Array,
  sector: number,
  size: number,
  read: Read,
): Promise<Partition[] | undefined> {
  if (ascii(lba1, 0, 8) !== 'EFI PART') return undefined;
  const entriesAt = u64le(lba1, 72);
  const count = u32le(lba1, 80);
  const entrySize = u32le(lba1, 84);
  if (entriesAt === undefined || !count || !entrySize || entrySize < 128 || entrySize > 4096) return undefined;
  const want = Math.min(count, GPT_ENTRIES_MAX) * entrySize;
  if (entriesAt * sector + want > size) return undefined;
  const table = await read(entriesAt * sector, want);
  const out: Partition[] = [];
  for (let at = 0; at + 48 <= table.length; at += entrySize) {
    if (table.subarray(at, at + 16).every((b) => b === 0)) continue; // an unused entry
    const first = u64le(table, at + 32);
    const last = u64le(table, at + 40);
    if (first === undefined || last === undefined || last < first) continue;
    out.push({ start: first, sectors: last - first + 1, type: `type ${guidAt(table, at)}` });
  }
  return out;
}

/**
 * The encrypted volume whose clear header starts partition `p`, as the disk-encryption detector reads it from
 * a probe of the partition (its first and last 16 KiB, its length cut to what the image holds).
 */
async function volumeHeader(
  p: Partition,
  sector: number,
  size: number,
  probe: Probe,
  read: Read,
): Promise<Detection | undefined> {
  const start = p.start * sector;
  const length = Math.min(p.sectors > 0 ? p.sectors * sector : size - start, size - start);
  if (length < SECTOR) return undefined;
  const head = await read(start, Math.min(length, VOLUME_HEAD_BYTES));
  const tailLength = Math.min(length, VOLUME_TAIL_BYTES);
  const tail = await read(start + length - tailLength, tailLength);
  const partition: Probe = { ...probe, size: length, head, tail, samples: [], complete: length <= head.length };
  const found = await diskEncryptionDetector.detect(partition, { limits: DEFAULT_LIMITS });
  return found && !Array.isArray(found) && (found as Detection).status === 'encrypted'
    ? (found as Detection)
    : undefined;
}

/** The disk's verdict when partitions start with named encrypted-volume headers. */
function namedVolumes(
  named: { partition: Partition; volume: Detection }[],
  partitions: number,
  gpt: boolean,
): ParseResult {
  const first = named[0]!.volume;
  const list = named
    .map(
      ({ partition, volume }) =>
        `partition ${partition.type} at sector ${partition.start}: ${(volume.reasons[0]?.message ?? volume.format.name).replace(/\.$/, '')}`,
    )
    .join('; ');
  return {
    details: {
      encryptedVolumes: named.length,
      partitions,
      schemes: named.map((n) => n.volume.encryption?.scheme ?? ''),
    },
    reclassify: {
      status: 'encrypted',
      confidence: 0.9,
      format: { id: 'encrypted-partition-disk', name: 'Disk with an encrypted partition' },
      reasons: [
        {
          code: 'ENCRYPTED_VOLUME_IN_PARTITION',
          message: `The ${gpt ? 'GPT' : "MBR's"} partition table is clear, but ${named.length} of ${partitions} partition(s) hold an encrypted volume whose header names it: ${list}.`,
          figures: { encryptedVolumes: named.length, partitions },
        },
      ],
    },
    encryption: {
      scheme: first.encryption?.scheme ?? first.format.id,
      scope: named.length === partitions ? 'full' : 'partial',
      keyHint: first.encryption?.keyHint ?? {
        description: "The volume's passphrase or recovery key.",
        kind: 'password',
        present: 'unknown',
      },
    },
  };
}

/**
 * The verdict on a partitioned disk of `size` bytes read through `read`: the image file itself, or the guest disk
 * inside a VM or forensic container (guest-volume.ts). Undefined when no partition table or no encrypted partition.
 */
export async function encryptedPartitionsOf(
  size: number,
  probe: Probe,
  read: Read,
  report: (d: Diagnostic) => void,
): Promise<ParseResult | undefined> {
  // LBA 1 of 4 KiB sectors too: a 4Kn disk's GPT header is at offset 4096, its partitions counted in 4 KiB sectors.
  const head = await read(0, Math.min(size, 4096 + SECTOR));
  const gptSector = gptSectorSize(head);
  const gpt =
    gptSector === undefined
      ? undefined
      : await gptPartitions(head.subarray(gptSector, gptSector + SECTOR), gptSector, size, read);
  // The MBR's entries count 512-byte sectors.
  const sector = gpt ? gptSector! : SECTOR;
  const table: Partition[] | undefined =
    gpt ??
    mbrPartitions(head)?.map((p) => ({
      start: p.start,
      sectors: p.sectors,
      type: `type 0x${p.type.toString(16).padStart(2, '0')}`,
    }));
  if (!table) return undefined;
  const random: string[] = [];
  const beyond = table.filter((p) => p.start * sector + SECTOR > size);
  if (beyond.length > 0)
    report({
      code: 'PARTITIONS_BEYOND_IMAGE',
      severity: 'info',
      message: `Partition(s) start beyond the end of the image: ${beyond.map((p) => `sector ${p.start}`).join(', ')} of an image of ${Math.floor(size / sector)} sectors${sector === SECTOR ? '' : ` of ${sector} bytes`}. The image is cut short; what they hold could not be checked.`,
    });
  const inside = table.filter((p) => !beyond.includes(p));
  const named: { partition: Partition; volume: Detection }[] = [];
  for (const p of inside.slice(0, HEADER_CHECKS_MAX)) {
    const volume = await volumeHeader(p, sector, size, probe, read);
    if (volume) named.push({ partition: p, volume });
  }
  if (named.length > 0) return namedVolumes(named, table.length, gpt !== undefined);
  for (const p of inside) {
    const r = randomSector(await read(p.start * sector, SECTOR));
    if (r)
      random.push(
        `partition ${p.type} at sector ${p.start} (entropy ${r.shannon}, chi-square p=${r.chiSquareP}, ${r.distinct} distinct values)`,
      );
  }
  if (random.length === 0) return undefined;
  // VeraCrypt's header in the boot track belongs to MBR (BIOS) system encryption.
  const system =
    !gpt && (SYSTEM_HEADER_SECTOR + 1) * SECTOR <= size
      ? randomSector(await read(SYSTEM_HEADER_SECTOR * SECTOR, SECTOR))
      : undefined;
  const message =
    `The ${gpt ? 'GPT' : "MBR's"} partition table is clear, but ${random.length} of ${table.length} partition(s) start with uniformly random bytes where a file system's boot record or superblock would be: ${random.join('; ')}` +
    (system
      ? `; sector ${SYSTEM_HEADER_SECTOR}, where VeraCrypt/TrueCrypt system encryption keeps its volume header, is random too (entropy ${system.shannon}, ${system.distinct} distinct values). Suspected VeraCrypt/TrueCrypt system encryption.`
      : '. Suspected whole-partition encryption (VeraCrypt/TrueCrypt, DiskCryptor or another scheme whose header is encrypted too).');
  return {
    details: { randomPartitions: random.length, partitions: table.length, systemHeaderSector: Boolean(system) },
    reclassify: {
      status: 'encrypted',
      confidence: 0.6,
      format: system
        ? { id: 'truecrypt-veracrypt-system', name: 'VeraCrypt/TrueCrypt system-encrypted disk (suspected)' }
        : { id: 'encrypted-partition-disk', name: 'Disk with an encrypted partition (suspected)' },
      reasons: [
        {
          code: system ? 'RANDOM_SYSTEM_HEADER_AND_PARTITION' : 'RANDOM_PARTITION_START',
          message,
          figures: { randomPartitions: random.length, partitions: table.length },
        },
      ],
    },
    encryption: {
      scheme: system ? 'truecrypt-veracrypt-system-suspected' : 'unknown-full-disk-encryption',
      scope: 'full',
      keyHint: {
        description: system
          ? 'The VeraCrypt/TrueCrypt pre-boot password (and PIM, if used), or the rescue disk.'
          : 'The password of the disk encryption software (VeraCrypt/TrueCrypt, DiskCryptor, ...), or its rescue or recovery key.',
        kind: 'password',
        present: 'unknown',
      },
    },
  };
}

export const encryptedPartitionsParser = defineParser({
  meta: {
    id: 'encrypted-partitions',
    version: '1.2.0',
    title: 'Encrypted partitions on an MBR or GPT disk (a volume header, or random bytes where a file system starts)',
    formats: ['mbr-disk', 'gpt-disk'],
    diagnostics: {
      PARTITIONS_BEYOND_IMAGE:
        'Partition(s) start beyond the end of the image: {reason}. The image is cut short; what they hold could not be checked.',
    },
  },
  // Before pgp-wde (40): PGP WDE's user records, when present, name the scheme with certainty.
  priority: 35,
  parse(ctx): Promise<ParseResult | undefined> {
    return encryptedPartitionsOf(
      ctx.item.size,
      ctx.probe,
      (o, n) => ctx.read(o, n),
      (d) => ctx.report(d),
    );
  },
});
