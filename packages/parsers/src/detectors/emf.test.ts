import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { emfDetector } from './emf.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

testDetector(
  emfDetector,
  {
    fixtures: new URL('../../fixtures/emf/', import.meta.url),
    valid: [
      // gnuplot's emf terminal; GraphicsMagick's test EMF with a JPEG inside.
      {
        file: 'plot.emf',
        format: 'emf',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['EMF_RECORD_CHAIN'],
      },
      {
        file: 'JPGinside.emf',
        format: 'emf',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['EMF_RECORD_CHAIN'],
      },
    ],
    invalid: [{ file: 'cut-record.emf' }, { file: 'broken-chain.bin' }],
  },
  { framework: { describe, it } },
);

describe('emf through the pipeline', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('emf');
  });

  it('walks the records to EMR_EOF and gives the header counts', () => {
    const figures = items.get('plot.emf')?.classification.reasons.find((r) => r.by === 'emf')?.figures;
    expect(figures).toMatchObject({ bytes: 12640, eof: true });
    expect(figures?.recordsRead).toBe(figures?.records);
  });

  it('reads an EMF that carries a JPEG as an EMF, not as a JPEG whose header was garbled', () => {
    const item = items.get('JPGinside.emf');
    expect(item?.format?.id).toBe('emf');
    expect(item?.classification.status).toBe('analysable');
    expect(item?.classification.reasons.find((r) => r.by === 'emf')?.figures).toMatchObject({
      bytes: 1944,
      records: 5,
    });
  });
});
