import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { asdfDetector } from './asdf.js';

const ok = (file: string) => ({
  file,
  format: 'asdf',
  status: 'analysable' as const,
  confidence: { min: 0.95 },
  reasons: ['ASDF_HEADER'],
  details: { blocks: true },
});

testDetector(
  asdfDetector,
  {
    fixtures: new URL('../../fixtures/asdf/', import.meta.url),
    valid: [ok('plain.asdf'), ok('zlib.asdf'), ok('bzp2.asdf')],
    invalid: [{ file: 'note.txt' }],
  },
  { framework: { describe, it } },
);
