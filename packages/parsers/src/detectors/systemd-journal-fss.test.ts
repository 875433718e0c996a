import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { systemdJournalFssDetector } from './systemd-journal-fss.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
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
  // Only whole copies can pass (the state must fill the file): a few of the 2,000.
  fuzzFlipCutGrow(systemdJournalFssDetector, [['fss', fs.readFileSync(new URL('fss', fixtures))] as const], 5);
});
