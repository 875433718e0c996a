import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { cadExchangeDetector } from './cad-exchange.js';

// LibreCAD's DXF files, assimp's STEP and PLY, two VRML files written from the standard; look-alikes (generate.sh).
testDetector(
  cadExchangeDetector,
  {
    fixtures: new URL('../../fixtures/cad-exchange/', import.meta.url),
    valid: [
      { file: 'square.dxf', format: 'dxf', status: 'analysable', confidence: { min: 0.9 }, reasons: ['DXF_SECTION'] },
      { file: 'screw.dxf', format: 'dxf', status: 'analysable', reasons: ['DXF_SECTION'] },
      { file: 'box.stp', format: 'step', status: 'analysable', reasons: ['STEP_HEADER'] },
      { file: 'cube.ply', format: 'ply-model', status: 'analysable', reasons: ['PLY_HEADER'] },
      { file: 'cube_binary.ply', format: 'ply-model', status: 'analysable', reasons: ['PLY_HEADER'] },
      { file: 'cube.wrl', format: 'vrml', status: 'analysable', reasons: ['VRML_HEADER'] },
      { file: 'cube-v1.wrl', format: 'vrml', status: 'analysable', reasons: ['VRML_HEADER'] },
    ],
    // A SystemTap script shares STEP's extension; "SECTION" without a DXF section name is prose.
    invalid: [{ file: 'systemtap.stp' }, { file: 'section-word.txt' }],
  },
  { framework: { describe, it } },
);
