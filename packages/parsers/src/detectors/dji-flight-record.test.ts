import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { djiFlightRecordDetector } from './dji-flight-record.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/dji-flight-record/', import.meta.url);

// Written from dji-log-parser's documented layout: fixtures/dji-flight-record/generate.sh.
testDetector(
  djiFlightRecordDetector,
  {
    fixtures,
    valid: [
      {
        file: 'DJIFlightRecord_2019-05-01_[10-00-00].txt',
        format: 'dji-flight-record',
        status: 'opaque',
        reasons: ['DJI_FLIGHT_RECORD'],
      },
      {
        file: 'DJIFlightRecord_2023-05-01_[10-00-00].txt',
        format: 'dji-flight-record-encrypted',
        status: 'encrypted',
        reasons: ['DJI_FLIGHT_RECORD_V13'],
        encryption: { scheme: 'dji-flight-record-v13-aes' },
      },
      // Renamed: eight frames in a chain carry it without the name.
      { file: 'flight-v14.bin', format: 'dji-flight-record-encrypted', status: 'encrypted' },
    ],
    invalid: [{ file: 'DJIFlightRecord_2023-06-01_[10-00-00].txt', name: 'the name, but a broken frame chain' }],
  },
  { framework: { describe, it } },
);

describe('dji-flight-record on other bytes', () => {
  it('takes no random buffers with a plausible prefix', () => {
    let found = 0;
    for (let i = 0; i < 30000; i++) {
      const b = seededBytes(i + 23, 200 + (i % 3000));
      // A details offset inside the file and a version 1-20.
      b.set([(100 + (i % 90)) & 0xff, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1 + (i % 20)], 0);
      if (djiFlightRecordDetector.detect(wholeFileProbe(b, `DJIFlightRecord_${i}.txt`), { limits: DEFAULT_LIMITS }))
        found++;
    }
    expect(found).toBe(0);
  });
  fuzzFlipCutGrow(
    djiFlightRecordDetector,
    ['DJIFlightRecord_2019-05-01_[10-00-00].txt', 'DJIFlightRecord_2023-05-01_[10-00-00].txt'].map(
      (n) => [n, new Uint8Array(fs.readFileSync(new URL(n, fixtures)))] as const,
    ),
    100,
    { wholeHalf: true },
  );
});
