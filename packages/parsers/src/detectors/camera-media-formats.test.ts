import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { cameraMediaFormatsDetector } from './camera-media-formats.js';
import { fixtureBytes, wholeFileProbe } from './probe.test-helper.js';

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
      // Bytes after the size the header declares (a line feed, an appended note) are set aside and named.
      { file: 'clip-newline.moi', format: 'moi', status: 'analysable', reasons: ['MOI_HEADER', 'TRAILING_DATA'] },
      {
        file: 'clip-appended-note.moi',
        format: 'moi',
        status: 'analysable',
        reasons: ['MOI_HEADER', 'TRAILING_DATA'],
      },
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

describe('MOI with bytes after the size its header declares', () => {
  it('counts them and keeps the date', () => {
    const bytes = fixtureBytes('camera-media-formats', 'clip-appended-note.moi');
    const d = cameraMediaFormatsDetector.detect(wholeFileProbe(bytes, 'clip.moi'), {
      limits: DEFAULT_LIMITS,
    }) as Detection;
    expect(d.reasons[0]!.figures).toEqual({ recorded: '2011-05-15 17:58' });
    expect(d.reasons[0]!.message).toContain(`320 bytes of the file's ${bytes.length}`);
    expect(d.reasons[1]).toMatchObject({ code: 'TRAILING_DATA', figures: { trailingBytes: bytes.length - 320 } });
  });

  it('does not take a declared size larger than the file', () => {
    const bytes = fixtureBytes('camera-media-formats', 'clip.moi').subarray(0, 300);
    expect(cameraMediaFormatsDetector.detect(wholeFileProbe(bytes, 'clip.moi'), { limits: DEFAULT_LIMITS })).toBe(
      undefined,
    );
  });
});
