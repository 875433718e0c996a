import { describe, expect, it } from 'vitest';
import { fixtureSeeds, fuzzVolumeParser } from './volume-fuzz.test-helper.js';
import { testParser } from '@evtriage/core/testing';
import { diskEncryptionDetector } from '../detectors/disk-encryption.js';
import { qcow2VolumeParser } from './qcow2-volume.js';

// qemu-img's QCOW2 images (crypt_method 0) of a LUKS1 and a LUKS2 volume, of a guest that starts with random
// bytes, of a GPT disk whose partition is LUKS1 (read a level deeper, by encrypted-partitions), of an ext4 file
// system and of an empty guest (fixtures/qcow2-volume/generate.sh).
testParser(
  qcow2VolumeParser,
  {
    fixtures: new URL('../../fixtures/qcow2-volume/', import.meta.url),
    detectors: [diskEncryptionDetector],
    valid: [
      {
        file: 'luks1-guest.qcow2',
        format: 'qcow2-encrypted-guest',
        status: 'encrypted',
        encryption: { scheme: 'luks1-aes-xts-plain64', keyHint: { kind: 'password' } },
        details: { guestBytes: 1048576, clusterBytes: 4096, volume: 'luks1' },
      },
      {
        file: 'luks2-guest.qcow2',
        format: 'qcow2-encrypted-guest',
        status: 'encrypted',
        encryption: { scheme: 'luks2-aes-xts-plain64' },
        details: { volume: 'luks2' },
      },
      {
        file: 'random-guest.qcow2',
        format: 'qcow2-encrypted-guest',
        status: 'encrypted',
        encryption: { scheme: 'unknown-full-disk-encryption', scope: 'full' },
        details: { volume: 'random-start' },
      },
      {
        file: 'gpt-luks-guest.qcow2',
        format: 'qcow2-encrypted-guest',
        status: 'encrypted',
        encryption: { scheme: 'luks1-aes-xts-plain64' },
        details: { volume: 'encrypted-partition-disk' },
      },
      { file: 'ext4-guest.qcow2', format: 'qcow2', status: 'analysable' },
      { file: 'zero-guest.qcow2', format: 'qcow2', status: 'analysable' },
    ],
    invalid: [{ file: 'l1-past-end.qcow2', diagnostics: ['QCOW2_TABLES_DAMAGED'] }],
  },
  { framework: { describe, it } },
);

// Flipped and cut copies (fixed seed): a result or nothing, never an exception, and no read larger than 16 KiB
// (the header, one table entry, or a guest window).
describe('fuzz: qcow2-volume on damaged headers and tables', () => {
  it('no exception, bounded reads', async () => {
    let encrypted = 0;
    const seeds = fixtureSeeds('qcow2-volume', ['luks1-guest.qcow2', 'luks2-guest.qcow2', 'random-guest.qcow2']);
    await fuzzVolumeParser(qcow2VolumeParser, seeds, 'x.qcow2', 800, ({ result, codes, largest }) => {
      for (const code of codes) expect(code).toBe('QCOW2_TABLES_DAMAGED');
      if (result?.reclassify?.status === 'encrypted') encrypted++;
      expect(largest).toBeLessThanOrEqual(16 * 1024);
    });
    expect(encrypted).toBeGreaterThan(150);
  });
});
