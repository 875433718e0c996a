import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { sqlcipherDetector } from './sqlcipher.js';

testDetector(
  sqlcipherDetector,
  {
    fixtures: new URL('../../fixtures/sqlcipher/', import.meta.url),
    valid: [
      {
        file: 'plaintext-header.db',
        format: 'sqlcipher',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['SQLCIPHER_PLAINTEXT_HEADER'],
        encryption: { scheme: 'sqlcipher' },
      },
    ],
    // A plain database, and one whose first page is empty, keep their SQLite reading.
    invalid: [{ file: 'plain.db' }, { file: 'zeroed-first-page.db' }],
  },
  { framework: { describe, it } },
);
