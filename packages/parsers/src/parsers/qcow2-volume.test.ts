import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
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
    invalid: [
      { file: 'l1-past-end.qcow2', diagnostics: ['QCOW2_TABLES_DAMAGED'] },
      // An overlay storing no cluster: its guest (a LUKS volume) is in the backing file it names.
      { file: 'overlay-of-luks1.qcow2', diagnostics: ['QCOW2_GUEST_IN_BACKING_FILE'] },
    ],
    // The compressed images, gzip-compressed: unpacked and tested below.
    ignore: fs.readdirSync(new URL('../../fixtures/qcow2-volume/', import.meta.url)).filter((n) => n.endsWith('.gz')),
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

// The same guests compressed by `qemu-img convert -c` (raw DEFLATE clusters) and with compression_type=zstd
// (Zstandard frames), stored gzip-compressed and unpacked here unchanged.
const packed = new URL('../../fixtures/qcow2-volume/', import.meta.url);
const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'qcow2-compressed-'));
afterAll(() => fs.rmSync(unpacked, { recursive: true, force: true }));
const compressed = fs.readdirSync(packed).filter((n) => n.endsWith('.qcow2.gz'));
for (const name of compressed)
  fs.writeFileSync(path.join(unpacked, name.slice(0, -3)), zlib.gunzipSync(fs.readFileSync(new URL(name, packed))));

testParser(
  qcow2VolumeParser,
  {
    fixtures: pathToFileURL(`${unpacked}/`),
    detectors: [diskEncryptionDetector],
    valid: [
      ...['compressed', 'zstd'].flatMap((kind) => [
        {
          file: `${kind}-luks1-guest.qcow2`,
          format: 'qcow2-encrypted-guest',
          status: 'encrypted' as const,
          encryption: { scheme: 'luks1-aes-xts-plain64', keyHint: { kind: 'password' as const } },
          details: { guestBytes: 1048576, clusterBytes: 4096, volume: 'luks1' },
        },
        {
          file: `${kind}-random-guest.qcow2`,
          format: 'qcow2-encrypted-guest',
          status: 'encrypted' as const,
          encryption: { scheme: 'unknown-full-disk-encryption', scope: 'full' as const },
          details: { volume: 'random-start' },
        },
        { file: `${kind}-ext4-guest.qcow2`, format: 'qcow2', status: 'analysable' as const },
      ]),
      {
        file: 'compressed-luks2-guest.qcow2',
        format: 'qcow2-encrypted-guest',
        status: 'encrypted',
        encryption: { scheme: 'luks2-aes-xts-plain64' },
        details: { volume: 'luks2' },
      },
      {
        file: 'compressed-gpt-luks-guest.qcow2',
        format: 'qcow2-encrypted-guest',
        status: 'encrypted',
        encryption: { scheme: 'luks1-aes-xts-plain64' },
        details: { volume: 'encrypted-partition-disk' },
      },
    ],
    invalid: [{ file: 'zstd-unknown-type.qcow2', diagnostics: ['QCOW2_TABLES_DAMAGED'] }],
  },
  { framework: { describe, it } },
);

describe('qcow2-volume: an overlay', () => {
  it('names the backing file its guest is in', async () => {
    const b = fs.readFileSync(new URL('../../fixtures/qcow2-volume/overlay-of-luks1.qcow2', import.meta.url));
    const messages: string[] = [];
    const result = await qcow2VolumeParser.parse({
      item: { size: b.length },
      probe: { name: 'overlay-of-luks1.qcow2' },
      read: (o: number, n: number) => Promise.resolve(b.subarray(o, o + n)),
      report: (d: { message: string }) => messages.push(d.message),
    } as never);
    expect(result).toBeUndefined();
    expect(messages).toEqual([expect.stringContaining('backing file "luks1-guest.qcow2"')]);
  });
});

describe('qcow2-volume: compressed clusters', () => {
  // The verdict must come from inflated clusters: the LUKS header's cluster is stored with bit 62 set.
  it("the LUKS guest's first cluster is stored compressed, in both compression types", () => {
    for (const kind of ['compressed', 'zstd']) {
      const b = fs.readFileSync(path.join(unpacked, `${kind}-luks1-guest.qcow2`));
      const l2 = Number(b.readBigUInt64BE(Number(b.readBigUInt64BE(40))) & 0x00ff_ffff_ffff_fe00n);
      expect(b.readBigUInt64BE(l2) >> 62n).toBe(1n);
      expect(b[104]).toBe(kind === 'zstd' ? 1 : 0);
    }
  });

  it('flipped and cut compressed images: no exception, bounded reads', async () => {
    let encrypted = 0;
    const seeds = ['compressed-luks1', 'compressed-gpt-luks', 'zstd-luks1', 'zstd-random'].map((g) =>
      fs.readFileSync(path.join(unpacked, `${g}-guest.qcow2`)),
    );
    await fuzzVolumeParser(qcow2VolumeParser, seeds, 'x.qcow2', 600, ({ result, codes, largest }) => {
      for (const code of codes) expect(code).toBe('QCOW2_TABLES_DAMAGED');
      if (result?.reclassify?.status === 'encrypted') encrypted++;
      // A guest window, or one compressed cluster's stored bytes (at most a cluster and a sector).
      expect(largest).toBeLessThanOrEqual(16 * 1024);
    });
    expect(encrypted).toBeGreaterThan(100);
  });
});
