import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { dovecotFilesDetector } from './dovecot-files.js';

// Written by dovecot-lda (fixtures/dovecot-files/generate.sh).
testDetector(
  dovecotFilesDetector,
  {
    fixtures: new URL('../../fixtures/dovecot-files/', import.meta.url),
    valid: [
      { file: 'dovecot.index', format: 'dovecot-index', status: 'opaque', reasons: ['DOVECOT_INDEX_FILE'] },
      { file: 'dovecot.index.log', format: 'dovecot-index-log', status: 'opaque', reasons: ['DOVECOT_INDEX_FILE'] },
      { file: 'dovecot.index.cache', format: 'dovecot-index-cache', status: 'opaque' },
      { file: 'lz4-mail', format: 'dovecot-lz4', status: 'opaque', reasons: ['DOVECOT_LZ4'] },
    ],
    invalid: [
      { file: 'gz-mail', name: 'a mail the zlib plugin saved as gzip is a gzip file' },
      { file: 'renamed.index.log', name: 'a transaction log under another name' },
    ],
  },
  { framework: { describe, it } },
);
