import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { diskImagesDetector } from '../detectors/disk-images.js';
import { encryptedPartitionsParser } from './encrypted-partitions.js';

// A VeraCrypt system-encrypted disk (cryptsetup's test image), sfdisk/mkfs.fat MBR and GPT disks (fixtures/encrypted-partitions/generate.sh).
testParser(
  encryptedPartitionsParser,
  {
    fixtures: new URL('../../fixtures/encrypted-partitions/', import.meta.url),
    detectors: [diskImagesDetector],
    valid: [
      {
        file: 'veracrypt-system.img',
        format: 'truecrypt-veracrypt-system',
        status: 'encrypted',
        encryption: { scheme: 'truecrypt-veracrypt-system-suspected', keyHint: { kind: 'password' } },
        details: { randomPartitions: 1, partitions: 1, systemHeaderSector: true },
      },
      {
        file: 'random-partition.img',
        format: 'encrypted-partition-disk',
        status: 'encrypted',
        encryption: { scheme: 'unknown-full-disk-encryption' },
        details: { randomPartitions: 1, systemHeaderSector: false },
      },
      {
        file: 'gpt-random.img',
        format: 'encrypted-partition-disk',
        status: 'encrypted',
        encryption: { scheme: 'unknown-full-disk-encryption' },
        details: { randomPartitions: 1, partitions: 1, systemHeaderSector: false },
      },
      // A file system where the partition starts: random boot code in sector 62 (as GRUB's) does not decide.
      { file: 'fat-partition.img', format: 'mbr-disk', status: 'analysable' },
      { file: 'gpt-fat.img', format: 'gpt-disk', status: 'analysable' },
    ],
    invalid: [{ file: 'cut-short.img', diagnostics: ['PARTITIONS_BEYOND_IMAGE'] }],
  },
  { framework: { describe, it } },
);
