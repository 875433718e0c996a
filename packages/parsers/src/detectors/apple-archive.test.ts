import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { appleArchiveDetector } from './apple-archive.js';

testDetector(
  appleArchiveDetector,
  {
    fixtures: new URL('../../fixtures/apple-archive/', import.meta.url),
    valid: [
      { file: 'documents.aar', format: 'apple-archive', status: 'analysable', reasons: ['APPLE_ARCHIVE_ENTRIES'] },
      { file: 'payload.yaa', format: 'apple-archive', status: 'analysable', reasons: ['APPLE_ARCHIVE_ENTRIES'] },
    ],
    invalid: [{ file: 'cut-field.aar', name: 'a header size that cuts its last field in half' }],
  },
  { framework: { describe, it } },
);
