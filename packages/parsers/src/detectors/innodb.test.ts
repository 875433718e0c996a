import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { innodbDetector } from './innodb.js';

const encrypted = {
  format: 'innodb-tablespace-encrypted',
  status: 'encrypted',
  reasons: ['INNODB_MARIADB_CRYPT_DATA'],
  encryption: { scheme: 'mariadb-innodb-aes' },
} as const;
const plainSpace = { format: 'innodb-tablespace', status: 'analysable', reasons: ['INNODB_FSP_HEADER'] } as const;

testDetector(
  innodbDetector,
  {
    fixtures: new URL('../../fixtures/innodb/', import.meta.url),
    valid: [
      // Bytes after the structure's end (appended/make.sh): set aside and named.
      {
        file: 'appended/encrypted-text2k.ibd',
        format: 'innodb-tablespace-encrypted',
        status: 'encrypted',
        reasons: ['INNODB_MYSQL_ENCRYPTION', 'TRAILING_DATA'],
      },
      {
        file: 'appended/encrypted-lf.ibd',
        format: 'innodb-tablespace-encrypted',
        status: 'encrypted',
        reasons: ['INNODB_MYSQL_ENCRYPTION', 'TRAILING_DATA'],
      },
      {
        file: 'appended/encrypted-nul.ibd',
        format: 'innodb-tablespace-encrypted',
        status: 'encrypted',
        reasons: ['INNODB_MYSQL_ENCRYPTION', 'TRAILING_ZERO_PADDING'],
      },
      {
        file: 'appended/encrypted-zpad4k.ibd',
        format: 'innodb-tablespace-encrypted',
        status: 'encrypted',
        reasons: ['INNODB_MYSQL_ENCRYPTION', 'TRAILING_ZERO_PADDING'],
      },
      { file: 'page-4k/secret.ibd', ...encrypted },
      { file: 'page-16k/secret.ibd', ...encrypted },
      { file: 'page-4k/plain.ibd', ...plainSpace },
      { file: 'page-16k/plain.ibd', ...plainSpace },
      // Written from MySQL 8.0's layout (generate.sh): the ENCRYPTION flag and the "lCC" key information.
      {
        file: 'mysql-8/encrypted.ibd',
        format: 'innodb-tablespace-encrypted',
        status: 'encrypted',
        reasons: ['INNODB_MYSQL_ENCRYPTION'],
        encryption: { scheme: 'mysql-innodb-aes' },
      },
    ],
    // Page 0's FIL header before random bytes: the space id is not repeated and the size is not whole pages.
    invalid: [
      // appended/make.sh: the look-alikes that must stay refused.
      { file: 'appended/encrypted-byte.ibd' },
      { file: 'appended/encrypted-partial-page.ibd' },
      { file: 'look-alike.bin' },
    ],
  },
  { framework: { describe, it } },
);
