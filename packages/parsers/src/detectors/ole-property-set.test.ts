import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { olePropertySetDetector, readPropertySet } from './ole-property-set.js';

const dir = new URL('../../fixtures/ole-property-set/', import.meta.url);
const read = (name: string) => fs.readFileSync(new URL(name, dir));

// Excel's metadata streams, extracted by 7-Zip (fixtures/ole-property-set/generate.sh).
testDetector(
  olePropertySetDetector,
  {
    fixtures: dir,
    valid: [
      {
        file: 'excel-summary-information.bin',
        format: 'ole-property-set',
        status: 'analysable',
        reasons: ['OLE_PROPERTY_SET'],
      },
      {
        file: 'excel-document-summary-information.bin',
        format: 'ole-property-set',
        status: 'analysable',
        reasons: ['OLE_PROPERTY_SET'],
      },
    ],
    invalid: [{ file: 'near-miss.bin' }],
  },
  { framework: { describe, it } },
);

describe('readPropertySet', () => {
  it('reads the FMTID, the set count and the first set', () => {
    const b = read('excel-summary-information.bin');
    expect(readPropertySet(b, b.length)).toEqual({
      fmtid: 'f29f85e0-4ff9-1068-ab91-08002b27b3d9',
      sets: 1,
      properties: 7,
      size: 164,
    });
    const d = read('excel-document-summary-information.bin');
    expect(readPropertySet(d, d.length)?.fmtid).toBe('d5cdd502-2e9c-101b-9397-08002b2cf9ae');
  });
  it('refuses a set that runs past the file, a third set and a wrong byte order', () => {
    const b = read('excel-summary-information.bin');
    expect(readPropertySet(b.subarray(0, 100), 100)).toBeUndefined();
    const three = Buffer.from(b);
    three[24] = 3;
    expect(readPropertySet(three, three.length)).toBeUndefined();
    const swapped = Buffer.from(b);
    swapped[0] = 0xff;
    swapped[1] = 0xfe;
    expect(readPropertySet(swapped, swapped.length)).toBeUndefined();
  });
});

describe('fuzz: olePropertySetDetector', () => {
  fuzzFlipCutGrow(
    olePropertySetDetector,
    ['excel-summary-information.bin', 'excel-document-summary-information.bin'].map(
      (name) => [name, read(name)] as const,
    ),
    20,
  );
});
