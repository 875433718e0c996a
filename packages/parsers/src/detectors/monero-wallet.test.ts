import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { moneroWalletDetector } from './monero-wallet.js';

// Made by monero-wallet-cli (Debian monero): fixtures/monero-wallet/generate.sh.
testDetector(
  moneroWalletDetector,
  {
    fixtures: new URL('../../fixtures/monero-wallet/', import.meta.url),
    valid: [
      {
        file: 'evidence.keys',
        format: 'monero-wallet',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['MONERO_WALLET_STRUCTURE'],
        encryption: { scheme: 'monero-chacha-cn-slow-hash', keyHint: { kind: 'password' } },
      },
      {
        // The wallet cache has the same layout and no extension: taken, with less confidence.
        file: 'evidence-copy',
        format: 'monero-wallet',
        status: 'encrypted',
        confidence: { max: 0.85 },
        reasons: ['MONERO_WALLET_STRUCTURE'],
      },
      // Bytes that cannot be more ciphertext after the length's end (fixtures/monero-wallet/appended/make.sh): set
      // aside and named.
      ...['lf', 'text2k'].map((v) => ({
        file: `appended/${v}.keys`,
        format: 'monero-wallet',
        status: 'encrypted' as const,
        reasons: ['MONERO_WALLET_STRUCTURE', 'TRAILING_DATA'],
      })),
      ...['nul', 'zpad4k'].map((v) => ({
        file: `appended/${v}.keys`,
        format: 'monero-wallet',
        status: 'encrypted' as const,
        reasons: ['MONERO_WALLET_STRUCTURE', 'TRAILING_ZERO_PADDING'],
      })),
    ],
    // Cut short, the length no longer ends the file; random bytes carry no such length.
    // A cut file with text appended (the length ends inside the text), and random bytes after the length's end
    // (they could be more ciphertext: no evidence the length is the structure's).
    invalid: [
      { file: 'truncated.keys' },
      { file: 'random.keys' },
      { file: 'appended/truncated-text2k.keys' },
      { file: 'appended/random-after.keys' },
    ],
  },
  { framework: { describe, it } },
);
