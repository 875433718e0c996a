import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { diskImagesDetector } from '../detectors/disk-images.js';
import { libmagicDetector } from '../detectors/libmagic.js';
import { ewfVolumeParser } from './ewf-volume.js';
import { fuzzVolumeParser } from './volume-fuzz.test-helper.js';

// ewfacquire's four 1 MiB segments (uncompressed) of a 3 MiB guest that starts with a LUKS1 header
// (scripts/make-vm-guest-fixtures.sh): the first holds the guest's start, the others continue its chunks.
const packed = new URL('../../fixtures/ewf-volume/segments/', import.meta.url);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewf-segments-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
for (const name of fs.readdirSync(packed))
  fs.writeFileSync(path.join(dir, name.slice(0, -3)), zlib.gunzipSync(fs.readFileSync(new URL(name, packed))));

testParser(
  ewfVolumeParser,
  {
    fixtures: pathToFileURL(`${dir}/`),
    detectors: [libmagicDetector, diskImagesDetector],
    valid: [
      {
        file: 'seg.E01',
        format: 'ewf-encrypted-guest',
        status: 'encrypted',
        encryption: { scheme: 'luks1-aes-xts-plain64', keyHint: { kind: 'password' } },
        details: { volume: 'luks1', guestBytes: 3 * 1048576, chunkBytes: 32768 },
      },
    ],
    invalid: ['seg.E02', 'seg.E03', 'seg.E04'].map((file) => ({ file, diagnostics: ['EWF_GUEST_NOT_JUDGED'] })),
  },
  { framework: { describe, it } },
);

describe('ewf-volume: segments after the first', () => {
  it('each later segment names its segment number and where the verdict is', async () => {
    const b = fs.readFileSync(path.join(dir, 'seg.E03'));
    const messages: string[] = [];
    await ewfVolumeParser.parse({
      item: { size: b.length },
      probe: { name: 'seg.E03' },
      read: (o: number, n: number) => Promise.resolve(b.subarray(o, o + n)),
      report: (d: { message: string }) => messages.push(d.message),
    } as never);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('segment 3 of a multi-segment image');
  });

  // Flipped and cut segments (fixed seed): a result or nothing, never an exception, only declared diagnostics.
  it('fuzz: no exception, bounded reads', async () => {
    const declared = new Set(Object.keys(ewfVolumeParser.meta.diagnostics ?? {}));
    const seeds = ['seg.E01', 'seg.E02'].map((n) => fs.readFileSync(path.join(dir, n)));
    let encrypted = 0;
    await fuzzVolumeParser(ewfVolumeParser, seeds, 'x.E01', 300, ({ result, codes, largest, reads }) => {
      if (result?.reclassify?.status === 'encrypted') encrypted++;
      for (const code of codes) expect(declared.has(code)).toBe(true);
      expect(largest).toBeLessThanOrEqual(512 * 1024);
      expect(reads).toBeLessThan(20_000);
    });
    expect(encrypted).toBeGreaterThan(40);
  });
});
