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
import { vmdkDescriptorParser } from './vmdk-descriptor.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';

// qemu-img's descriptors of a split disk (its first extent beside it, unpacked here from .gz), of an empty split
// disk (352 bytes, shorter than a sector) and of a monolithicFlat disk whose flat extent was not kept
// (scripts/make-vm-guest-fixtures.sh).
const packed = new URL('../../fixtures/vmdk-descriptor/', import.meta.url);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmdk-descriptor-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
for (const name of fs.readdirSync(packed)) {
  const b = fs.readFileSync(new URL(name, packed));
  if (name.endsWith('.gz')) fs.writeFileSync(path.join(dir, name.slice(0, -3)), zlib.gunzipSync(b));
  else fs.writeFileSync(path.join(dir, name), b);
}

testParser(
  vmdkDescriptorParser,
  {
    fixtures: pathToFileURL(`${dir}/`),
    detectors: [diskImagesDetector],
    valid: [
      {
        file: 'split-luks1.vmdk',
        format: 'vmdk',
        status: 'analysable',
        // Whether the extent is in the source needs the scan's index (the real scan below).
        details: { createType: 'twoGbMaxExtentSparse', guestBytes: 1048576, extentsNamed: 1 },
      },
      {
        file: 'split-zero.vmdk',
        format: 'vmdk',
        status: 'analysable',
        details: { extents: ['split-zero-s001.vmdk (SPARSE, 2048 sectors, not in the source)'], extentsInSource: 0 },
      },
      {
        file: 'flat-luks1.vmdk',
        format: 'vmdk',
        status: 'analysable',
        details: {
          createType: 'monolithicFlat',
          extents: ['flat-luks1-flat.vmdk (FLAT, 2048 sectors, not in the source)'],
        },
      },
    ],
    invalid: [{ file: 'no-extents.vmdk', diagnostics: [] }],
    // The split disk's extent: vmdk-volume's (vmdk-volume.test.ts judges such extents).
    ignore: ['split-luks1-s001.vmdk'],
  },
  { framework: { describe, it } },
);

describe('vmdk-descriptor in a scan', () => {
  it('names the extent beside it as in the source, and the extent itself is judged encrypted', async () => {
    const items: EvidenceItem[] = [];
    for await (const item of scan(new FolderSource(dir), { plugins: builtinPlugins, containers: builtinContainers }))
      items.push(item);
    const byName = (n: string) => items.find((i) => i.path === n);
    expect(byName('split-luks1.vmdk')?.details?.['vmdk-descriptor']).toMatchObject({
      extents: ['split-luks1-s001.vmdk (SPARSE, 2048 sectors)'],
      extentsInSource: 1,
    });
    expect(byName('split-luks1-s001.vmdk')?.encryption?.scheme).toBe('luks1-aes-xts-plain64');
    expect(byName('split-zero.vmdk')?.classification.status).toBe('analysable');
  }, 60_000);
});

// Flipped, cut and extended descriptors (fixed seed): details or nothing, never an exception, at most 64 KiB read.
describe('fuzz: vmdk-descriptor on damaged descriptors', () => {
  it('no exception, bounded reads', async () => {
    const seed = fs.readFileSync(path.join(dir, 'split-luks1.vmdk'));
    let named = 0;
    for (let run = 0; run < 300; run++) {
      const b = Buffer.from(seed);
      const noise = seededBytes(run + 1, 8);
      for (let i = 0; i < 4; i++) b[(noise[i]! * 7 + run) % b.length] = noise[i + 4]!;
      const bytes =
        run % 3 === 0 ? Buffer.concat([b, seededBytes(run, 100_000)]) : b.subarray(0, (run * 37) % b.length);
      let largest = 0;
      const result = await vmdkDescriptorParser.parse({
        item: { size: bytes.length, path: 'x.vmdk' },
        probe: { name: 'x.vmdk' },
        read: (o: number, n: number) => {
          largest = Math.max(largest, n);
          return Promise.resolve(bytes.subarray(o, o + n));
        },
        findInSource: () => [],
        report: () => undefined,
      } as never);
      if (result?.details) named++;
      expect(largest).toBeLessThanOrEqual(64 * 1024);
    }
    expect(named).toBeGreaterThan(50);
  });
});
