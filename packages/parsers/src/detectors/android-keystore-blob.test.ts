import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { androidKeystoreBlobDetector } from './android-keystore-blob.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

testDetector(
  androidKeystoreBlobDetector,
  {
    fixtures: new URL('../../fixtures/android-keystore-blob/', import.meta.url),
    valid: [
      {
        file: 'misc/keystore/user_0/.masterkey',
        format: 'android-keystore-masterkey',
        status: 'encrypted',
        reasons: ['KEYSTORE_MASTER_KEY'],
        encryption: { scheme: 'android-keystore-aes-gcm', keyHint: { kind: 'password' } },
      },
      {
        file: 'misc/keystore/user_0/10068_USRPKEY_signing',
        format: 'android-keystore-key',
        status: 'encrypted',
        reasons: ['KEYSTORE_KEY_BLOB'],
        encryption: { scheme: 'keymaster-blob', keyHint: { kind: 'hardware', present: 'no' } },
      },
      {
        file: 'misc/keystore/user_0/10070_USRPKEY_vault',
        format: 'android-keystore-key',
        status: 'encrypted',
        encryption: { scheme: 'android-keystore-aes-gcm', keyHint: { kind: 'key-file' } },
      },
      {
        file: 'misc/keystore/user_0/10068_USRCERT_signing',
        format: 'android-keystore-blob',
        status: 'analysable',
        reasons: ['KEYSTORE_BLOB_CLEAR'],
      },
    ],
    invalid: [{ file: 'not-a-blob', name: 'a length field that does not give the file size' }],
  },
  { framework: { describe, it } },
);

describe('a keystore folder through the whole engine', () => {
  it('finds the master key that opens a super-encrypted blob beside it', async () => {
    const items = await scanFixtures('android-keystore-blob');
    const vault = items.get('misc/keystore/user_0/10070_USRPKEY_vault');
    expect(vault?.encryption?.keyHint).toMatchObject({
      kind: 'key-file',
      present: 'yes',
      foundAt: ['misc/keystore/user_0/.masterkey'],
    });
    // A blob the TEE alone wraps needs no file: the hint says it is never in a dump.
    expect(items.get('misc/keystore/user_0/10068_USRPKEY_signing')?.encryption?.keyHint?.present).toBe('no');
  });
});
