import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { cryptoWalletsDetector } from './crypto-wallets.js';

// Berkeley DB files made by db5.3_load with Bitcoin Core's record layout (fixtures/crypto-wallets/generate.sh).
testDetector(
  cryptoWalletsDetector,
  {
    fixtures: new URL('../../fixtures/crypto-wallets/', import.meta.url),
    valid: [
      {
        file: 'wallet.dat',
        format: 'bitcoin-wallet-encrypted',
        status: 'encrypted',
        confidence: { min: 0.9 },
        reasons: ['BITCOIN_WALLET_MKEY'],
        encryption: { scope: 'partial', keyHint: { kind: 'password' } },
      },
      { file: 'clear-wallet.dat', format: 'bitcoin-wallet', status: 'analysable', reasons: ['BITCOIN_WALLET_RECORDS'] },
    ],
    invalid: [{ file: 'other-btree.db' }],
  },
  { framework: { describe, it } },
);
