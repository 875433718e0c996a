import { describe, expect, it } from 'vitest';
import { fixtureSeeds, fuzzVolumeParser } from './volume-fuzz.test-helper.js';
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
      // generate-luks.sh: a LUKS volume in a partition names the disk's scheme (a Linux laptop's disk).
      {
        file: 'gpt-luks2.img',
        format: 'encrypted-partition-disk',
        status: 'encrypted',
        encryption: { scheme: 'luks2-aes-xts-plain64', scope: 'partial', keyHint: { kind: 'password' } },
        details: { encryptedVolumes: 1, partitions: 2 },
      },
      {
        file: 'mbr-luks1.img',
        format: 'encrypted-partition-disk',
        status: 'encrypted',
        encryption: { scheme: 'luks1-aes-xts-plain64', scope: 'full' },
        details: { encryptedVolumes: 1, partitions: 1 },
      },
      // "LUKS" and a version no LUKS has, zeros after: neither a named volume nor a random start.
      { file: 'gpt-luks-bad.img', format: 'gpt-disk', status: 'analysable' },
      // generate-4k.sh: GPT disks of 4 KiB logical sectors (fdisk -b 4096), partitions counted in 4 KiB sectors.
      {
        file: 'gpt4k-luks2.img',
        format: 'encrypted-partition-disk',
        status: 'encrypted',
        encryption: { scheme: 'luks2-aes-xts-plain64', scope: 'partial', keyHint: { kind: 'password' } },
        details: { encryptedVolumes: 1, partitions: 2 },
      },
      {
        file: 'gpt4k-random.img',
        format: 'encrypted-partition-disk',
        status: 'encrypted',
        encryption: { scheme: 'unknown-full-disk-encryption' },
        details: { randomPartitions: 1, partitions: 2, systemHeaderSector: false },
      },
      { file: 'gpt4k-empty.img', format: 'gpt-disk', status: 'analysable' },
    ],
    invalid: [{ file: 'cut-short.img', diagnostics: ['PARTITIONS_BEYOND_IMAGE'] }],
  },
  { framework: { describe, it } },
);

// Flipped and cut copies of the LUKS disks (fixed seed): a result or nothing, never an exception, and no read
// larger than a volume's 16 KiB head.
describe('fuzz: encrypted-partitions on damaged tables and volume headers', () => {
  it('no exception, bounded reads', async () => {
    let named = 0;
    const seeds = fixtureSeeds('encrypted-partitions', [
      'gpt-luks2.img',
      'mbr-luks1.img',
      'gpt-random.img',
      'gpt4k-luks2.img',
    ]);
    await fuzzVolumeParser(encryptedPartitionsParser, seeds, 'disk.img', 600, ({ result, largest }) => {
      if (result?.details?.encryptedVolumes) named++;
      expect(largest).toBeLessThanOrEqual(64 * 1024);
    });
    expect(named).toBeGreaterThan(100);
  });
});
