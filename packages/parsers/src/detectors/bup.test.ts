import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { bupDetector } from './bup.js';

// bup's own files from a repository bup 0.33.7 made; look-alikes (fixtures/bup/generate.sh).
testDetector(
  bupDetector,
  {
    fixtures: new URL('../../fixtures/bup/', import.meta.url),
    valid: [
      { file: 'bupindex', format: 'bup-index', status: 'analysable', reasons: ['BUP_INDEX'] },
      { file: 'bup.bloom', format: 'bup-bloom', status: 'analysable', reasons: ['BUP_BLOOM'] },
      { file: 'repo.midx', format: 'bup-midx', status: 'analysable', reasons: ['BUP_MIDX'] },
    ],
    invalid: [
      { file: 'blom-note.txt' },
      { file: 'midx-note.txt' },
      { file: 'bad-version.bupindex' },
      { file: 'generate.sh' },
    ],
  },
  { framework: { describe, it } },
);
