import fs from 'node:fs';
import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { ecryptfsWrappedPassphraseV1Detector } from './ecryptfs-wrapped-passphrase-v1.js';

// ecryptfs-utils' own version-1 files, which the real ecryptfs-unwrap-passphrase opens
// (fixtures/ecryptfs-wrapped-passphrase-v1/generate.sh), and two near misses written there.
testDetector(
  ecryptfsWrappedPassphraseV1Detector,
  {
    fixtures: new URL('../../fixtures/ecryptfs-wrapped-passphrase-v1/', import.meta.url),
    valid: [
      {
        file: 'wp01',
        format: 'ecryptfs-wrapped-passphrase',
        status: 'encrypted',
        reasons: ['ECRYPTFS_WRAPPED_PASSPHRASE_V1'],
        encryption: { scheme: 'ecryptfs-wrapped-passphrase-v1', keyHint: { kind: 'password' } },
      },
      // A 64-byte passphrase of one repeated letter: AES-ECB gives four equal blocks.
      { file: 'wp02', format: 'ecryptfs-wrapped-passphrase', status: 'encrypted' },
      // A line end or a NUL after the whole blocks (fixtures/ecryptfs-wrapped-passphrase-v1/appended/make.sh).
      ...['wp01-lf', 'wp02-lf', 'wp02-crlf'].map((file) => ({
        file: `appended/${file}`,
        format: 'ecryptfs-wrapped-passphrase',
        status: 'encrypted' as const,
        reasons: ['ECRYPTFS_WRAPPED_PASSPHRASE_V1', 'TRAILING_DATA'],
      })),
      {
        file: 'appended/wp01-nul',
        format: 'ecryptfs-wrapped-passphrase',
        status: 'encrypted',
        reasons: ['ECRYPTFS_WRAPPED_PASSPHRASE_V1', 'TRAILING_ZERO_PADDING'],
      },
    ],
    invalid: [
      { file: 'hex-then-text.bin' },
      { file: 'hex-then-cut-block.bin' },
      { file: 'appended/hex-then-cut-block-lf.bin' },
    ],
  },
  { framework: { describe, it } },
);

describe('fuzz: ecryptfsWrappedPassphraseV1Detector', () => {
  fuzzFlipCutGrow(
    ecryptfsWrappedPassphraseV1Detector,
    ['wp01', 'wp02'].map(
      (name) =>
        [
          name,
          fs.readFileSync(new URL(`../../fixtures/ecryptfs-wrapped-passphrase-v1/${name}`, import.meta.url)),
        ] as const,
    ),
    20,
    { wholeHalf: true },
  );
});
