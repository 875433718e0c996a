import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { mobiDetector } from './mobi.js';

testDetector(
  mobiDetector,
  {
    fixtures: new URL('../../fixtures/mobi/', import.meta.url),
    valid: [
      {
        file: 'book.mobi',
        format: 'mobi',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['PALM_BOOK_CLEAR'],
      },
      { file: 'notes.pdb', format: 'palmdoc', status: 'analysable', reasons: ['PALM_BOOK_CLEAR'] },
      {
        // Encryption type 2 in the PalmDOC header: Mobipocket DRM, the key lives with the reader.
        file: 'book-drm.azw',
        format: 'mobi-drm',
        status: 'encrypted',
        reasons: ['MOBI_DRM'],
        encryption: { scheme: 'mobipocket-drm', keyHint: { kind: 'keystore' } },
      },
      { file: 'book.kfx', format: 'kfx', status: 'analysable', reasons: ['KFX_CONTAINER'] },
      {
        file: 'book-drmion.azw',
        format: 'kfx-drm',
        status: 'encrypted',
        reasons: ['KFX_DRMION'],
        encryption: { scheme: 'kindle-drmion', keyHint: { kind: 'keystore' } },
      },
    ],
    // The type/creator alone is not enough: record offsets out of order, an undefined encryption
    // type; nor a text starting "CONT", nor the DRMION magic without Ion after it.
    invalid: [
      { file: 'records-out-of-order.mobi' },
      { file: 'unknown-encryption.mobi' },
      { file: 'contents.txt' },
      { file: 'drmion-no-ion.bin' },
    ],
  },
  { framework: { describe, it } },
);
