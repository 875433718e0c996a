import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { pgpDiskDetector } from './pgp-disk.js';
import { wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/pgp-disk/', import.meta.url);

testDetector(
  pgpDiskDetector,
  {
    fixtures,
    valid: [
      {
        file: 'aes256.pgd',
        format: 'pgpdisk',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['PGPDISK_HEADER'],
        encryption: { scheme: 'pgpdisk-aes256', keyHint: { kind: 'password', lookFor: ['**/*.skr'] } },
      },
      // Algorithm 1 copies the data: a PGPdisk that is not encrypted.
      { file: 'copy-data.pgd', format: 'pgpdisk-unencrypted', status: 'analysable', reasons: ['PGPDISK_HEADER'] },
    ],
    invalid: [{ file: 'pgpdmain-text.txt' }],
  },
  { framework: { describe, it } },
);

describe('pgp-disk header fields', () => {
  const detect = async (bytes: Uint8Array) =>
    (await pgpDiskDetector.detect(wholeFileProbe(bytes, 'x.pgd'), { limits: {} as never })) as Detection | undefined;

  it('counts the passphrase and public-key users behind the next-header offset', async () => {
    const d = await detect(fs.readFileSync(new URL('aes256.pgd', fixtures)));
    expect(d?.reasons[0]?.figures).toMatchObject({ major: 7, passphraseUsers: 1, publicKeyUsers: 1, hashReps: 16000 });
  });

  it('rejects an algorithm number PGP never defined', async () => {
    const bytes = Buffer.from(fs.readFileSync(new URL('aes256.pgd', fixtures)));
    bytes.writeUInt32LE(1001, 60);
    expect(await detect(bytes)).toBeUndefined();
  });
});
