import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { bazaarDetector } from './bazaar.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/bazaar/', import.meta.url);
const index = (file: string) => ({
  file,
  format: 'bazaar-index',
  status: 'analysable' as const,
  reasons: ['BAZAAR_INDEX'],
});

// A Breezy 3.3 shared repository's files; look-alikes (fixtures/bazaar/generate.sh).
testDetector(
  bazaarDetector,
  {
    fixtures,
    valid: [
      { file: 'pack1.pack', format: 'bazaar-pack', status: 'analysable', reasons: ['BAZAAR_PACK'] },
      { file: 'pack2.pack', format: 'bazaar-pack', status: 'analysable', reasons: ['BAZAAR_PACK'] },
      ...['rix', 'iix', 'tix', 'six', 'cix'].flatMap((ext) => [index(`pack1.${ext}`), index(`pack2.${ext}`)]),
      index('pack-names'),
      { file: 'dirstate', format: 'bazaar-dirstate', status: 'analysable', reasons: ['BAZAAR_DIRSTATE'] },
    ],
    invalid: [{ file: 'not-a-pack.pack' }, { file: 'not-an-index.rix' }, { file: 'generate.sh' }],
  },
  { framework: { describe, it } },
);

describe('bazaar: damaged input', () => {
  const seeds = fs
    .readdirSync(fixtures)
    .filter((f) => !f.endsWith('.sh'))
    .map((f) => [f, new Uint8Array(fs.readFileSync(new URL(f, fixtures)))] as const);
  fuzzFlipCutGrow(bazaarDetector, seeds, 300);
});
