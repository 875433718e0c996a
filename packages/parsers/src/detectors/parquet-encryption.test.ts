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
    ],
    // A plain Parquet file stays with the Parquet readers; the magic around random bytes is not a footer.
    invalid: [{ file: 'plain.parquet' }, { file: 'look-alike.bin' }],
  },
  { framework: { describe, it } },
);
