import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { zbackupDetector } from './zbackup.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { bundle, fixtures, index, misplaced } from './zbackup-fixtures.test-helper.js';

// Repositories made by zbackup 1.5; see fixtures/zbackup/generate.sh.

testDetector(
  zbackupDetector,
  {
    fixtures,
    valid: [
      {
        file: 'encrypted/info',
        format: 'zbackup-info-encrypted',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['ZBACKUP_ENCRYPTED_INFO'],
        encryption: { scheme: 'zbackup-pbkdf2-aes-128-cbc', keyHint: { kind: 'password' } },
      },
      { file: 'plain-info', format: 'zbackup-file', status: 'analysable', reasons: ['ZBACKUP_FILE_HEADER'] },
      { file: 'plain-info_extended', format: 'zbackup-file', status: 'analysable' },
      { file: 'plain-backup', format: 'zbackup-file', status: 'analysable', confidence: { min: 0.95 } },
      { file: 'plain-index', format: 'zbackup-file', status: 'analysable' },
      { file: 'plain-bundle', format: 'zbackup-file', status: 'analysable' },
    ],
    // Ciphertext has no clear header; a changed byte fails the Adler-32.
    invalid: [
      { file: 'encrypted/backup' },
      { file: 'bad-checksum' },
      { file: 'encrypted/info_extended' },
      { file: bundle },
      { file: index },
      { file: misplaced },
    ],
  },
  { framework: { describe, it } },
);

describe('zbackup files through the whole engine', () => {
  it('a clear backup file is no longer taken for ciphertext; an encrypted one still is', async () => {
    const items = await scanFixtures('zbackup');
    expect(items.get('plain-backup')!.classification.status).toBe('analysable');
    expect(items.get('plain-backup')!.format?.id).toBe('zbackup-file');
    expect(items.get('encrypted/info')!.classification.status).toBe('encrypted');
    expect(items.get('encrypted/backup')!.classification.status).toBe('encrypted');
  });
});
