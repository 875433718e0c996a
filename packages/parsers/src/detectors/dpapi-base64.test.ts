import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { dpapiBase64Detector } from './dpapi-base64.js';
import { wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/dpapi-base64/', import.meta.url);

testDetector(
  dpapiBase64Detector,
  {
    fixtures,
    valid: [
      {
        file: 'lastpass.sxml',
        format: 'dpapi-blob-base64',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['DPAPI_BLOB_BASE64'],
        encryption: {
          scheme: 'dpapi-aes-256',
          keyHint: { kind: 'key-file', lookFor: ['**/Protect/S-1-*/0b7deedd-f558-4f47-aadc-a9df45e91175'] },
        },
      },
      { file: 'described.txt', format: 'dpapi-blob-base64', status: 'encrypted', reasons: ['DPAPI_BLOB_BASE64'] },
      // One NUL appended (appended/make.sh): set aside.
      ...['appended/lastpass-nul.sxml', 'appended/described-nul.txt'].map((file) => ({
        file,
        format: 'dpapi-blob-base64',
        status: 'encrypted' as const,
        reasons: ['DPAPI_BLOB_BASE64'],
      })),
    ],
    invalid: [{ file: 'bad-cipher.sxml' }, { file: 'prefix-notes.txt' }],
  },
  { framework: { describe, it } },
);

describe('dpapi-base64 blob fields', () => {
  const read = (name: string) => fs.readFileSync(new URL(name, fixtures));
  const detect = async (bytes: Uint8Array) =>
    (await dpapiBase64Detector.detect(wholeFileProbe(bytes, 'x.sxml'), { limits: {} as never })) as
      Detection | undefined;

  it('reads the master key GUID, the cipher and the description', async () => {
    const d = await detect(read('described.txt'));
    expect(d?.reasons[0]?.figures).toMatchObject({
      masterKey: '0b7deedd-f558-4f47-aadc-a9df45e91175',
      cipher: 'aes-256',
      description: 'evtriage test',
    });
  });

  it('reads base64 wrapped in 76-character lines (CRLF) as well', async () => {
    const wrapped = read('lastpass.sxml').toString('latin1').replace(/.{76}/g, '$&\r\n');
    expect((await detect(Buffer.from(wrapped, 'latin1')))?.format.id).toBe('dpapi-blob-base64');
  });

  it('refuses base64 whose blob has a master key version other than 1', async () => {
    const blob = Buffer.from(read('lastpass.sxml').toString('latin1'), 'base64');
    blob.writeUInt32LE(7, 20);
    expect(await detect(Buffer.from(blob.toString('base64'), 'latin1'))).toBeUndefined();
  });
});
