import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { androidLockFilesDetector } from './android-lock-files.js';
import { wholeFileProbe } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/android-lock-files/', import.meta.url);
const handle = 'data/system/gatekeeper.password.key';
const gesture = 'data/system/gesture.key';

// Written from AOSP's sources (fixtures/android-lock-files/generate.py): gatekeeperd and LockSettingsService write them.
testDetector(
  androidLockFilesDetector,
  {
    fixtures,
    valid: [
      { file: handle, format: 'android-gatekeeper-handle', status: 'opaque', reasons: ['GATEKEEPER_HANDLE'] },
      { file: gesture, format: 'android-gesture-hash', status: 'opaque', reasons: ['GESTURE_KEY_HASH'] },
    ],
    invalid: [
      { file: 'not-a-key/data/system/gatekeeper.pin.key', name: 'text under a gatekeeper name' },
      // The same bytes elsewhere: only /data/system's names say what they are.
      { file: gesture, path: 'sdcard/Download/gesture.bin', name: 'a 20-byte file elsewhere' },
    ],
  },
  { framework: { describe, it } },
);

describe('lock-screen verifiers through the whole engine', () => {
  it('named by /data/system, where the statistics saw key-sized random bytes', async () => {
    const items = await scanFixtures('android-lock-files');
    expect(items.get(handle)?.format?.id).toBe('android-gatekeeper-handle');
    expect(items.get(gesture)?.format?.id).toBe('android-gesture-hash');
    for (const item of items.values()) expect(item.classification.status, item.path).not.toBe('encrypted');
  });
});

// Flipped, cut and grown copies under their names (fixed seed): a declared format or none, never an exception.
describe('fuzz: android-lock-files', () => {
  const seeds: Array<[string, Buffer]> = [handle, gesture].map((name) => [
    name,
    fs.readFileSync(new URL(name, fixtures)),
  ]);
  it('no exception on flipped, cut and grown inputs', () => {
    const formats = new Set(androidLockFilesDetector.meta.formats.map((f) => f.id));
    let recognised = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        ([name, seed], flips, cut) => {
          const bytes = Buffer.from(seed.subarray(0, cut % (seed.length + 8)));
          for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v;
          const d = androidLockFilesDetector.detect(wholeFileProbe(bytes, name), { limits: DEFAULT_LIMITS });
          if (d && !Array.isArray(d)) {
            expect(formats.has((d as { format: { id: string } }).format.id)).toBe(true);
            recognised++;
          }
        },
      ),
      { numRuns: 2000, seed: 1206 },
    );
    expect(recognised).toBeGreaterThan(100);
  });
});
