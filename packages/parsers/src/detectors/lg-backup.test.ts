import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { lgBackupDetector } from './lg-backup.js';
import { wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/lg-backup/', import.meta.url);

// Fixtures: ../../fixtures/lg-backup/generate.sh (the layout the public lbf extractor reads).
testDetector(
  lgBackupDetector,
  {
    fixtures,
    valid: [
      { file: 'backup.lbf', format: 'lg-backup', status: 'opaque', reasons: ['LG_BACKUP_HEADER'] },
      // Locked, with a header larger than the probe's tail: confirmed from its last block.
      { file: 'locked.lbf', format: 'lg-backup', status: 'opaque', reasons: ['LG_BACKUP_HEADER'] },
    ],
    invalid: [{ file: 'random.lbf' }],
  },
  { framework: { describe, it } },
);

describe('lg-backup trailer', () => {
  const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));
  // A probe as the engine builds it: 16 KiB head, 8 KiB tail.
  const probeOf = (bytes: Uint8Array, name: string) => ({
    path: name,
    logicalPath: name,
    name,
    extension: name.split('.').pop()!,
    size: bytes.length,
    head: bytes.subarray(0, 16384),
    tail: bytes.length > 16384 ? bytes.subarray(Math.max(16384, bytes.length - 8192)) : new Uint8Array(),
    samples: [],
    complete: bytes.length <= 16384,
  });
  const detect = (bytes: Uint8Array, name: string) =>
    lgBackupDetector.detect(probeOf(bytes, name), { limits: {} as never }) as Detection | undefined;

  it('says a locked backup is locked but its items are clear (not encrypted)', () => {
    const d = detect(read('locked.lbf'), 'locked.lbf');
    expect(d?.status).toBe('opaque');
    expect(d?.reasons[0]?.figures).toMatchObject({ locked: true, headerSize: 14800 });
    expect(d?.reasons[0]?.message).toMatch(/last block/);
    expect(detect(read('backup.lbf'), 'backup.lbf')?.reasons[0]?.figures).toMatchObject({ locked: false });
  });

  it('needs the .lbf name and a header that decrypts under the key', () => {
    expect(detect(read('backup.lbf'), 'backup.bin')).toBeUndefined();
    const damaged = read('backup.lbf').slice();
    const offset = Number(Buffer.from(damaged.subarray(damaged.length - 13, damaged.length - 5)).readBigUInt64BE());
    const size = Buffer.from(damaged.subarray(damaged.length - 5, damaged.length - 1)).readUInt32BE();
    damaged[offset] = damaged[offset]! ^ 0xff;
    expect(detect(damaged, 'backup.lbf')?.reasons[0]?.message).toMatch(/last block/);
    damaged[offset + size - 1] = damaged[offset + size - 1]! ^ 0xff;
    expect(detect(damaged, 'backup.lbf')).toBeUndefined();
  });
});

// The trailer is at the end, so cut copies lose it: flips keep the length, cuts and growth are checked apart.
describe('lg-backup on damaged copies', () => {
  it('no exception on flipped, cut and grown copies; copies of the right length still recognised', () => {
    const formats = new Set(lgBackupDetector.meta.formats.map((f) => f.id));
    const seed = new Uint8Array(fs.readFileSync(new URL('locked.lbf', fixtures)));
    let recognised = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.integer({ min: -64, max: 64 }),
        (flips, delta) => {
          const bytes = Buffer.alloc(Math.max(0, seed.length + delta));
          bytes.set(seed.subarray(0, Math.min(seed.length, bytes.length)));
          for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v;
          const d = lgBackupDetector.detect(wholeFileProbe(bytes, 'locked.lbf'), { limits: DEFAULT_LIMITS }) as
            Detection | undefined;
          if (d) {
            expect(formats.has(d.format.id)).toBe(true);
            recognised++;
          }
        },
      ),
      { numRuns: 2000, seed: 1206 },
    );
    // Only copies of the original length keep the trailer where it belongs (about 1 in 129 here).
    expect(recognised).toBeGreaterThan(20);
  });
});
