/**
 * Bitcoin Core wallets, past what the probe shows: a Berkeley DB wallet.dat
 * the detector called clear is read whole (bounded) for an "mkey"/"ckey"
 * record; a descriptor wallet (SQLite, table main(key, value)) is queried for
 * keys starting with the "mkey" record name. Either means the private keys are
 * encrypted with the wallet passphrase.
 * References: Bitcoin Core src/wallet/walletdb.cpp (DBKeys), src/wallet/sqlite.cpp
 * (table main).
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';
import { walletRecords, WALLET_PASSPHRASE } from '../detectors/crypto-wallets.js';

const MAX_BYTES = 64 * 1024 * 1024;
const LOCKED = { id: 'bitcoin-wallet-encrypted', name: 'Bitcoin Core wallet, passphrase-encrypted' };

function lockedResult(code: string, message: string, details: Record<string, unknown>): ParseResult {
  return {
    details,
    reclassify: { status: 'encrypted', confidence: 0.95, format: LOCKED, reasons: [{ code, message }] },
    encryption: { scheme: 'bitcoin-core-aes-256-cbc', scope: 'partial', keyHint: WALLET_PASSPHRASE },
  };
}

export const bitcoinWalletParser = defineParser({
  meta: {
    id: 'bitcoin-wallet',
    version: '1.0.0',
    title: 'Bitcoin Core wallets: master key record present?',
    formats: ['bitcoin-wallet', 'sqlite'],
    diagnostics: {
      NOT_A_WALLET: 'A SQLite key/value table "main" without Bitcoin Core wallet records: {reason}.',
      WALLET_TABLE_UNREADABLE: "The wallet's main table could not be read: {reason}.",
    },
  },
  requires: { maxSize: MAX_BYTES },
  priority: 30,
  async parse(ctx): Promise<ParseResult | undefined> {
    if (ctx.item.format?.id === 'bitcoin-wallet') {
      const records = walletRecords([await ctx.readAll(MAX_BYTES)]);
      if (!records.has('mkey') && !records.has('ckey')) return { details: { records: [...records].sort() } };
      return lockedResult(
        'BITCOIN_WALLET_MKEY',
        `Reading the whole wallet.dat found ${records.has('mkey') ? 'an "mkey" master key record' : '"ckey" records'}: the private keys are encrypted with the wallet passphrase.`,
        { records: [...records].sort() },
      );
    }
    const tables = ctx.sqlite?.tables();
    const columns = tables?.get('main');
    if (!columns || !columns.includes('key') || !columns.includes('value')) return undefined;
    let row: { n?: number } | undefined;
    let records: number;
    try {
      row = ctx.sqlite?.get("SELECT count(*) AS n FROM main WHERE substr(key, 1, 5) = x'046d6b6579'") as
        { n?: number } | undefined;
      records =
        (
          ctx.sqlite?.get("SELECT count(*) AS n FROM main WHERE substr(key, 1, 8) = x'0776657273696f6e'") as
            { n?: number } | undefined
        )?.n ?? 0; // "\x07version"
    } catch (err) {
      ctx.report({
        code: 'WALLET_TABLE_UNREADABLE',
        severity: 'warning',
        message: `The wallet's main table could not be read: ${(err as Error).message}.`,
      });
      return undefined;
    }
    if (!row?.n && records === 0) {
      ctx.report({
        code: 'NOT_A_WALLET',
        severity: 'info',
        message:
          'A SQLite key/value table "main" without Bitcoin Core wallet records: no "version" or "mkey" key, so it was not treated as a wallet.',
      });
      return undefined;
    }
    if (!row?.n) return { details: { descriptorWallet: true, masterKeys: 0 } };
    return lockedResult(
      'BITCOIN_DESCRIPTOR_WALLET_MKEY',
      `Bitcoin Core descriptor wallet (SQLite table main) with ${row.n} "mkey" master key record(s): the descriptor private keys are encrypted with the wallet passphrase.`,
      { descriptorWallet: true, masterKeys: row.n },
    );
  },
});
