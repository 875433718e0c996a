import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { macosVmFilesDetector } from './macos-vm-files.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/macos-vm-files/', import.meta.url);
const swap0 = 'private/var/vm/swapfile0';
const swap1 = 'System/Volumes/VM/swapfile1';
const sleep = 'private/var/vm/sleepimage';

// Written from the published description (fixtures/macos-vm-files/generate.py): no tool outside macOS writes them.
testDetector(
  macosVmFilesDetector,
  {
    fixtures,
    valid: [
      { file: swap0, format: 'macos-encrypted-swap', status: 'encrypted', reasons: ['MACOS_ENCRYPTED_SWAP'] },
      { file: swap1, format: 'macos-encrypted-swap', status: 'encrypted', reasons: ['MACOS_ENCRYPTED_SWAP'] },
      {
        file: sleep,
        format: 'macos-encrypted-sleepimage',
        status: 'encrypted',
        reasons: ['MACOS_ENCRYPTED_SLEEPIMAGE'],
        encryption: { scheme: 'macos-hibernation-aes', keyHint: { kind: 'hardware' } },
      },
    ],
    invalid: [
      { file: `clear/${sleep}`, name: 'a clear hibernation image (memory pages in clear)' },
      { file: 'zero/private/var/vm/swapfile2', name: 'a never-written (zero) swap file' },
    ],
  },
  { framework: { describe, it } },
);

describe('macOS VM files through the whole engine', () => {
  it('names encrypted swap with its scheme, and leaves a clear image unencrypted', async () => {
    const items = await scanFixtures('macos-vm-files');
    for (const name of [swap0, swap1]) {
      expect(items.get(name)?.format?.id, name).toBe('macos-encrypted-swap');
      expect(items.get(name)?.encryption?.scheme, name).toBe('macos-swap-aes');
      expect(items.get(name)?.encryption?.keyHint?.present, name).toBe('no');
    }
    expect(items.get(sleep)?.format?.id).toBe('macos-encrypted-sleepimage');
    expect(items.get(`clear/${sleep}`)?.classification.status).not.toBe('encrypted');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: macos-vm-files', () => {
  fuzzFlipCutGrow(
    macosVmFilesDetector,
    [swap0, sleep, `clear/${sleep}`].map(
      (name) => [name, fs.readFileSync(new URL(name, fixtures)).subarray(0, 3 * 4096)] as const,
    ),
    50,
  );
});
