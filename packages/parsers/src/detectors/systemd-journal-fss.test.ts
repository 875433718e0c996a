import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { systemdJournalFssDetector } from './systemd-journal-fss.js';
import { wholeFileProbe } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/systemd-journal-fss/', import.meta.url);

// Made by journalctl 252 --setup-keys (fixtures/systemd-journal-fss/generate.sh).
testDetector(
  systemdJournalFssDetector,
  {
    fixtures,
    valid: [{ file: 'fss', format: 'journald-fss-key', status: 'opaque', reasons: ['JOURNALD_FSS_KEY'] }],
    invalid: [{ file: 'fss-cut', name: 'a key file cut short' }],
  },
  { framework: { describe, it } },
);

describe('journald FSS key through the whole engine', () => {
  it('names it as key material, never encrypted', async () => {
    const items = await scanFixtures('systemd-journal-fss');
    expect(items.get('fss')?.format?.id).toBe('journald-fss-key');
    for (const item of items.values()) expect(item.classification.status, item.path).not.toBe('encrypted');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: systemd-journal-fss', () => {
  const seed = fs.readFileSync(new URL('fss', fixtures));
  it('no exception on flipped, cut and grown inputs', () => {
    let recognised = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        (flips, cut) => {
          const bytes = Buffer.from(seed.subarray(0, cut % (seed.length + 8)));
          for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v;
          const d = systemdJournalFssDetector.detect(wholeFileProbe(bytes, 'fss'), { limits: DEFAULT_LIMITS });
          if (d && !Array.isArray(d)) {
            expect((d as { format: { id: string } }).format.id).toBe('journald-fss-key');
            recognised++;
          }
        },
      ),
      { numRuns: 2000, seed: 1206 },
    );
    // Only whole copies can pass (the state must fill the file): a few of the 2,000.
    expect(recognised).toBeGreaterThan(5);
  });
});
