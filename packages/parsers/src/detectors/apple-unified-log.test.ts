import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { appleUnifiedLogDetector } from './apple-unified-log.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/apple-unified-log/', import.meta.url);
const files = {
  tracev3: 'Persist/0000000000000001.tracev3',
  timesync: 'timesync/0000000000000001.timesync',
  uuidtext: 'uuidtext/7E/F56328D53A78B59CCCE3E3189F5701',
  dsc: 'uuidtext/dsc/8E21CAB1DCF936B49F85CF860E6F34EC',
};

// Written from dtformats' layouts (fixtures/apple-unified-log/generate.py); the shared corpus has real ones.
testDetector(
  appleUnifiedLogDetector,
  {
    fixtures,
    valid: [
      { file: files.tracev3, format: 'apple-tracev3', status: 'opaque', reasons: ['TRACEV3_CHUNKS'] },
      { file: files.timesync, format: 'apple-timesync', status: 'opaque', reasons: ['TIMESYNC_RECORDS'] },
      { file: files.uuidtext, format: 'apple-uuidtext', status: 'opaque', reasons: ['UUIDTEXT_HEADER'] },
      { file: files.dsc, format: 'apple-dsc', status: 'opaque', reasons: ['DSC_HEADER'] },
    ],
    invalid: [{ file: 'cut.tracev3', name: 'the header tag with its chunk cut' }],
  },
  { framework: { describe, it } },
);

describe('unified log files through the whole engine', () => {
  it('named, and kept opaque', async () => {
    const items = await scanFixtures('apple-unified-log');
    for (const [kind, file] of Object.entries(files)) {
      expect(items.get(file)?.format?.id, file).toBe(`apple-${kind}`);
      expect(items.get(file)?.classification.status, file).toBe('opaque');
    }
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: apple-unified-log', () => {
  fuzzFlipCutGrow(
    appleUnifiedLogDetector,
    Object.values(files).map((f) => ['x', fs.readFileSync(new URL(f, fixtures))] as const),
    100,
  );
});
