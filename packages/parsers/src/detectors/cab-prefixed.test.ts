import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { cabPrefixedDetector, cabinetAt } from './cab-prefixed.js';

testDetector(
  cabPrefixedDetector,
  {
    fixtures: new URL('../../fixtures/cab-prefixed/', import.meta.url),
    valid: [{ file: 'filler-then.cab', format: 'cab-prefixed', status: 'analysable', reasons: ['CAB_PREFIXED'] }],
    // A stated size past the end of the file (cabextract finds no cabinet there), and "MSCF"
    // followed by bytes whose fields do not agree.
    invalid: [{ file: 'stated-size-past-end.bin' }, { file: 'mscf-then-noise.bin' }],
  },
  { framework: { describe, it } },
);

describe('cabinetAt', () => {
  const header = (patch: (b: Uint8Array, v: DataView) => void): Uint8Array => {
    const b = new Uint8Array(64);
    const v = new DataView(b.buffer);
    b.set([0x4d, 0x53, 0x43, 0x46]);
    v.setUint32(8, 64, true); // cbCabinet
    v.setUint32(16, 44, true); // coffFiles: after one 8-byte folder entry
    b[24] = 3;
    b[25] = 1;
    v.setUint16(26, 1, true);
    v.setUint16(28, 1, true);
    patch(b, v);
    return b;
  };
  it('accepts consistent fields', () => {
    expect(
      cabinetAt(
        header(() => undefined),
        0,
        64,
      ),
    ).toMatchObject({ folders: 1, files: 1, size: 64 });
  });
  it('rejects each inconsistent field', () => {
    expect(
      cabinetAt(
        header((_, v) => v.setUint32(4, 1, true)),
        0,
        64,
      ),
    ).toBeUndefined(); // reserved1
    expect(
      cabinetAt(
        header((b) => (b[24] = 2)),
        0,
        64,
      ),
    ).toBeUndefined(); // version 1.2
    expect(
      cabinetAt(
        header((_, v) => v.setUint16(26, 0, true)),
        0,
        64,
      ),
    ).toBeUndefined(); // no folder
    expect(
      cabinetAt(
        header((_, v) => v.setUint32(16, 40, true)),
        0,
        64,
      ),
    ).toBeUndefined(); // files inside folders
    expect(
      cabinetAt(
        header((_, v) => v.setUint16(30, 8, true)),
        0,
        64,
      ),
    ).toBeUndefined(); // unknown flag
    expect(
      cabinetAt(
        header(() => undefined),
        0,
        63,
      ),
    ).toBeUndefined(); // longer than the file
  });
});
