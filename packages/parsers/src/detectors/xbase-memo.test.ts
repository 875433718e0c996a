import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { xbaseMemoDetector } from './xbase-memo.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/xbase-memo/', import.meta.url);

// Made by python3-dbf (fixtures/xbase-memo/generate.sh).
testDetector(
  xbaseMemoDetector,
  {
    fixtures,
    valid: [
      { file: 'foxpro.fpt', format: 'foxpro-memo', status: 'analysable', reasons: ['FOXPRO_MEMO_HEADER'] },
      { file: 'vfp.fpt', format: 'foxpro-memo', status: 'analysable', reasons: ['FOXPRO_MEMO_HEADER'] },
      { file: 'dbase3.dbt', format: 'dbase-memo', status: 'analysable', reasons: ['DBASE_MEMO_HEADER'] },
      { file: 'clipper.dbt', format: 'dbase-memo', status: 'analysable', reasons: ['DBASE_MEMO_HEADER'] },
    ],
    invalid: [
      { file: 'cut.fpt', name: 'a memo file cut short: its next free block lies far past the end' },
      { file: 'counter.bin', name: 'a little-endian count and zeros' },
      { file: 'foxpro.dbf', name: 'the FoxPro table beside the memo file' },
      { file: 'vfp.dbf', name: 'the Visual FoxPro table' },
      { file: 'dbase3.dbf', name: 'the dBase III table' },
    ],
  },
  { framework: { describe, it } },
);

describe('xBase memo files through the whole engine', () => {
  it('named beside their tables; a cut one is not', async () => {
    const items = await scanFixtures('xbase-memo');
    expect(items.get('vfp.fpt')?.format?.id).toBe('foxpro-memo');
    expect(items.get('vfp.fpt')?.classification.status).toBe('analysable');
    expect(items.get('vfp.fpt')?.classification.reasons[0]?.message).toContain('the first memo (at 512) is text');
    expect(items.get('dbase3.dbt')?.format?.id).toBe('dbase-memo');
    expect(items.get('vfp.dbf')?.format?.id).toBe('dbase-table');
    expect(items.get('cut.fpt')?.format?.id).not.toBe('foxpro-memo');
  });
});

// Flipped and cut copies (fixed seed): every answer is a declared format or none, never an exception.
describe('fuzz: xbase-memo', () => {
  fuzzFlipCutGrow(
    xbaseMemoDetector,
    ['foxpro.fpt', 'dbase3.dbt'].map((f) => ['x', fs.readFileSync(new URL(f, fixtures))] as const),
    100,
    { wholeHalf: true },
  );
});
