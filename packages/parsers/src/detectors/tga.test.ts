import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { tgaDetector } from './tga.js';

// Images by ffmpeg's targa encoder, one without its footer, one cut short (generate.sh).
testDetector(
  tgaDetector,
  {
    fixtures: new URL('../../fixtures/tga/', import.meta.url),
    valid: [
      { file: 'frame.tga', format: 'tga', status: 'analysable', confidence: { min: 0.9 }, reasons: ['TGA_FOOTER'] },
      { file: 'frame-rle.tga', format: 'tga', status: 'analysable', reasons: ['TGA_FOOTER'] },
      // TGA 1.0: no footer, the size the header gives.
      { file: 'frame-v1.tga', format: 'tga', status: 'analysable', reasons: ['TGA_HEADER_SIZE'] },
      // TGA 1.0 run-length encoded: packets that end with the file.
      { file: 'frame-rle-v1.tga', format: 'tga', status: 'analysable', reasons: ['TGA_RLE_PACKETS'] },
      // Pillow's test image cut inside its last packet.
      {
        file: 'cross_scan_line_truncated.tga',
        format: 'tga',
        status: 'analysable',
        reasons: ['TGA_RLE_PACKETS'],
        confidence: { max: 0.75 },
      },
    ],
    // A header that fits, but neither a footer nor the size it describes: not enough without a magic number;
    // run-length packets that run past the end long before the last one.
    invalid: [{ file: 'cut-short.tga' }, { file: 'rle-cut-midway.tga' }],
  },
  { framework: { describe, it } },
);
