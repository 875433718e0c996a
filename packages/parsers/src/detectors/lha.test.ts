import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { lhaDetector } from './lha.js';

testDetector(
  lhaDetector,
  {
    fixtures: new URL('../../fixtures/lha/', import.meta.url),
    valid: [
      { file: 'level0.lzh', format: 'lzh', status: 'analysable', reasons: ['LHA_HEADER'], confidence: { min: 0.9 } },
      { file: 'level1.lzh', format: 'lzh', status: 'analysable', reasons: ['LHA_HEADER'] },
      { file: 'level2.lzh', format: 'lzh', status: 'analysable', reasons: ['LHA_HEADER'] },
      // Level 3: 32-bit sizes; the extended headers must add up to the header size.
      { file: 'level3.lzh', format: 'lzh', status: 'analysable', reasons: ['LHA_HEADER'] },
      { file: 'stored.lzh', format: 'lzh', status: 'analysable', reasons: ['LHA_HEADER'] },
      // PMarc's -pm0- is no file-type magic; the level-0 header checksum proves it.
      { file: 'stored.pma', format: 'lzh', status: 'analysable', reasons: ['LHA_HEADER'] },
      { file: 'selfextract.com', format: 'lzh-sfx', status: 'analysable', reasons: ['LHA_SFX_ARCHIVE'] },
    ],
    // A broken header checksum, a text naming the methods, and a stub whose archive does not
    // chain to an end-of-archive mark are not LHA.
    invalid: [{ file: 'bad-checksum.lzh' }, { file: 'methods.txt' }, { file: 'stub-no-end.com' }],
  },
  { framework: { describe, it } },
);
