import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { musepackLegacyDetector } from './musepack-legacy.js';
import { wholeFileProbe } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// TagLib's Musepack stream version 4 and 5 headers, and near misses: fixtures/musepack-legacy/generate.sh.
testDetector(
  musepackLegacyDetector,
  {
    fixtures: new URL('../../fixtures/musepack-legacy/', import.meta.url),
    valid: [
      { file: 'sv4_header.mpc', format: 'mpc', status: 'analysable', reasons: ['MUSEPACK_SV4_6_HEADER'] },
      { file: 'sv5_header.mpc', format: 'mpc', status: 'analysable', reasons: ['MUSEPACK_SV4_6_HEADER'] },
    ],
    invalid: [
      { file: 'block-size-2.mpc', name: 'a block size libmpcdec rejects' },
      { file: 'version-7.mpc', name: 'stream version 7, which has the MP+ magic' },
    ],
  },
  { framework: { describe, it } },
);

describe('musepack-legacy', () => {
  it('takes none of 50,000 seeded random buffers', () => {
    let seed = 4;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    let hits = 0;
    for (let n = 0; n < 50000; n++) {
      const head = new Uint8Array(64);
      for (let i = 0; i < head.length; i++) head[i] = next();
      const probe = wholeFileProbe(head, 'x.bin');
      if (musepackLegacyDetector.detect(probe, { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } })) hits++;
    }
    expect(hits).toBe(0);
  });

  it('through the whole engine: Musepack audio, where the statistics said random (encrypted)', async () => {
    const items = await scanFixtures('musepack-legacy');
    for (const file of ['sv4_header.mpc', 'sv5_header.mpc']) {
      expect(items.get(file)?.format?.id, file).toBe('mpc');
      expect(items.get(file)?.classification.status, file).toBe('analysable');
    }
  });
});
