/**
 * What the disk or partition inside an image container holds, from its first and last bytes: the shared verdict
 * of android-sparse-volume and the block-mapped containers' parsers (guest-blocks.ts: QCOW2, VDI, VHD, VHDX, VMDK,
 * QED, EWF, AFF). The disk-encryption detector reads the rebuilt bytes as it reads a
 * volume file (a LUKS or BitLocker header names the scheme: certain); uniformly random bytes in the first sector,
 * where a partition table, file system superblock or boot record would be, are suspected whole-volume encryption
 * with no header (Android full-disk encryption, plain dm-crypt, VeraCrypt), as encrypted-partitions says of a
 * partition. A guest that is a partitioned disk (MBR or GPT) is read a level deeper, through the container, by
 * encrypted-partitions: a LUKS or random partition on the guest disk makes the container encrypted too.
 */
import { DEFAULT_LIMITS, type Detection, type ParseResult, type Probe } from '@evtriage/core/contract';
import { diskEncryptionDetector } from '../detectors/disk-encryption.js';
import { randomSector } from '../detectors/random-sector.js';
import { encryptedPartitionsOf } from './encrypted-partitions.js';

/** The guest's bytes the container gave back: its first and last window (zeros where nothing is stored). */
export interface Guest {
  size: number;
  head: Buffer;
  tail: Buffer;
  /**
   * Reads any guest bytes through the container (zeros where nothing is stored), for a partitioned guest. A
   * partition starting past the guest's end is not reported here (the container's parser has its own diagnostics).
   */
  read?: (offset: number, length: number) => Promise<Buffer>;
}

export interface GuestLabels {
  /** The item's format when the guest is encrypted. */
  format: { id: string; name: string };
  /** "The sparse image expands to a partition of …": the sentence's start, for the reason. */
  holds: string;
  codes: { named: string; random: string; partition: string };
  details: Record<string, string | number>;
  figures: Record<string, number>;
  /** Whose secret opens a volume with no header, for the key hint. */
  randomKey: string;
}

export async function guestVolumeVerdict(
  probe: Probe,
  guest: Guest,
  labels: GuestLabels,
): Promise<ParseResult | undefined> {
  const volumeProbe = { ...probe, size: guest.size, head: guest.head, tail: guest.tail, samples: [], complete: false };
  const found = await diskEncryptionDetector.detect(volumeProbe, { limits: DEFAULT_LIMITS });
  const volume = found && !Array.isArray(found) ? (found as Detection) : undefined;
  if (volume?.status === 'encrypted')
    return {
      details: { ...labels.details, volume: volume.format.id },
      reclassify: {
        status: 'encrypted',
        confidence: 0.9,
        format: labels.format,
        reasons: [
          {
            code: labels.codes.named,
            message: `${labels.holds}, which holds an encrypted volume: ${volume.reasons[0]?.message ?? volume.format.name}`,
            figures: labels.figures,
          },
        ],
      },
      ...(volume.encryption ? { encryption: volume.encryption } : {}),
    };
  const partitioned = guest.read
    ? await encryptedPartitionsOf(guest.size, volumeProbe, guest.read, () => undefined)
    : undefined;
  if (partitioned?.reclassify) {
    const inner = partitioned.reclassify;
    const suspected = inner.confidence < 0.9;
    return {
      details: { ...labels.details, volume: inner.format?.id ?? 'encrypted-partition-disk' },
      reclassify: {
        status: 'encrypted',
        confidence: inner.confidence,
        format: suspected ? { id: labels.format.id, name: `${labels.format.name} (suspected)` } : labels.format,
        reasons: [
          {
            code: labels.codes.partition,
            message: `${labels.holds}, a partitioned disk: ${inner.reasons[0]?.message ?? inner.format?.name ?? ''}`,
            figures: { ...labels.figures, ...inner.reasons[0]?.figures },
          },
        ],
      },
      ...(partitioned.encryption ? { encryption: partitioned.encryption } : {}),
    };
  }
  const random = guest.head.length >= 512 ? randomSector(guest.head.subarray(0, 512)) : undefined;
  if (!random) return undefined;
  return {
    details: { ...labels.details, volume: 'random-start' },
    reclassify: {
      status: 'encrypted',
      confidence: 0.6,
      format: { id: labels.format.id, name: `${labels.format.name} (suspected)` },
      reasons: [
        {
          code: labels.codes.random,
          message: `${labels.holds}, whose first sector is uniformly random bytes (entropy ${random.shannon}, chi-square p=${random.chiSquareP}, ${random.distinct} distinct values) where a partition table, file system superblock or boot record would be. Suspected whole-volume encryption with no header in clear.`,
          figures: labels.figures,
        },
      ],
    },
    encryption: {
      scheme: 'unknown-full-disk-encryption',
      scope: 'full',
      keyHint: { description: labels.randomKey, kind: 'password', present: 'unknown' },
    },
  };
}
