import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { bitcoinjWalletDetector } from './bitcoinj-wallet.js';

// Written from bitcoinj's wallet.proto (no bitcoinj in Debian): fixtures/bitcoinj-wallet/generate.sh.
testDetector(
  bitcoinjWalletDetector,
  {
    fixtures: new URL('../../fixtures/bitcoinj-wallet/', import.meta.url),
    valid: [
      {
        // No spending PIN: the mnemonic and the root key are in clear.
        file: 'wallet-protobuf',
        format: 'bitcoinj-wallet',
        status: 'analysable',
        reasons: ['BITCOINJ_WALLET_CLEAR'],
      },
      {
        file: 'wallet-protobuf-encrypted',
        format: 'bitcoinj-wallet-encrypted',
        status: 'encrypted',
        confidence: { min: 0.95 },
        reasons: ['BITCOINJ_WALLET_ENCRYPTED'],
        encryption: { scheme: 'bitcoinj-scrypt-aes', scope: 'partial', keyHint: { kind: 'password' } },
      },
    ],
    invalid: [{ file: 'network-notes.txt' }],
  },
  { framework: { describe, it } },
);
