import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { readerEbooksDetector } from './reader-ebooks.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/reader-ebooks/', import.meta.url);

testDetector(
  readerEbooksDetector,
  {
    fixtures,
    valid: [
      { file: 'book.rb', format: 'rocket-ebook', status: 'analysable', reasons: ['ROCKET_EBOOK_HEADER'] },
      { file: 'book.snb', format: 'snb-ebook', status: 'analysable', reasons: ['SNB_EBOOK_HEADER'] },
      { file: 'book.tcr', format: 'tcr-ebook', status: 'analysable', reasons: ['TCR_EBOOK_DICTIONARY'] },
    ],
    // A magic alone is not believed: a Rocket eBook whose size field is not the file's, an SNB book
    // without its closing tail, a text that starts with the TCR magic.
    invalid: [{ file: 'truncated.rb' }, { file: 'no-tail.snb' }, { file: 'mentions-magic.tcr' }],
  },
  { framework: { describe, it } },
);

describe('reader-ebooks robustness', () => {
  const seeds = ['book.rb', 'book.snb', 'book.tcr'].map(
    (f) => [f, new Uint8Array(readFileSync(new URL(f, fixtures)))] as const,
  );
  fuzzFlipCutGrow(readerEbooksDetector, seeds, 50, { wholeHalf: true });
});
