import { describe, it } from 'vitest';
import { testParser } from '@evtriage/core/testing';
import { cryptoWalletsDetector } from '../detectors/crypto-wallets.js';
import { sqliteDetector } from '../detectors/sqlite.js';
import { bitcoinWalletParser } from './bitcoin-wallet.js';

// Descriptor wallets made by sqlite3, a legacy wallet by db5.3_load (fixtures/crypto-wallets/generate.sh).
testParser(
  bitcoinWalletParser,
  {
    fixtures: new URL('../../fixtures/bitcoin-wallet/', import.meta.url),
    detectors: [cryptoWalletsDetector, sqliteDetector],
    valid: [
      {
        file: 'descriptor-encrypted.sqlite',
        format: 'bitcoin-wallet-encrypted',
        status: 'encrypted',
        encryption: { keyHint: { kind: 'password' } },
        details: { descriptorWallet: true, masterKeys: 1 },
      },
      { file: 'descriptor-clear.sqlite', details: { descriptorWallet: true, masterKeys: 0 } },
      {
        file: 'clear-wallet.dat',
        format: 'bitcoin-wallet',
        status: 'analysable',
        details: { records: ['key', 'minversion', 'name', 'version'] },
      },
    ],
    invalid: [{ file: 'key-value-store.sqlite', diagnostics: ['NOT_A_WALLET'] }],
  },
  { framework: { describe, it } },
);
