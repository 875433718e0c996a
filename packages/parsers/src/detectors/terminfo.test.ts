import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { terminfoDetector } from './terminfo.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/terminfo/', import.meta.url);

// Compiled by ncurses' tic (fixtures/terminfo/generate.sh).
testDetector(
  terminfoDetector,
  {
    fixtures,
    valid: [
      { file: 'evterm', format: 'terminfo', status: 'analysable', reasons: ['TERMINFO_HEADER'] },
      { file: 'evterm-direct', format: 'terminfo', status: 'analysable', reasons: ['TERMINFO_HEADER'] },
    ],
    invalid: [{ file: 'cut-entry', name: 'an entry cut after 40 bytes: its sections do not fit' }],
  },
  { framework: { describe, it } },
);

describe('terminfo entries through the whole engine', () => {
  it('named with the entry name and format; a cut one only by libmagic', async () => {
    const items = await scanFixtures('terminfo');
    expect(items.get('evterm')?.classification.reasons[0]?.message).toContain('"evterm" (legacy format)');
    expect(items.get('evterm-direct')?.classification.reasons[0]?.message).toContain(
      '"evterm-direct" (extended, 32-bit numbers)',
    );
    // Cut short, it is left to libmagic, which still names the magic (recorded as libmagic's answer, not this check).
    expect(items.get('cut-entry')?.format?.detector).toBe('libmagic');
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: terminfo', () => {
  fuzzFlipCutGrow(
    terminfoDetector,
    ['evterm', 'evterm-direct'].map((f) => ['x', fs.readFileSync(new URL(f, fixtures))] as const),
    100,
  );
});
