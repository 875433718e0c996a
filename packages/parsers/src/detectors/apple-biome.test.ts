import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { appleBiomeDetector } from './apple-biome.js';

testDetector(
  appleBiomeDetector,
  {
    fixtures: new URL('../../fixtures/apple-biome/', import.meta.url),
    valid: [
      { file: 'stream-v1', format: 'apple-biome', status: 'opaque', reasons: ['SEGB_RECORDS'] },
      { file: 'stream-v2', format: 'apple-biome', status: 'opaque', reasons: ['SEGB_RECORDS'] },
    ],
    invalid: [
      { file: 'crc-mismatch-v1', name: 'a version 1 record whose data does not match its CRC32' },
      { file: 'segb-then-random', name: 'the magic followed by random bytes' },
    ],
  },
  { framework: { describe, it } },
);
