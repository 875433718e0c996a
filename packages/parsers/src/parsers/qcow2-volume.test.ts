import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParseContext } from '@evtriage/core/contract';
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
  const seeds = ['luks1-guest.qcow2', 'luks2-guest.qcow2', 'random-guest.qcow2'].map((name) =>
    fs.readFileSync(new URL(`../../fixtures/qcow2-volume/${name}`, import.meta.url)),
  );
  it('no exception, bounded reads', async () => {
    let encrypted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        async (seed, flips, cut) => {
          const bytes = Buffer.from(cut % 2 === 0 ? seed : seed.subarray(0, cut % (seed.length + 1)));
          // Half the flips land in the header (cluster bits, size, L1 offset and count).
          for (const [at, v] of flips) if (bytes.length > 0) bytes[(at % 2 === 0 ? at % 80 : at) % bytes.length] = v;
          const codes: string[] = [];
          let largest = 0;
          const ctx = {
            item: { size: bytes.length },
            probe: { path: 'x.qcow2', logicalPath: 'x.qcow2', name: 'x.qcow2', extension: 'qcow2' },
            read: (position: number, length: number) => {
              largest = Math.max(largest, length);
              return Promise.resolve(Buffer.from(bytes.subarray(position, position + length)));
            },
            report: (d: { code: string }) => codes.push(d.code),
          } as unknown as ParseContext;
          const result = await qcow2VolumeParser.parse(ctx);
          for (const code of codes) expect(code).toBe('QCOW2_TABLES_DAMAGED');
          if (result?.reclassify?.status === 'encrypted') encrypted++;
          expect(largest).toBeLessThanOrEqual(16 * 1024);
        },
      ),
      { seed: 20261207, numRuns: 800 },
    );
    expect(encrypted).toBeGreaterThan(150);
  });
});
