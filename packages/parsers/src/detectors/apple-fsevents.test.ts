import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { appleFseventsDetector } from './apple-fsevents.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/apple-fsevents/', import.meta.url);

// Real streams from published forensic test data (fixtures/apple-fsevents/generate.sh).
testDetector(
  appleFseventsDetector,
  {
    fixtures,
    valid: [
      { file: 'dls-v1', format: 'apple-fsevents-dls', status: 'opaque', reasons: ['APPLE_FSEVENTS_DLS'] },
      { file: 'dls-v2', format: 'apple-fsevents-dls', status: 'opaque', reasons: ['APPLE_FSEVENTS_DLS'] },
    ],
    invalid: [
      { file: 'dls-cut', name: 'a stream cut short (its size runs past the end)' },
      { file: 'fseventsd/0000000002d89b58', name: 'the gzip file itself (the archives detector)' },
      { file: 'fseventsd/00000000001a0b79', name: 'the gzip file itself, version 2' },
    ],
  },
  { framework: { describe, it } },
);

describe('FSEvents through the whole engine', () => {
  it('names the stream inside each .fseventsd gzip file', async () => {
    const items = await scanFixtures('apple-fsevents');
    for (const name of ['0000000002d89b58', '00000000001a0b79']) {
      expect(items.get(`fseventsd/${name}`)?.format?.id, name).toBe('gzip');
      const inner = [...items.values()].find((item) => item.path.startsWith(`fseventsd/${name}!/`));
      expect(inner?.format?.id, name).toBe('apple-fsevents-dls');
    }
  });
});

// Flipped, cut and grown copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: apple-fsevents', () => {
  fuzzFlipCutGrow(
    appleFseventsDetector,
    ['dls-v1', 'dls-v2'].map((name) => [name, fs.readFileSync(new URL(name, fixtures))] as const),
    20,
  );
});
