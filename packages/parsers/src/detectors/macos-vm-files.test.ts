import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { macosVmFilesDetector } from './macos-vm-files.js';
import { wholeFileProbe } from './probe.test-helper.js';
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
  const seeds: Array<[string, Buffer]> = [swap0, sleep, `clear/${sleep}`].map((name) => [
    name,
    fs.readFileSync(new URL(name, fixtures)).subarray(0, 3 * 4096),
  ]);
  it('no exception on flipped, cut and grown inputs', () => {
    let recognised = 0;
    const formats = new Set(macosVmFilesDetector.meta.formats.map((f) => f.id));
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        ([name, seed], flips, cut) => {
          const bytes = Buffer.from(seed.subarray(0, cut % (seed.length + 8)));
          for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v;
          const d = macosVmFilesDetector.detect(wholeFileProbe(bytes, name), { limits: DEFAULT_LIMITS });
          if (d && !Array.isArray(d)) {
            expect(formats.has((d as { format: { id: string } }).format.id)).toBe(true);
            recognised++;
          }
        },
      ),
      { numRuns: 500, seed: 1206 },
    );
    expect(recognised).toBeGreaterThan(50);
  });
});
