import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { arcDetector, crc16Arc } from './arc.js';

// Archives made by arc 5.21q itself, clear and garbled; look-alikes (fixtures/arc/generate.sh).
const garble = { scheme: 'arc-garble-xor', keyHint: { kind: 'password' } } as const;
testDetector(
  arcDetector,
  {
    fixtures: new URL('../../fixtures/arc/', import.meta.url),
    valid: [
      { file: 'clear.arc', format: 'arc', status: 'analysable', confidence: { min: 0.9 }, reasons: ['ARC_CLEAR'] },
      { file: 'squash.arc', format: 'arc', status: 'analysable', reasons: ['ARC_CLEAR'] },
      { file: 'stored.arc', format: 'arc', status: 'analysable', reasons: ['ARC_CLEAR'] },
      {
        file: 'garbled.arc',
        format: 'arc-encrypted',
        status: 'encrypted',
        reasons: ['ARC_GARBLED'],
        encryption: garble,
      },
      {
        file: 'squashg.arc',
        format: 'arc-encrypted',
        status: 'encrypted',
        reasons: ['ARC_GARBLED'],
        encryption: garble,
      },
      // A damaged stored entry fails its CRC as a garbled one does: called garbled, partly.
      {
        file: 'damaged-stored.arc',
        format: 'arc-encrypted',
        status: 'encrypted',
        confidence: { max: 0.85 },
        reasons: ['ARC_GARBLED'],
        encryption: { scheme: 'arc-garble-xor', scope: 'partial' },
      },
    ],
    invalid: [{ file: 'escape.bin' }, { file: 'generate.sh' }],
  },
  { framework: { describe, it } },
);

describe('ARC CRC-16', () => {
  it('is CRC-16/ARC (check value of "123456789" is 0xBB3D)', () => {
    expect(crc16Arc(Buffer.from('123456789'))).toBe(0xbb3d);
  });
});
