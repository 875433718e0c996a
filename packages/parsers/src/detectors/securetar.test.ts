import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { secureTarDetector } from './securetar.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const fixtures = new URL('../../fixtures/securetar/', import.meta.url);

// Written from securetar's published layout: fixtures/securetar/generate.sh.
testDetector(
  secureTarDetector,
  {
    fixtures,
    valid: [
      {
        file: 'homeassistant.tar.gz',
        format: 'securetar',
        status: 'encrypted',
        reasons: ['SECURETAR_HEADER'],
        encryption: { scheme: 'securetar-v2-aes-128-cbc', keyHint: { kind: 'password' } },
      },
      {
        file: 'securetar-v3.tar.gz',
        format: 'securetar',
        status: 'encrypted',
        encryption: { scheme: 'securetar-v3-argon2id-xchacha20-poly1305' },
      },
    ],
    invalid: [
      { file: 'wrong-size.tar.gz', name: 'v2 magic whose plaintext size does not give the file length' },
      { file: 'ha-backup-protected.tar', name: 'the backup tar itself (its members are decided one by one)' },
    ],
  },
  { framework: { describe, it } },
);

describe('securetar on other bytes', () => {
  it('takes no random bytes behind the magic', () => {
    let found = 0;
    for (let i = 0; i < 20000; i++) {
      const b = seededBytes(i + 5, 64 + (i % 3000));
      b.set(Buffer.from(`SecureTar${i % 2 ? '\x02' : '\x03'}`, 'latin1'), 0);
      if (secureTarDetector.detect(wholeFileProbe(b, 'x.tar.gz'), { limits: DEFAULT_LIMITS })) found++;
    }
    expect(found).toBe(0);
  });
  fuzzFlipCutGrow(
    secureTarDetector,
    ['homeassistant.tar.gz', 'securetar-v3.tar.gz'].map(
      (n) => [n, new Uint8Array(fs.readFileSync(new URL(n, fixtures)))] as const,
    ),
    100,
    { wholeHalf: true },
  );
});
