import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { androidLockFilesDetector } from './android-lock-files.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
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
  fuzzFlipCutGrow(
    androidLockFilesDetector,
    [handle, gesture].map((name) => [name, fs.readFileSync(new URL(name, fixtures))] as const),
    100,
  );
});
