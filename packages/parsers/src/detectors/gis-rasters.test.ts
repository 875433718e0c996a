import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { gisRastersDetector } from './gis-rasters.js';

const ok = (file: string, format: string) => ({
  file,
  format,
  status: 'analysable' as const,
  confidence: { min: 0.9 },
  reasons: ['GIS_RASTER_HEADER'],
});

testDetector(
  gisRastersDetector,
  {
    fixtures: new URL('../../fixtures/gis-rasters/', import.meta.url),
    valid: [
      ok('elev.img', 'erdas-imagine'),
      ok('elev.pix', 'pcidsk'),
      ok('elev-head.dt0', 'dted'),
      ok('elev.grd', 'surfer-grid-7'),
      ok('elev.bt', 'vtp-binary-terrain'),
      ok('elev.sigdem', 'sigdem'),
      ok('elev-head.cub', 'isis3-cube'),
      ok('elev.cal', 'cals-raster'),
    ],
    // Each magic without the field or record that must follow it.
    invalid: [
      { file: 'hfa-note.img' },
      { file: 'pcidsk-note.txt' },
      { file: 'uhl-note.txt' },
      { file: 'bt-empty.bt' },
      { file: 'isis-note.txt' },
    ],
  },
  { framework: { describe, it } },
);
