import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { accessdataDetector } from './accessdata.js';
import { wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/accessdata/', import.meta.url);

testDetector(
  accessdataDetector,
  {
    fixtures,
    valid: [
      {
        file: 'passphrase.E01',
        format: 'adcrypt',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['ADCRYPT_HEADER'],
        encryption: { scheme: 'adcrypt-aes-256', keyHint: { kind: 'password' } },
      },
      {
        file: 'certificate.ad1',
        format: 'adcrypt',
        status: 'encrypted',
        reasons: ['ADCRYPT_HEADER'],
        encryption: { scheme: 'adcrypt-aes-128', keyHint: { kind: 'key-file' } },
      },
      { file: 'logical.ad1', format: 'ad1', status: 'analysable', reasons: ['AD1_SEGMENT_HEADER'] },
    ],
    invalid: [{ file: 'adcrypt-notes.txt' }],
  },
  { framework: { describe, it } },
);

describe('accessdata headers', () => {
  const read = (name: string) => Buffer.from(fs.readFileSync(new URL(name, fixtures)));
  const detect = async (bytes: Uint8Array) =>
    (await accessdataDetector.detect(wholeFileProbe(bytes, 'x.E01'), { limits: {} as never })) as Detection | undefined;

  it('reads the cipher, hash, iterations and how the key is wrapped from the ADCRYPT header', async () => {
    expect((await detect(read('passphrase.E01')))?.reasons[0]?.figures).toMatchObject({
      cipher: 'AES-256',
      hash: 'SHA-256',
      pbkdf2Iterations: 10000,
      saltBytes: 16,
      headerSize: 512,
      keyWrap: 'passphrase',
    });
    expect((await detect(read('certificate.ad1')))?.reasons[0]?.figures).toMatchObject({
      cipher: 'AES-128',
      hash: 'SHA-512',
      saltBytes: 256,
      keyWrap: 'certificate',
    });
  });

  it('needs known cipher and hash ids, and the lengths an AES key and a SHA-2 HMAC have', async () => {
    const bytes = read('passphrase.E01');
    const field = (at: number, value: number) => {
      const b = Buffer.from(bytes);
      b.writeUInt32LE(value, at);
      return b;
    };
    expect(await detect(field(24, 4))).toBeUndefined(); // cipher id 4
    expect(await detect(field(28, 3))).toBeUndefined(); // hash id 3
    expect(await detect(field(40, 20))).toBeUndefined(); // a 20-byte wrapped key
    expect(await detect(field(44, 20))).toBeUndefined(); // a 20-byte HMAC
    expect(await detect(field(12, 64))).toBeUndefined(); // a header too short for its own fields
  });

  it('reads the AD1 segment and logical image headers', async () => {
    expect((await detect(read('logical.ad1')))?.reasons[0]?.figures).toEqual({
      segment: 1,
      segments: 1,
      logicalImageOffset: 512,
      version: 4,
    });
  });
});
