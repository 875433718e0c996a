import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { rcloneCryptDetector } from './rclone-crypt.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Files written by rclone 1.60 through crypt remotes; see fixtures/rclone-crypt/generate.sh.
testDetector(
  rcloneCryptDetector,
  {
    fixtures: new URL('../../fixtures/rclone-crypt/', import.meta.url),
    valid: [
      {
        // A note, its name encrypted (EME, base32hex): header, nonce, one 16-byte tag and 24 bytes.
        file: '8q96n64vmug36ut638ltdcsi4k',
        format: 'rclone-crypt-file',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['RCLONE_CRYPT_HEADER'],
        encryption: {
          scheme: 'rclone-crypt-xsalsa20-poly1305',
          keyHint: {
            kind: 'password',
            lookFor: ['**/rclone.conf', '**/.config/rclone/rclone.conf', '**/.rclone.conf'],
          },
        },
      },
      // An empty file: the 32-byte header alone.
      {
        file: 'cgu0su7lc49p616ck3tuir71f4',
        format: 'rclone-crypt-file',
        status: 'encrypted',
        confidence: { min: 0.95 },
      },
      // 3 KiB of text under an obfuscated name.
      { file: '97.urlnwln.CGC', format: 'rclone-crypt-file', status: 'encrypted', confidence: { min: 0.95 } },
      // Names left plain with rclone's ".bin" suffix.
      { file: 'note.txt.bin', format: 'rclone-crypt-file', status: 'encrypted', confidence: { min: 0.95 } },
      // Cut: the magic and nonce hold, the size does not fit; still rclone's, less certain.
      { file: 'cut-40-bytes.bin', format: 'rclone-crypt-file', status: 'encrypted', confidence: { max: 0.9 } },
    ],
    invalid: [{ file: 'zero-nonce.bin' }, { file: 'short.bin' }],
  },
  { framework: { describe, it } },
);

describe('rclone crypt files through the whole engine', () => {
  it('the three naming modes are told apart, and no file is left to statistics', async () => {
    const items = await scanFixtures('rclone-crypt');
    const named = (file: string) =>
      items.get(file)!.classification.reasons.find((r) => r.code === 'RCLONE_CRYPT_HEADER')?.figures?.name;
    expect(named('8q96n64vmug36ut638ltdcsi4k')).toBe('encrypted');
    expect(named('97.urlnwln.CGC')).toBe('obfuscated');
    expect(named('note.txt.bin')).toBe('suffixed');
    for (const file of ['8q96n64vmug36ut638ltdcsi4k', 'cgu0su7lc49p616ck3tuir71f4', '97.urlnwln.CGC', 'note.txt.bin'])
      expect(items.get(file)!.classification.status).toBe('encrypted');
  });
});
