/**
 * Fixture cases for the statistical fallback detector, with
 * @evtriage/core/testing (fixtures: ../../fixtures/statistics/, generate.sh).
 * Statistics never reach "certain": every confidence here stays below 0.7.
 */
import { testDetector } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { statisticsDetector } from './statistics.js';

const suspected = { max: 0.69 };

testDetector(
  statisticsDetector,
  {
    fixtures: new URL('../../fixtures/statistics/', import.meta.url),
    valid: [
      { file: 'raw-aes-ctr.bin', format: 'unknown-encrypted', status: 'encrypted', confidence: suspected, reasons: ['STATISTICALLY_RANDOM'], encryption: { scheme: 'unknown' } },
      { file: 'prefixed.bin', format: 'unknown-encrypted', status: 'encrypted', confidence: suspected },
      { file: 'raw-deflate.bin', format: 'compressed-unknown', status: 'opaque', confidence: suspected, reasons: ['HIGH_ENTROPY_NOT_RANDOM'] },
      { file: 'records.bin', format: 'binary-unknown', status: 'opaque', reasons: ['STRUCTURED_BINARY'] },
      { file: 'tiny-key.bin', format: 'random-keyfile', status: 'opaque', reasons: ['KEY_SIZED_RANDOM'] },
      { file: 'keyfile1', format: 'random-keyfile', status: 'opaque', reasons: ['RANDOM_KEY_MATERIAL'] },
      { file: 'archive.7z.002', format: 'split-archive-volume', status: 'opaque', reasons: ['SPLIT_ARCHIVE_CONTINUATION'] },
      { file: 'sqlcipher-whole.db', format: 'sqlcipher', status: 'encrypted', confidence: suspected, reasons: ['RANDOM_DATABASE'], encryption: { scheme: 'sqlcipher' } },
      { file: 'volume.hc', format: 'truecrypt-veracrypt', status: 'encrypted', confidence: suspected, reasons: ['RANDOM_VOLUME_HEADER'] },
      { file: 'notes.txt.cpt', format: 'ccrypt', status: 'encrypted', confidence: suspected, reasons: ['RANDOM_WITH_TOOL_EXTENSION'], encryption: { scheme: 'ccrypt', keyHint: { kind: 'password' } } },
    ],
    invalid: [
      { file: 'raw-deflate.bin', format: 'unknown-encrypted', name: 'compressed data must not be called ciphertext' },
      { file: 'records.bin', format: 'unknown-encrypted', name: 'structured records must not be called ciphertext' },
    ],
  },
  { framework: { describe, it } },
);
