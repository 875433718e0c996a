import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { exodusSecoDetector } from './exodus-seco.js';
import { wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/exodus-seco/', import.meta.url);

testDetector(
  exodusSecoDetector,
  {
    fixtures,
    valid: [
      {
        file: 'seed.seco',
        format: 'exodus-seco',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['SECO_HEADER'],
        encryption: {
          scheme: 'seco-v0-scrypt-aes-aes-256-gcm',
          keyHint: { kind: 'password', lookFor: ['**/exodus.wallet/passphrase.json'] },
        },
      },
      // A damaged copy is still a SECO container, with less confidence.
      {
        file: 'bad-checksum.seco',
        format: 'exodus-seco',
        status: 'encrypted',
        confidence: { max: 0.92 },
        reasons: ['SECO_HEADER'],
      },
    ],
    invalid: [{ file: 'seco-notes.txt' }],
  },
  { framework: { describe, it } },
);

describe('exodus-seco header fields', () => {
  const detect = async (bytes: Uint8Array) =>
    (await exodusSecoDetector.detect(wholeFileProbe(bytes, 'x'), { limits: {} as never })) as Detection | undefined;

  it('reads the app, the scrypt cost and verifies the checksum', async () => {
    const d = await detect(fs.readFileSync(new URL('seed.seco', fixtures)));
    expect(d?.reasons[0]?.figures).toMatchObject({
      app: 'exodus',
      appVersion: '19.1.5',
      n: 1024,
      r: 8,
      p: 1,
      checksum: 'match',
    });
    const bad = await detect(fs.readFileSync(new URL('bad-checksum.seco', fixtures)));
    expect(bad?.reasons[0]?.figures?.checksum).toBe('mismatch');
  });

  it('does not take a SECO magic without a seco- version tag', async () => {
    const bytes = Buffer.from(fs.readFileSync(new URL('seed.seco', fixtures)));
    bytes.write('xeco', 13, 'latin1');
    expect(await detect(bytes)).toBeUndefined();
  });
});
