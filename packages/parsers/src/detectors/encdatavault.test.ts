import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { encDataVaultDetector } from './encdatavault.js';
import { wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/encdatavault/', import.meta.url);

testDetector(
  encDataVaultDetector,
  {
    fixtures,
    valid: [
      {
        file: 'filesystem.dat',
        format: 'encdatavault',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['ENCDATAVAULT_HEADER'],
        encryption: {
          scheme: 'encdatavault-aes-ctr-128',
          keyHint: { kind: 'password', lookFor: ['**/enckey.dat', '**/keychain.dat'] },
        },
      },
      {
        file: 'index.dat',
        format: 'encdatavault',
        status: 'encrypted',
        reasons: ['ENCDATAVAULT_HEADER'],
        encryption: { scheme: 'encdatavault-aes-ctr-512' },
      },
    ],
    invalid: [{ file: 'bad-algorithm.dat' }, { file: 'zero-nonce.dat' }],
  },
  { framework: { describe, it } },
);

describe('encdatavault header fields', () => {
  const read = (name: string) => Buffer.from(fs.readFileSync(new URL(name, fixtures)));
  const detect = async (bytes: Uint8Array, name = 'filesystem.dat') =>
    (await encDataVaultDetector.detect(wholeFileProbe(bytes, name), { limits: {} as never })) as Detection | undefined;

  it('reads the algorithm id as the number of AES keys and names the file role', async () => {
    const d = await detect(read('index.dat'), 'index.dat');
    expect(d?.reasons[0]?.figures).toMatchObject({ algorithmId: 3, keys: 4, keyBits: 512, role: 'index.dat' });
    expect(d?.reasons[0]?.message).toContain('keychain.dat');
  });

  it('takes every defined algorithm id (1-4) and no other', async () => {
    const bytes = read('filesystem.dat');
    for (const algo of [1, 2, 3, 4]) {
      bytes.writeUInt32LE(algo, 8);
      expect((await detect(bytes))?.encryption?.scheme).toBe(`encdatavault-aes-ctr-${128 << (algo - 1)}`);
    }
    for (const algo of [0, 5, 0x01000001]) {
      bytes.writeUInt32LE(algo, 8);
      expect(await detect(bytes)).toBeUndefined();
    }
  });

  it('does not take the magic alone: a clear check (the magic again) is not a vault', async () => {
    const bytes = read('filesystem.dat');
    bytes.set([0xd2, 0xc3, 0xb4, 0xa1], 20);
    expect(await detect(bytes)).toBeUndefined();
  });

  it('ignores a header cut before the check bytes', async () => {
    expect(await detect(read('filesystem.dat').subarray(0, 20))).toBeUndefined();
  });
});
