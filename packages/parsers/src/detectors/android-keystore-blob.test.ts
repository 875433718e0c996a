import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { androidKeystoreBlobDetector } from './android-keystore-blob.js';

testDetector(
  androidKeystoreBlobDetector,
  {
    fixtures: new URL('../../fixtures/android-keystore-blob/', import.meta.url),
    valid: [
      {
        file: 'user_0/.masterkey',
        format: 'android-keystore-masterkey',
        status: 'encrypted',
        reasons: ['KEYSTORE_MASTER_KEY'],
        encryption: { scheme: 'android-keystore-aes-gcm', keyHint: { kind: 'password' } },
      },
      {
        file: 'user_0/10068_USRPKEY_signing',
        format: 'android-keystore-key',
        status: 'encrypted',
        reasons: ['KEYSTORE_KEY_BLOB'],
        encryption: { scheme: 'keymaster-blob', keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        file: 'user_0/10070_USRPKEY_vault',
        format: 'android-keystore-key',
        status: 'encrypted',
        encryption: { scheme: 'android-keystore-aes-gcm', keyHint: { kind: 'key-file' } },
      },
      {
        file: 'user_0/10068_USRCERT_signing',
        format: 'android-keystore-blob',
        status: 'analysable',
        reasons: ['KEYSTORE_BLOB_CLEAR'],
      },
    ],
    invalid: [{ file: 'not-a-blob', name: 'a length field that does not give the file size' }],
  },
  { framework: { describe, it } },
);
