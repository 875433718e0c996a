import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { mdbxDetector } from './mdbx.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Written from libmdbx's published layout (no libmdbx build here): fixtures/mdbx/generate.sh.
testDetector(
  mdbxDetector,
  {
    fixtures: new URL('../../fixtures/mdbx/', import.meta.url),
    valid: [
      {
        file: 'default.isar',
        format: 'mdbx',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['MDBX_META_PAGES'],
      },
      { file: 'default.isar.lock', format: 'mdbx-lock', status: 'analysable', reasons: ['MDBX_LOCK_MAGIC'] },
    ],
    // The magic where a meta page's would be, but page 0 is not a meta page.
    invalid: [
      { file: 'not-meta.bin' },
      { file: 'lock-magic-bad-version.bin', name: 'the lock magic after version 201, then random bytes' },
    ],
  },
  { framework: { describe, it } },
);

describe('libmdbx meta pages', () => {
  it('wants every meta page the probe holds', async () => {
    const fs = await import('node:fs');
    const b = new Uint8Array(fs.readFileSync(new URL('../../fixtures/mdbx/default.isar', import.meta.url)));
    const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 4096 } };
    expect(mdbxDetector.detect(wholeFileProbe(b, 'default.isar'), ctx)).toBeDefined();
    const broken = Uint8Array.from(b);
    broken[2 * 4096 + 16] = 7; // meta page 2's page number
    expect(mdbxDetector.detect(wholeFileProbe(broken, 'default.isar'), ctx)).toBeUndefined();
  });

  it('takes no random file that carries the magic', () => {
    const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 4096 } };
    let found = 0;
    for (let i = 0; i < 2000; i++) {
      const b = seededBytes(i + 11, 12288 + (i % 5000));
      b.set([0x03, 0x11, 0x4c, 0xef, 0xbd, 0x9d, 0x65, 0x59], 20);
      b[10] = 0x08;
      if (mdbxDetector.detect(wholeFileProbe(b, `x${i}.isar`), ctx)) found++;
    }
    expect(found).toBe(0);
  });
});
