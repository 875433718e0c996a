import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { nextcloudEncryptionDetector } from './nextcloud-encryption.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Written from the encryption module's published layout with real AES and HMAC (generate.sh): Debian packages no
// Nextcloud or ownCloud server.
const fixtures = new URL('../../fixtures/nextcloud-encryption/', import.meta.url);
const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 }, signal: new AbortController().signal };

const file = (path: string, scheme: string, reasons = ['NEXTCLOUD_SSE_HEADER']) => ({
  file: path,
  format: 'nextcloud-encrypted-file',
  status: 'encrypted' as const,
  reasons,
  encryption: { scheme, keyHint: { kind: 'key-file' as const } },
});
const key = (path: string) => ({
  file: path,
  format: 'nextcloud-private-key',
  status: 'encrypted' as const,
  reasons: ['NEXTCLOUD_KEY_HEADER'],
  encryption: { scheme: 'nextcloud-private-key-aes-256-ctr', keyHint: { kind: 'password' as const } },
});

testDetector(
  nextcloudEncryptionDetector,
  {
    fixtures,
    valid: [
      file('data/alice/files/report.txt', 'nextcloud-sse-aes-256-ctr'),
      file('data/alice/files/notes.txt', 'nextcloud-sse-aes-256-ctr'),
      file('data/alice/files/empty.txt', 'nextcloud-sse-aes-256-ctr'),
      file('owncloud7/old.txt', 'nextcloud-sse-aes-256-cfb'),
      key('files_encryption/OC_DEFAULT_MODULE/master_5c1e2a9f.privateKey'),
      key('alice/files_encryption/OC_DEFAULT_MODULE/alice.privateKey'),
      // Bytes appended after the last block's trailer are set aside and named (appended/make.sh).
      file('appended/notes-newline.txt', 'nextcloud-sse-aes-256-ctr', ['NEXTCLOUD_SSE_HEADER', 'TRAILING_DATA']),
      file('appended/report-log.txt', 'nextcloud-sse-aes-256-ctr', ['NEXTCLOUD_SSE_HEADER', 'TRAILING_DATA']),
      file('appended/report-padded.txt', 'nextcloud-sse-aes-256-ctr', [
        'NEXTCLOUD_SSE_HEADER',
        'TRAILING_ZERO_PADDING',
      ]),
      { ...key('appended/alice-newline.privateKey'), reasons: ['NEXTCLOUD_KEY_HEADER', 'TRAILING_DATA'] },
    ],
    invalid: [
      { file: 'alice/files_encryption/OC_DEFAULT_MODULE/alice.publicKey', name: 'the public key (PEM, clear)' },
      { file: 'near/how-to-check.txt', name: 'a note quoting the header' },
      { file: 'near/no-end.txt', name: 'a header with no HEND' },
      {
        file: 'appended/report-broken-trailer.txt',
        name: 'a last trailer broken: nothing after an earlier one is set aside',
      },
    ],
  },
  { framework: { describe, it } },
);

describe('Nextcloud/ownCloud server-side encryption', () => {
  it('counts the blocks before bytes appended', async () => {
    const items = await scanFixtures('nextcloud-encryption');
    for (const path of ['appended/report-log.txt', 'appended/report-padded.txt'])
      expect(items.get(path)!.classification.reasons[0]!.figures, path).toMatchObject({ blocks: 2, trailer: 'signed' });
  });

  it('reads the header fields, the block count and the trailer kind', async () => {
    const items = await scanFixtures('nextcloud-encryption');
    const report = items.get('data/alice/files/report.txt')!;
    expect(report.classification).toMatchObject({ status: 'encrypted', certainty: 'certain' });
    expect(report.classification.reasons[0]!.figures).toMatchObject({
      cipher: 'AES-256-CTR',
      module: 'OC_DEFAULT_MODULE',
      encoding: 'binary',
      blocks: 2,
      trailer: 'signed',
    });
    expect(items.get('owncloud7/old.txt')!.classification.reasons[0]!.figures).toMatchObject({
      module: 'none',
      encoding: 'base64',
      trailer: 'unsigned',
    });
    expect(items.get('data/alice/files/empty.txt')!.classification.reasons[0]!.figures).toMatchObject({ blocks: 0 });
    const master = items.get('files_encryption/OC_DEFAULT_MODULE/master_5c1e2a9f.privateKey')!;
    expect(master.classification.reasons[0]!.figures).toMatchObject({ keyFormat: 'hash2', encoding: 'binary' });
    expect(master.encryption!.keyHint!.lookFor).toContain('**/config/config.php');
    expect(items.get('near/how-to-check.txt')!.classification.status).toBe('analysable');
    expect(items.get('alice/files_encryption/OC_DEFAULT_MODULE/alice.publicKey')!.classification.status).toBe(
      'analysable',
    );
  });

  it('needs the padding and the block trailers: a header over text, or blocks without trailers, is not enough', () => {
    const header = 'HBEGIN:oc_encryption_module:OC_DEFAULT_MODULE:cipher:AES-256-CTR:signed:true:HEND';
    const padded = Buffer.alloc(8192, '-');
    padded.write(header, 0, 'latin1');
    const prose = Buffer.concat([padded, Buffer.from('just some words after a padded header\n'.repeat(300))]);
    expect(nextcloudEncryptionDetector.detect(wholeFileProbe(prose, 'a.txt'), ctx)).toBeUndefined();
    const unpaddedText = Buffer.from(`${header}\nthe rest of a note\n`.repeat(20));
    expect(nextcloudEncryptionDetector.detect(wholeFileProbe(unpaddedText, 'b.txt'), ctx)).toBeUndefined();
    const badCipher = Buffer.from(padded.toString('latin1').replace('AES-256-CTR', 'ROT-13-ECB'), 'latin1');
    expect(nextcloudEncryptionDetector.detect(wholeFileProbe(badCipher, 'c.txt'), ctx)).toBeUndefined();
    // The header block alone is an encrypted empty file.
    expect(nextcloudEncryptionDetector.detect(wholeFileProbe(padded, 'd.txt'), ctx)).toMatchObject({
      format: { id: 'nextcloud-encrypted-file' },
    });
  });
});
