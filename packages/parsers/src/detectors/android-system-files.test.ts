import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { androidSystemFilesDetector } from './android-system-files.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/android-system-files/', import.meta.url);
const netstats = 'data/system/netstats/uid.1764583200000-1764669600000';
const procstats = 'data/system/procstats/state-2026-12-01-10-00-00.bin';
const bootArt = 'data/dalvik-cache/arm64/system@framework@boot.art';

// Written from AOSP's sources (fixtures/android-system-files/generate.py): system_server and dex2oat write them.
testDetector(
  androidSystemFilesDetector,
  {
    fixtures,
    valid: [
      { file: netstats, format: 'android-netstats', status: 'opaque', reasons: ['ANDROID_NETSTATS_HEADER'] },
      { file: procstats, format: 'android-procstats', status: 'opaque', reasons: ['ANDROID_PROCSTATS_HEADER'] },
      { file: bootArt, format: 'android-art-image', status: 'opaque', reasons: ['ART_IMAGE_HEADER'] },
    ],
    invalid: [{ file: 'netstats-v99.bin', name: 'ANET with a version NetworkStatsService never wrote' }],
  },
  { framework: { describe, it } },
);

describe('Android system files through the whole engine', () => {
  it('names what was unknown binary', async () => {
    const items = await scanFixtures('android-system-files');
    expect(items.get(netstats)?.format?.id).toBe('android-netstats');
    expect(items.get(procstats)?.format?.id).toBe('android-procstats');
    expect(items.get(bootArt)?.format?.id).toBe('android-art-image');
    for (const item of items.values()) expect(item.classification.status, item.path).not.toBe('encrypted');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: android-system-files', () => {
  fuzzFlipCutGrow(
    androidSystemFilesDetector,
    [netstats, procstats, bootArt].map(
      (name) => [name, fs.readFileSync(new URL(name, fixtures)).subarray(0, 2048)] as const,
    ),
    100,
  );
});
