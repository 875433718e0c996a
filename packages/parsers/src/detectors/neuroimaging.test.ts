import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { neuroimagingDetector } from './neuroimaging.js';

const ok = (file: string, format: string) => ({
  file,
  format,
  status: 'analysable' as const,
  confidence: { min: 0.9 },
  reasons: ['NEUROIMAGING_HEADER'],
});

testDetector(
  neuroimagingDetector,
  {
    fixtures: new URL('../../fixtures/neuroimaging/', import.meta.url),
    valid: [
      ok('analyze.hdr', 'analyze-header'),
      ok('spm2.hdr', 'analyze-header'),
      ok('vol.mgh', 'freesurfer-mgh'),
      ok('fib.trk', 'trackvis'),
      ok('fib.tck', 'mrtrix-tracks'),
      ok('tinypet.v', 'ecat7'),
    ],
    // A datatype whose bits per pixel disagree; an MGH whose direction cosines are not unit vectors;
    // MRtrix's first line alone.
    invalid: [{ file: 'bad-bitpix.hdr' }, { file: 'bad-ras.mgh' }, { file: 'mrtrix-note.txt' }],
  },
  { framework: { describe, it } },
);
