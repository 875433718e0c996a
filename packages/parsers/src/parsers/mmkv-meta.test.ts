import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { mmkvDetector } from '../detectors/mmkv.js';
import { statisticsDetector } from '../detectors/statistics.js';
import { mmkvMetaParser } from './mmkv-meta.js';

// Written from MMKV's published layout by fixtures/mmkv/generate.sh, which copies them to
// fixtures/mmkv-meta/. Each data file is identified as a scan would (the mmkv detector, else the
// statistics) and its .crc sibling is read by the parser.
testParser(
  mmkvMetaParser,
  {
    fixtures: new URL('../../fixtures/mmkv-meta/', import.meta.url),
    detectors: [mmkvDetector, statisticsDetector],
    ignore: ['**/*.crc'],
    valid: [
      {
        // CRC-32 of the ciphertext and a random IV in the meta: encrypted, certain.
        file: 'mmkv/secure-storage',
        format: 'mmkv-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'mmkv-aes-cfb-128', keyHint: { kind: 'keystore' } },
        details: { meta: { version: 3, ivSet: true, crcMatches: true } },
      },
      {
        // The same instance outside an mmkv folder: the statistics call its short random body before
        // zero padding unrecognised binary; the meta file beside it decides.
        file: 'encrypted-elsewhere',
        format: 'mmkv-encrypted',
        status: 'encrypted',
        encryption: { scheme: 'mmkv-aes-cfb-128' },
      },
      {
        file: 'mmkv/mmkv.default',
        format: 'mmkv',
        status: 'analysable',
        details: { meta: { version: 3, sequence: 2, ivSet: false, crcMatches: true } },
      },
      {
        file: 'mmkv/com.example.settings',
        format: 'mmkv',
        status: 'analysable',
        details: { meta: { crcMatches: true } },
      },
    ],
    invalid: [
      // The meta's CRC is not the body's: the suspicion stays, with the mismatch reported.
      {
        file: 'mmkv/wrong-crc',
        format: 'mmkv-encrypted',
        diagnostics: ['MMKV_CRC_MISMATCH'],
        details: { meta: { crcMatches: false } },
      },
      // No meta file beside random bytes: nothing to say.
      { file: 'random-page', format: 'binary-unknown', diagnostics: [] },
    ],
  },
  { framework: { describe, it } },
);
