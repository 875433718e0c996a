import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { firebirdDetector } from './firebird.js';
import { leavesOtherDatabaseFiles } from './database-fixtures.test-helper.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

// Firebird 3.0's own database (its header page) and gbak backup; the encrypted header written from ods.h, as Debian
// ships no crypt plugin (fixtures/firebird/generate.sh).
const fixtures = new URL('../../fixtures/firebird/', import.meta.url);

testDetector(
  firebirdDetector,
  {
    fixtures,
    valid: [
      // Bytes after the structure's end (appended/make.sh): set aside and named.
      {
        file: 'appended/encrypted-text2k.fdb',
        format: 'firebird-database-encrypted',
        status: 'encrypted',
        reasons: ['FIREBIRD_HEADER_ENCRYPTED', 'TRAILING_DATA'],
      },
      {
        file: 'appended/encrypted-lf.fdb',
        format: 'firebird-database-encrypted',
        status: 'encrypted',
        reasons: ['FIREBIRD_HEADER_ENCRYPTED', 'TRAILING_DATA'],
      },
      {
        file: 'appended/encrypted-zpad4k.fdb',
        format: 'firebird-database-encrypted',
        status: 'encrypted',
        reasons: ['FIREBIRD_HEADER_ENCRYPTED'],
      },
      { file: 'shop.fdb', format: 'firebird-database', status: 'analysable', reasons: ['FIREBIRD_HEADER_PAGE'] },
      { file: 'shop.fbk', format: 'firebird-gbak-backup', status: 'analysable', reasons: ['FIREBIRD_GBAK_HEADER'] },
      {
        file: 'encrypted.fdb',
        format: 'firebird-database-encrypted',
        status: 'encrypted',
        reasons: ['FIREBIRD_HEADER_ENCRYPTED'],
        encryption: { scheme: 'firebird-db-crypt', scope: 'full', keyHint: { kind: 'key-file' } },
      },
    ],
    // The header page's first 20 bytes before random bytes, not whole pages.
    invalid: [
      // appended/make.sh: the look-alikes that must stay refused.
      { file: 'appended/encrypted-byte.fdb' },
      { file: 'appended/encrypted-nul.fdb' },
      { file: 'appended/encrypted-partial-page.fdb' },
      { file: 'look-alike.bin' },
    ],
  },
  { framework: { describe, it } },
);

describe('fuzz: firebird', () => {
  const seeds = ['shop.fdb', 'encrypted.fdb', 'shop.fbk'].map(
    (name) => [name, new Uint8Array(fs.readFileSync(new URL(name, fixtures)))] as const,
  );
  fuzzFlipCutGrow(firebirdDetector, seeds, 100, { wholeHalf: true });
  leavesOtherDatabaseFiles(firebirdDetector, 'firebird');
});
