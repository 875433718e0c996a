import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { codes, scanFixtures } from '../scan-fixtures.test-helper.js';
import { embeddedStreamsDetector } from './embedded-streams.js';

testDetector(
  embeddedStreamsDetector,
  {
    fixtures: new URL('../../fixtures/embedded-streams/', import.meta.url),
    valid: [
      { file: 'Payload', format: 'pbzx', status: 'analysable', reasons: ['PBZX_XZ_CHUNKS'] },
      {
        file: 'slot1.sav',
        format: 'compressed-behind-header',
        status: 'opaque',
        reasons: ['COMPRESSED_STREAM_AT_OFFSET'],
      },
      { file: 'level.bundle', format: 'compressed-behind-header', status: 'opaque' },
      // Alone the detector sees the stream; among all detectors the .pyc header (script-bytecode) wins (below).
      { file: 'bz2_constants.pyc', format: 'compressed-behind-header', status: 'opaque' },
    ],
    // A stream at offset 0 (sector.*: random bytes compressed) is the archives detector's, not this one's.
    invalid: [
      { file: 'bzh-no-block.bin' },
      { file: 'xz-bad-crc.bin' },
      { file: 'sector.xz' },
      { file: 'sector.zst' },
      { file: 'sector.bz2' },
    ],
  },
  { framework: { describe, it } },
);

describe('embedded-streams among the other detectors', () => {
  it('leaves a stream inside a format a detector names to that format, and claims it behind an unknown header', async () => {
    const items = await scanFixtures('embedded-streams');
    const pyc = items.get('bz2_constants.pyc');
    expect(pyc?.format?.id).toBe('bytecode.python');
    expect(pyc?.classification.status).toBe('analysable');
    expect(codes(pyc)).toContain('PYTHON_BYTECODE_HEADER');
    expect(items.get('slot1.sav')?.format?.id).toBe('compressed-behind-header');
    expect(items.get('level.bundle')?.format?.id).toBe('compressed-behind-header');
  });
});
