import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { linuxLoginRecordsDetector } from './linux-login-records.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/linux-login-records/', import.meta.url);

// Written by util-linux's utmpdump -r (fixtures/linux-login-records/generate.sh); last(1) lists them.
testDetector(
  linuxLoginRecordsDetector,
  {
    fixtures,
    valid: [
      { file: 'wtmp', format: 'utmp', status: 'opaque', reasons: ['UTMP_RECORDS'] },
      { file: 'btmp', format: 'utmp', status: 'opaque', reasons: ['UTMP_RECORDS'] },
      { file: 'utmp', format: 'utmp', status: 'opaque', reasons: ['UTMP_RECORDS'] },
      { file: 'wtmp.1', format: 'utmp', status: 'opaque', reasons: ['UTMP_RECORDS'] },
    ],
    invalid: [
      { file: 'notes-384.bin', name: 'two 384-byte records whose reserved bytes hold text' },
      { file: 'all-empty.utmp', name: 'only empty, undated records' },
    ],
  },
  { framework: { describe, it } },
);

describe('Linux login records through the whole engine', () => {
  it('named from the records, not the name, and kept opaque', async () => {
    const items = await scanFixtures('linux-login-records');
    for (const f of ['wtmp', 'btmp', 'utmp']) {
      expect(items.get(f)?.format?.id).toBe('utmp');
      expect(items.get(f)?.classification.status).toBe('opaque');
    }
    expect(items.get('wtmp')?.classification.reasons[0]?.message).toContain(
      '5 records of 384 bytes (glibc struct utmp);',
    );
    expect(items.get('wtmp.1')?.classification.reasons[0]?.message).toContain(
      '5 records of 384 bytes (glibc struct utmp) and 1 trailing byte(s) of a partial record',
    );
    expect(items.get('notes-384.bin')?.format?.id).not.toBe('utmp');
  });
});

// Flipped and cut copies (fixed seed): every answer is a declared format or none, never an exception. Half keep
// their length (a cut one is rarely a whole number of records).
describe('fuzz: linux-login-records', () => {
  fuzzFlipCutGrow(
    linuxLoginRecordsDetector,
    ['wtmp', 'btmp', 'utmp'].map((f) => ['x', fs.readFileSync(new URL(f, fixtures))] as const),
    100,
    { wholeHalf: true },
  );
});
