import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { netcdfClassicDetector } from './netcdf-classic.js';

testDetector(
  netcdfClassicDetector,
  {
    fixtures: new URL('../../fixtures/netcdf-classic/', import.meta.url),
    valid: [
      {
        file: 'grid.nc',
        format: 'netcdf',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['NETCDF_HEADER'],
        details: { cdfVersion: 1 },
      },
      { file: 'grid-64bit.nc', format: 'netcdf', status: 'analysable', details: { cdfVersion: 2 } },
      { file: 'grid-cdf5.nc', format: 'netcdf', status: 'analysable', details: { cdfVersion: 5 } },
      { file: 'scalar-cdf5.nc', format: 'netcdf', status: 'analysable', details: { cdfVersion: 5 } },
    ],
    // A version netCDF never had; the magic followed by text, not a dimension list.
    invalid: [{ file: 'version3.nc' }, { file: 'cdf-text.txt' }],
  },
  { framework: { describe, it } },
);
