import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { parquetEncryptionDetector } from './parquet-encryption.js';

testDetector(
  parquetEncryptionDetector,
  {
    fixtures: new URL('../../fixtures/parquet-encryption/', import.meta.url),
    valid: [
      {
        file: 'encrypted-footer.parquet',
        format: 'parquet-encrypted',
        status: 'encrypted',
        reasons: ['PARQUET_ENCRYPTED_FOOTER'],
        encryption: { scheme: 'parquet-aes-gcm', scope: 'full' },
      },
      {
        file: 'ctr.parquet',
        format: 'parquet-encrypted',
        status: 'encrypted',
        reasons: ['PARQUET_ENCRYPTED_FOOTER'],
        encryption: { scheme: 'parquet-aes-gcm-ctr' },
      },
      {
        file: 'plaintext-footer.parquet',
        format: 'parquet-encrypted',
        status: 'encrypted',
        reasons: ['PARQUET_ENCRYPTED_COLUMNS'],
        encryption: { scheme: 'parquet-aes-gcm', scope: 'partial' },
      },
      // The same files with bytes appended after the footer's magic (appended/make.sh): set aside and named.
      {
        file: 'appended/ctr-newline.parquet',
        format: 'parquet-encrypted',
        status: 'encrypted',
        reasons: ['PARQUET_ENCRYPTED_FOOTER', 'TRAILING_DATA'],
        encryption: { scheme: 'parquet-aes-gcm-ctr' },
      },
      {
        file: 'appended/encrypted-footer-log.parquet',
        format: 'parquet-encrypted',
        status: 'encrypted',
        reasons: ['PARQUET_ENCRYPTED_FOOTER', 'TRAILING_DATA'],
        encryption: { scheme: 'parquet-aes-gcm' },
      },
      {
        file: 'appended/plaintext-footer-padded.parquet',
        format: 'parquet-encrypted',
        status: 'encrypted',
        reasons: ['PARQUET_ENCRYPTED_COLUMNS', 'TRAILING_ZERO_PADDING'],
        encryption: { scheme: 'parquet-aes-gcm', scope: 'partial' },
      },
    ],
    // A plain Parquet file stays with the Parquet readers (with a line feed too); the magic around random bytes is
    // not a footer.
    invalid: [{ file: 'plain.parquet' }, { file: 'appended/plain-newline.parquet' }, { file: 'look-alike.bin' }],
  },
  { framework: { describe, it } },
);
