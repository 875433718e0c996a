import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fontTextDetector } from './font-text.js';

// xfonts-base's decsess font as BDF (pcf2bdf), groff's FreeEuro Type 1 font and its metrics; look-alikes (generate.sh).
testDetector(
  fontTextDetector,
  {
    fixtures: new URL('../../fixtures/font-text/', import.meta.url),
    valid: [
      { file: 'decsess.bdf', format: 'bdf', status: 'analysable', confidence: { min: 0.9 }, reasons: ['BDF_HEADER'] },
      { file: 'freeeuro.pfa', format: 'pfa', status: 'analysable', reasons: ['TYPE1_HEADER'] },
      { file: 'freeeuro.afm', format: 'afm', status: 'analysable', reasons: ['AFM_HEADER'] },
    ],
    // A PostScript resource that derives a font (no Type 1 header); the keyword in prose.
    invalid: [{ file: 'symbolsl.pfa' }, { file: 'startfont-note.txt' }],
  },
  { framework: { describe, it } },
);
