import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { testParser } from '@evtriage/core/testing';
import { builtinContainers, builtinPlugins } from '../index.js';
import { diskImagesDetector } from '../detectors/disk-images.js';
import { libmagicDetector } from '../detectors/libmagic.js';
import { vmdkVolumeParser } from './vmdk-volume.js';
import { fuzzVolumeParser } from './volume-fuzz.test-helper.js';

// qemu-img's stream-optimized VMDK (OVF/OVA exports) and split-disk extents of a LUKS1 volume, of a guest whose
// start is random, of a GPT disk whose partition is LUKS1 and of one whose partition is ext4; a stream-optimized
// extent rewritten to VMware's grain directory in the footer; an OVA (TAR) holding one
// (scripts/make-vm-guest-fixtures.sh). Stored gzip-compressed, unpacked here unchanged.
const packed = new URL('../../fixtures/vmdk-volume/extents/', import.meta.url);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmdk-extents-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
for (const name of fs.readdirSync(packed))
  fs.writeFileSync(path.join(dir, name.slice(0, -3)), zlib.gunzipSync(fs.readFileSync(new URL(name, packed))));
const bytes = (name: string) => fs.readFileSync(path.join(dir, name));

const luks = {
  format: 'vmdk-encrypted-guest',
  status: 'encrypted' as const,
  encryption: { scheme: 'luks1-aes-xts-plain64', keyHint: { kind: 'password' as const } },
};
const random = {
  format: 'vmdk-encrypted-guest',
  status: 'encrypted' as const,
  encryption: { scheme: 'unknown-full-disk-encryption', scope: 'full' as const },
  details: { volume: 'random-start' },
};

testParser(
  vmdkVolumeParser,
  {
    fixtures: pathToFileURL(`${dir}/`),
    detectors: [libmagicDetector, diskImagesDetector],
    valid: [
      { file: 'stream-luks1.vmdk', ...luks, details: { volume: 'luks1', guestBytes: 1048576, grainBytes: 65536 } },
      { file: 'stream-gd-at-end.vmdk', ...luks, details: { volume: 'luks1', guestBytes: 1048576 } },
      { file: 'stream-random.vmdk', ...random },
      { file: 'stream-gpt-luks.vmdk', ...luks, details: { volume: 'encrypted-partition-disk' } },
      { file: 'stream-gpt-ext4.vmdk', format: 'vmdk', status: 'analysable' },
      { file: 'split-luks1-s001.vmdk', ...luks, details: { volume: 'luks1', extent: 1 } },
      { file: 'split-random-s001.vmdk', ...random },
      { file: 'split-gpt-ext4-s001.vmdk', format: 'vmdk', status: 'analysable' },
    ],
    invalid: [
      { file: 'stream-no-footer.vmdk', diagnostics: ['VMDK_TABLES_DAMAGED'] },
      // Mid-disk: its first grain is random, which says nothing there.
      { file: 'split-later-s002.vmdk', diagnostics: ['VMDK_GUEST_NOT_JUDGED'] },
      { file: 'split-renamed.vmdk', diagnostics: ['VMDK_GUEST_NOT_JUDGED'] },
    ],
    ignore: ['luks1.ova'],
  },
  { framework: { describe, it } },
);

describe('vmdk-volume: stream-optimized and split extents', () => {
  it('the stream-optimized extents store their grains compressed, behind grain markers', () => {
    const b = bytes('stream-luks1.vmdk');
    expect(b.readUInt32LE(8) & 0x30000).toBe(0x30000); // compressed grains and markers
    const gt = b.readUInt32LE(Number(b.readBigUInt64LE(56)) * 512);
    const grain = b.readUInt32LE(gt * 512) * 512;
    expect(b.readBigUInt64LE(grain)).toBe(0n); // the marker: guest sector 0 …
    expect(b.readUInt16BE(grain + 12)).toBe(0x789c); // … then a zlib stream
    expect(bytes('stream-gd-at-end.vmdk').readBigUInt64LE(56)).toBe(0xffff_ffff_ffff_ffffn);
  });

  it('an OVA (TAR) holding a stream-optimized extent of a LUKS volume: the extent is encrypted, the OVF is not', async () => {
    const scanned = fs.mkdtempSync(path.join(os.tmpdir(), 'vmdk-ova-'));
    try {
      fs.copyFileSync(path.join(dir, 'luks1.ova'), path.join(scanned, 'luks1.ova'));
      const items: EvidenceItem[] = [];
      for await (const item of scan(new FolderSource(scanned), {
        plugins: builtinPlugins,
        containers: builtinContainers,
      }))
        items.push(item);
      const disk = items.find((i) => i.path.endsWith('luks1-disk1.vmdk'));
      expect(disk?.classification.status).toBe('encrypted');
      expect(disk?.format?.id).toBe('vmdk-encrypted-guest');
      expect(disk?.encryption?.scheme).toBe('luks1-aes-xts-plain64');
      expect(items.find((i) => i.path.endsWith('luks1.ovf'))?.classification.status).not.toBe('encrypted');
    } finally {
      fs.rmSync(scanned, { recursive: true, force: true });
    }
  }, 60_000);

  // Flipped and cut extents (fixed seed): a result or nothing, never an exception, only declared diagnostics, and
  // no read past a grain's compressed bytes or a guest window.
  it('fuzz: no exception, bounded reads', async () => {
    const declared = new Set(Object.keys(vmdkVolumeParser.meta.diagnostics ?? {}));
    const seeds = ['stream-luks1', 'stream-gd-at-end', 'stream-gpt-luks', 'split-luks1-s001'].map((n) =>
      bytes(`${n}.vmdk`),
    );
    let encrypted = 0;
    await fuzzVolumeParser(vmdkVolumeParser, seeds, 'x-s001.vmdk', 400, ({ result, codes, largest, reads }) => {
      if (result?.reclassify?.status === 'encrypted') encrypted++;
      for (const code of codes) expect(declared.has(code)).toBe(true);
      expect(largest).toBeLessThanOrEqual(512 * 1024);
      expect(reads).toBeLessThan(20_000);
    });
    expect(encrypted).toBeGreaterThan(100);
  });
});
