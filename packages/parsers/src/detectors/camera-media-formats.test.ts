import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { cameraMediaFormatsDetector } from './camera-media-formats.js';

testDetector(
  cameraMediaFormatsDetector,
  {
    fixtures: new URL('../../fixtures/camera-media-formats/', import.meta.url),
    valid: [
      { file: 'recipe.vrd', format: 'canon-vrd', status: 'analysable', reasons: ['CANON_VRD_HEADER'] },
      { file: 'recipe.dr4', format: 'canon-dr4', status: 'analysable', reasons: ['CANON_DR4_HEADER'] },
      { file: 'thermal.fpf', format: 'flir-fpf', status: 'analysable', reasons: ['FLIR_FPF_HEADER'] },
      { file: 'memo.dss', format: 'dss', status: 'analysable', reasons: ['DSS_HEADER'] },
      { file: 'clip.r3d', format: 'red-r3d', status: 'analysable', reasons: ['R3D_HEADER'] },
      { file: 'book.aa', format: 'audible-aa', status: 'analysable', reasons: ['AUDIBLE_AA_HEADER'] },
      { file: 'picture.pmp', format: 'sony-pmp', status: 'analysable', reasons: ['SONY_PMP_HEADER'] },
      { file: 'contax.raw', format: 'kyocera-raw', status: 'analysable', reasons: ['KYOCERA_RAW_HEADER'] },
      { file: 'clip.moi', format: 'moi', status: 'analysable', reasons: ['MOI_HEADER'] },
    ],
    invalid: [
      { file: 'wrong-length.vrd', name: 'a VRD header whose declared length does not match the file' },
      { file: 'binary-model.dss', name: 'a DSS header with binary bytes where the model name goes' },
      { file: 'wrong-size.aa', name: "the Audible magic behind a size that is not the file's" },
      { file: 'long-atom.r3d', name: 'a RED header atom longer than the file' },
      { file: 'wrong-date.moi', name: 'an MOI header whose month is 13' },
    ],
  },
  { framework: { describe, it } },
);
