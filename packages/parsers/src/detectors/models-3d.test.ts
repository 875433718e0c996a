import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { models3dDetector } from './models-3d.js';

// Files written by assimp 5.2.5 and taken from assimp's test models; two look-alikes (fixtures/models-3d/generate.sh).
testDetector(
  models3dDetector,
  {
    fixtures: new URL('../../fixtures/models-3d/', import.meta.url),
    valid: [
      { file: 'box.3ds', format: '3ds', status: 'analysable', confidence: { min: 0.9 }, reasons: ['THREE_DS_CHUNKS'] },
      { file: 'box-binary.stl', format: 'stl', status: 'analysable', reasons: ['STL_TRIANGLE_COUNT'] },
      // A binary STL whose header starts "solid" like an ASCII one: the triangle count decides.
      { file: 'binary-solid-header.stl', format: 'stl', status: 'analysable', reasons: ['STL_TRIANGLE_COUNT'] },
      { file: 'box-v1.glb', format: 'glb', status: 'analysable', reasons: ['GLB_HEADER'] },
      { file: 'box-v2.glb', format: 'glb', status: 'analysable', reasons: ['GLB_HEADER'] },
      // glTF 1.0 with an embedded JPEG: was taken for a JPEG body without its header.
      { file: 'box-v1-jpeg.glb', format: 'glb', status: 'analysable', reasons: ['GLB_HEADER'] },
      { file: 'box.x', format: 'directx-x', status: 'analysable', reasons: ['DIRECTX_X_HEADER'] },
      { file: 'cube-binary.x', format: 'directx-x', status: 'analysable', reasons: ['DIRECTX_X_HEADER'] },
      { file: 'cube-compressed.x', format: 'directx-x', status: 'analysable', reasons: ['DIRECTX_X_HEADER'] },
      { file: 'box.assbin', format: 'assbin', status: 'analysable', reasons: ['ASSBIN_HEADER'] },
      // FORM headers file-type names AIFF audio.
      { file: 'concave-polygon.lwo', format: 'lwo', status: 'analysable', reasons: ['IFF_MODEL_FORM'] },
      { file: 'sphere.lxo', format: 'lxo', status: 'analysable', reasons: ['IFF_MODEL_FORM'] },
      { file: 'twospheres.ms3d', format: 'ms3d', status: 'analysable', reasons: ['MS3D_HEADER'] },
      { file: 'hl1-studio.mdl', format: 'halflife-mdl', status: 'analysable', reasons: ['HL1_MDL_HEADER'] },
      { file: 'hl1-sequence-group.mdl', format: 'halflife-mdl', status: 'analysable', reasons: ['HL1_MDL_HEADER'] },
      // zlib-compressed chunks: compressed by design, named by the header.
      { file: 'cube.m3d', format: 'm3d', status: 'analysable', reasons: ['M3D_HEADER'] },
      { file: 'molecule.cob', format: 'cob', status: 'analysable', reasons: ['CALIGARI_HEADER'] },
      // Heads of larger files: the long magic names a cut file too.
      { file: 'mrfixit-head.iqm', format: 'iqm', status: 'analysable', reasons: ['IQM_HEADER'] },
      { file: 'earth-head.q3o', format: 'quick3d', status: 'analysable', reasons: ['QUICK3D_HEADER'] },
      { file: 'terrain-head.ter', format: 'ter', status: 'analysable', reasons: ['TERRAGEN_HEADER'] },
    ],
    // A header count that misses the size; a 3DS chunk length that is not the file's.
    invalid: [{ file: 'stl-count-wrong.bin' }, { file: '3ds-length-wrong.bin' }],
  },
  { framework: { describe, it } },
);
