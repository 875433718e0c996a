import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
import { ssh1PrivateKeyDetector } from './ssh1-private-key.js';

// Keys by PuTTYgen 0.78 (fixtures/ssh1-private-key/generate.sh).
const fixtures = new URL('../../fixtures/ssh1-private-key/', import.meta.url);
const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));

testDetector(
  ssh1PrivateKeyDetector,
  {
    fixtures,
    valid: [
      { file: 'clear.key', format: 'ssh1-private-key', status: 'analysable', reasons: ['SSH1_KEY_CLEAR'] },
      {
        file: 'protected.key',
        format: 'ssh1-private-key-encrypted',
        status: 'encrypted',
        reasons: ['SSH1_KEY_ENCRYPTED'],
        encryption: { keyHint: { kind: 'password' } },
      },
    ],
    invalid: [
      { file: 'clear-check-bytes-broken.bin', name: 'cipher 0, but the check bytes are not repeated' },
      { file: 'protected-cipher-7.bin', name: 'a cipher number SSH-1 does not define' },
      { file: 'protected-cut.bin', name: 'an encrypted part that is not whole 8-byte blocks' },
    ],
  },
  { framework: { describe, it } },
);

describe('SSH-1 private key fields', () => {
  it('names the cipher, the key size and the comment', () => {
    const d = ssh1PrivateKeyDetector.detect(wholeFileProbe(read('protected.key'), 'identity'), {
      limits: {} as never,
    }) as Detection;
    expect(d.reasons[0]?.figures).toEqual({ cipher: '3DES', bits: 1024, comment: 'evtriage ssh1 protected' });
    expect(d.encryption?.scheme).toBe('ssh1-3des');
  });
});

describe('fuzz: ssh1PrivateKeyDetector', () => {
  fuzzFlipCutGrow(
    ssh1PrivateKeyDetector,
    ['clear.key', 'protected.key'].map((name) => [name, read(name)] as const),
    20,
  );
});
