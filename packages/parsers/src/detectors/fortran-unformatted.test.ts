import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fortranUnformattedDetector } from './fortran-unformatted.js';

const ok = (file: string, order: string, whole = true) => ({
  file,
  format: 'fortran-unformatted',
  status: 'opaque' as const,
  reasons: ['FORTRAN_RECORD_MARKERS'],
  details: { markerBytes: 4, order, whole },
});

testDetector(
  fortranUnformattedDetector,
  {
    fixtures: new URL('../../fixtures/fortran-unformatted/', import.meta.url),
    valid: [
      ok('fortran-si4-1x3x5.dat', 'little'),
      ok('fortran-mixed.dat', 'little'),
      ok('fortran-sf8-15x10x22.dat', 'little'),
      ok('mesh.slf', 'big'),
    ],
    // Text after the last record (the chain does not reach the end); markers that disagree.
    invalid: [{ file: 'fortran-3x3d-2i.dat' }, { file: 'one-word.bin' }],
  },
  { framework: { describe, it } },
);
