import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { zbackupRepositoryDetector } from './zbackup.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { bundle, fixtures, index, misplaced } from './zbackup-fixtures.test-helper.js';

// The encrypted repository made by zbackup 1.5, beside the clear one: fixtures/zbackup/generate.sh.

testDetector(
  zbackupRepositoryDetector,
  {
    fixtures,
    valid: [
      {
        file: 'encrypted/info_extended',
        format: 'zbackup-encrypted-file',
        status: 'encrypted',
        reasons: ['ZBACKUP_ENCRYPTED_PATH'],
        encryption: { scheme: 'zbackup-pbkdf2-aes-128-cbc', keyHint: { kind: 'password' } },
      },
      { file: bundle, format: 'zbackup-encrypted-file', status: 'encrypted' },
      { file: index, format: 'zbackup-encrypted-file', status: 'encrypted' },
    ],
    // A backup's name is the user's; a clear file is not random; an id of 47 digits is not the layout.
    invalid: [
      { file: 'encrypted/backup' },
      { file: misplaced },
      { file: 'encrypted/info' },
      ...['plain-index', 'plain-info_extended', 'plain-info', 'plain-backup', 'plain-bundle', 'bad-checksum'].map(
        (file) => ({ file }),
      ),
    ],
  },
  { framework: { describe, it } },
);

describe('an encrypted zbackup repository through the whole engine', () => {
  it('every file is encrypted; those the layout names are named', async () => {
    const items = await scanFixtures('zbackup');
    for (const file of ['encrypted/info_extended', bundle, index]) {
      expect(items.get(file)!.format?.id).toBe('zbackup-encrypted-file');
      expect(items.get(file)!.classification.status).toBe('encrypted');
    }
    expect(items.get('encrypted/backup')!.classification.status).toBe('encrypted');
  });
});
