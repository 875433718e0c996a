import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { synologyArchiveDetector } from './synology-archive.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/synology-archive/', import.meta.url);

// Written from libmagic's published layout: fixtures/synology-archive/generate.sh.
testDetector(
  synologyArchiveDetector,
  {
    fixtures,
    valid: [
      {
        // Encrypted with keys every DSM holds: opaque by the class rule, where the statistics said encrypted.
        file: 'AudioStation-x86_64-7.0.0-5247.spk',
        format: 'synology-archive',
        status: 'opaque',
        reasons: ['SYNOLOGY_ARCHIVE'],
      },
    ],
    invalid: [{ file: 'no-metadata.bin', name: 'the magic and the array, but no package or version named' }],
  },
  { framework: { describe, it } },
);

describe('synology-archive on other bytes', () => {
  it('takes no random bytes behind the magic and the array head', () => {
    let found = 0;
    for (let i = 0; i < 20000; i++) {
      const b = seededBytes(i + 31, 64 + (i % 3000));
      b.set([0x01, 0xad, 0xbe, 0xef, 0x40, 0, 0, 0, 0x95, 0xc4, 0x20], 0);
      if (synologyArchiveDetector.detect(wholeFileProbe(b), { limits: DEFAULT_LIMITS })) found++;
    }
    expect(found).toBe(0);
  });
  fuzzFlipCutGrow(
    synologyArchiveDetector,
    [
      [
        'AudioStation-x86_64-7.0.0-5247.spk',
        new Uint8Array(fs.readFileSync(new URL('AudioStation-x86_64-7.0.0-5247.spk', fixtures))),
      ],
    ],
    100,
  );
});
