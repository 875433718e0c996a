import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { msKeyBlobsDetector } from './ms-key-blobs.js';
import { wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/ms-key-blobs/', import.meta.url);

testDetector(
  msKeyBlobsDetector,
  {
    fixtures,
    valid: [
      { file: 'clear.pvk', format: 'pvk', status: 'analysable', reasons: ['PVK_CLEAR'] },
      {
        file: 'strong.pvk',
        format: 'pvk-encrypted',
        status: 'encrypted',
        reasons: ['PVK_ENCRYPTED'],
        encryption: { scheme: 'pvk-rc4', keyHint: { kind: 'password' } },
      },
      { file: 'weak.pvk', format: 'pvk-encrypted', status: 'encrypted', reasons: ['PVK_ENCRYPTED'] },
      { file: 'private.msb', format: 'ms-key-blob', status: 'analysable', reasons: ['MS_KEY_BLOB'] },
      { file: 'public.msb', format: 'ms-key-blob', status: 'analysable', reasons: ['MS_KEY_BLOB'] },
      { file: 'strong-name.snk', format: 'ms-key-blob', status: 'analysable', reasons: ['MS_KEY_BLOB'] },
      {
        file: 'strong-name.pk',
        format: 'strong-name-public-key',
        status: 'analysable',
        reasons: ['STRONG_NAME_PUBLIC_KEY'],
      },
    ],
    invalid: [
      { file: 'wrong-length.pvk', name: 'a PVK header whose key length does not match the file' },
      {
        file: 'strong-name-wrong-length.pk',
        name: 'a strong-name header whose blob length is not the rest of the file',
      },
    ],
  },
  { framework: { describe, it } },
);

describe('PVK key sizes', () => {
  it('reads the 1024-bit key size from the clear header and from the encrypted key length alike', async () => {
    for (const file of ['clear.pvk', 'strong.pvk']) {
      const probe = wholeFileProbe(fs.readFileSync(new URL(file, fixtures)), file);
      const d = (await msKeyBlobsDetector.detect(probe, { limits: {} as never })) as Detection | undefined;
      expect(d?.reasons[0]?.figures?.['bits']).toBe(1024);
    }
  });
});

describe('.NET strong-name public keys', () => {
  it('reads the key size and hash algorithm of what sn -p writes', async () => {
    const probe = wholeFileProbe(fs.readFileSync(new URL('strong-name.pk', fixtures)), 'strong-name.pk');
    const d = (await msKeyBlobsDetector.detect(probe, { limits: {} as never })) as Detection | undefined;
    expect(d?.reasons[0]?.figures).toEqual({ bits: 1024, hash: 'SHA-1' });
  });
});
