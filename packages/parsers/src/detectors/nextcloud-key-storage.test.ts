import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { nextcloudKeyStorageDetector } from './nextcloud-key-storage.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Written from Nextcloud's Crypto.php and key Storage.php with real AES-CBC and HMAC-SHA512 (generate.sh).
const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 }, signal: new AbortController().signal };
const key = (file: string) => ({
  file,
  format: 'nextcloud-key-storage',
  status: 'encrypted' as const,
  reasons: ['NEXTCLOUD_KEY_STORAGE'],
  encryption: { scheme: 'nextcloud-crypto-aes-cbc-v3', keyHint: { kind: 'key-file' as const } },
});
const m = 'data/alice/files_encryption/';

testDetector(
  nextcloudKeyStorageDetector,
  {
    fixtures: new URL('../../fixtures/nextcloud-key-storage/', import.meta.url),
    valid: [
      key(`${m}OC_DEFAULT_MODULE/alice.privateKey`),
      key(`${m}OC_DEFAULT_MODULE/alice.publicKey`),
      key(`${m}keys/files/report.txt/OC_DEFAULT_MODULE/fileKey`),
      key(`${m}keys/files/report.txt/OC_DEFAULT_MODULE/alice.shareKey`),
      key('data/files_encryption/OC_DEFAULT_MODULE/master_5c1e2a9f.privateKey'),
    ],
    invalid: [
      { file: 'near/pipes.txt', name: 'pipe-separated hex of the wrong lengths' },
      { file: 'near/quoted.txt', name: 'a key line followed by prose' },
    ],
  },
  { framework: { describe, it } },
);

describe('Nextcloud 20+ key files', () => {
  it('names the kind of key from the file name and counts the AES blocks', async () => {
    const items = await scanFixtures('nextcloud-key-storage');
    expect(items.get(`${m}OC_DEFAULT_MODULE/alice.privateKey`)!.classification.reasons[0]!.figures).toMatchObject({
      kind: 'private key',
      version: 3,
    });
    expect(
      items.get(`${m}keys/files/report.txt/OC_DEFAULT_MODULE/fileKey`)!.classification.reasons[0]!.figures,
    ).toMatchObject({ kind: 'file key', blocks: 2 });
    expect(items.get('near/quoted.txt')!.classification.status).toBe('analysable');
  });

  it('needs whole AES blocks, a 32-digit IV, a 128-digit MAC and version 2 or 3', () => {
    const line = (ct: string, iv = 'a'.repeat(32), mac = 'b'.repeat(128), v = '3') =>
      wholeFileProbe(Buffer.from(`${ct}|${iv}|${mac}|${v}`), 'fileKey');
    expect(nextcloudKeyStorageDetector.detect(line('c'.repeat(64)), ctx)).toMatchObject({
      format: { id: 'nextcloud-key-storage' },
    });
    expect(nextcloudKeyStorageDetector.detect(line('c'.repeat(64), undefined, undefined, '2'), ctx)).toMatchObject({
      encryption: { scheme: 'nextcloud-crypto-aes-cbc-v2' },
    });
    expect(nextcloudKeyStorageDetector.detect(line('c'.repeat(60)), ctx)).toBeUndefined();
    expect(nextcloudKeyStorageDetector.detect(line('c'.repeat(64), 'a'.repeat(30)), ctx)).toBeUndefined();
    expect(nextcloudKeyStorageDetector.detect(line('c'.repeat(64), undefined, 'b'.repeat(64)), ctx)).toBeUndefined();
    expect(nextcloudKeyStorageDetector.detect(line('C'.repeat(64)), ctx)).toBeUndefined();
    expect(nextcloudKeyStorageDetector.detect(line('c'.repeat(64), undefined, undefined, '4'), ctx)).toBeUndefined();
  });
});
