import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { jbigDetector } from './jbig.js';

testDetector(
  jbigDetector,
  {
    fixtures: new URL('../../fixtures/jbig/', import.meta.url),
    valid: [
      { file: 'jbigkit/photo.jbg', format: 'jbig', status: 'analysable', reasons: ['JBIG_HEADER_AND_ESCAPES'] },
      { file: 'jbigkit/photo-layers.jbg', format: 'jbig', status: 'analysable', reasons: ['JBIG_HEADER_AND_ESCAPES'] },
      { file: 'jbigkit/photo-t85.jbg', format: 'jbig', status: 'analysable', reasons: ['JBIG_HEADER_AND_ESCAPES'] },
      { file: 'netpbm/photo.jbg', format: 'jbig', status: 'analysable', reasons: ['JBIG_HEADER_AND_ESCAPES'] },
    ],
    // Random data behind a JBIG header has 0xFF bytes no escape allows; a cut file does not end a stripe.
    invalid: [{ file: 'look-alike/random-body.jbg' }, { file: 'look-alike/cut.jbg' }],
  },
  { framework: { describe, it } },
);

describe('jbig on random bytes', () => {
  it('calls none of 2,000 seeded random buffers with a JBIG header and a final stripe end a picture', () => {
    let seed = 2026120703;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    const ctx = { limits: { probeHeadBytes: 65536, probeTailBytes: 16384 } };
    let claimed = 0;
    for (let i = 0; i < 2000; i++) {
      const head = Uint8Array.from({ length: 2048 + (next() << 4) }, next);
      head.set([0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 64, 0, 0, 0, 64, 8, 0, 3, 0x1c]);
      head.set([0xff, 0x02], head.length - 2);
      const probe = {
        path: 'x.jbg',
        logicalPath: 'x.jbg',
        name: 'x.jbg',
        extension: 'jbg',
        size: head.length,
        head,
        tail: new Uint8Array(0),
        samples: [],
        complete: true,
      };
      if (jbigDetector.detect(probe, ctx)) claimed++;
    }
    expect(claimed).toBe(0);
  });
});
