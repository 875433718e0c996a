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
    ],
    // Cut short, the length no longer ends the file; random bytes carry no such length.
    invalid: [{ file: 'truncated.keys' }, { file: 'random.keys' }],
  },
  { framework: { describe, it } },
);
