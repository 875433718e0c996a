import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { randomSeedFilesDetector } from './random-seed-files.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// /dev/urandom bytes, as EntropyMixer and FreeBSD's save-entropy write them (fixtures/random-seed-files/generate.sh).
testDetector(
  randomSeedFilesDetector,
  {
    fixtures: new URL('../../fixtures/random-seed-files/', import.meta.url),
    valid: [
      { file: 'data/system/entropy.dat', format: 'random-seed', status: 'opaque', reasons: ['SAVED_RANDOM_SEED'] },
      { file: 'boot/entropy', format: 'random-seed', status: 'opaque' },
      { file: 'var/db/entropy/saved-entropy.1', format: 'random-seed', status: 'opaque' },
    ],
    invalid: [
      { file: 'not-a-seed/data/system/entropy.dat', name: 'text under the Android name' },
      { file: 'elsewhere/session.bin', name: 'the same random bytes under another name' },
    ],
  },
  { framework: { describe, it } },
);

describe('saved random seeds through the whole engine', () => {
  it('the path outranks the statistics (4 KiB of random bytes)', async () => {
    const items = await scanFixtures('random-seed-files');
    expect(items.get('data/system/entropy.dat')?.classification.status).toBe('opaque');
    expect(items.get('data/system/entropy.dat')?.format?.id).toBe('random-seed');
    // Random bytes with no such name stay with the statistics.
    expect(items.get('elsewhere/session.bin')?.classification.status).toBe('encrypted');
  });
});
