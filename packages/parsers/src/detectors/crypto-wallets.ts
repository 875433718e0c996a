/**
 * Bitcoin Core wallet.dat files (Berkeley DB btree, the legacy wallet format).
 * Records are keyed by a length-prefixed type name ("\x07version", "\x04name",
 * "\x03key", "\x04ckey", "\x04mkey"...). An "mkey" record holds the master key
 * encrypted with the wallet passphrase, and "ckey" records hold private keys
 * encrypted with that master key: such a wallet is locked. Without them the
 * private keys ("key") are in clear. The probe may miss the records of a large
 * wallet; the bitcoin-wallet parser then reads the whole file (bounded).
 * References: Bitcoin Core src/wallet/walletdb.cpp (DBKeys: MASTER_KEY "mkey",
 * CRYPTED_KEY "ckey", KEY "key", VERSION, MINVERSION, NAME), src/wallet/crypter.h
 * (CMasterKey: encrypted key, salt, derivation method, iterations); Berkeley DB
 * btree metadata page (magic 0x053162 at offset 12).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { indexOf, locked, plain, u32be, u32le } from './util.js';

export const WALLET_PASSPHRASE: KeyHint = {
  description: 'The wallet passphrase (walletpassphrase in Bitcoin Core).',
  kind: 'password',
  present: 'unknown',
};
const RECORD_NAMES = [
  '\x07version',
  '\x0aminversion',
  '\x04name',
  '\x03key',
  '\x04pool',
  '\x0adefaultkey',
  '\x0bbestblock',
  '\x04ckey',
  '\x04mkey',
  '\x07keymeta',
  '\x0bhdchain',
];

/** Which wallet record names occur in the bytes. */
export function walletRecords(parts: readonly Uint8Array[]): Set<string> {
  const found = new Set<string>();
  for (const name of RECORD_NAMES) if (parts.some((p) => indexOf(p, name) >= 0)) found.add(name.slice(1));
  return found;
}

export const cryptoWalletsDetector = defineDetector({
  meta: {
    id: 'crypto-wallets',
    version: '1.0.0',
    title: 'Bitcoin Core wallet.dat (Berkeley DB): passphrase-encrypted or not',
    formats: [
      {
        id: 'bitcoin-wallet-encrypted',
        name: 'Bitcoin Core wallet, passphrase-encrypted',
        status: 'encrypted',
        how: 'structure',
        extensions: ['dat'],
      },
      {
        id: 'bitcoin-wallet',
        name: 'Bitcoin Core wallet (keys in clear)',
        status: 'analysable',
        how: 'structure',
        extensions: ['dat'],
      },
    ],
  },
  signatures: [
    { offset: 12, hex: '62310500' },
    { offset: 12, hex: '00053162' },
  ],
  minSize: 4096,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (u32le(h, 12) !== 0x053162 && u32be(h, 12) !== 0x053162) return undefined;
    const records = walletRecords([h, probe.tail, ...probe.samples.map((s) => s.bytes)]);
    const walletish = [
      'version',
      'minversion',
      'name',
      'key',
      'ckey',
      'mkey',
      'pool',
      'defaultkey',
      'keymeta',
      'hdchain',
    ].filter((n) => records.has(n));
    if (walletish.length < 2 && !records.has('mkey')) return undefined;
    const figures = { records: [...records].sort().join(',') };
    if (records.has('mkey') || records.has('ckey')) {
      return locked({
        id: 'bitcoin-wallet-encrypted',
        name: 'Bitcoin Core wallet, passphrase-encrypted',
        confidence: 0.95,
        code: 'BITCOIN_WALLET_MKEY',
        message: `Berkeley DB btree with Bitcoin Core wallet records (${figures.records}): ${records.has('mkey') ? 'an "mkey" master key record' : '"ckey" encrypted key records'} mean the private keys are encrypted with the wallet passphrase; addresses and labels are readable.`,
        figures,
        scope: 'partial',
        scheme: 'bitcoin-core-aes-256-cbc',
        keyHint: WALLET_PASSPHRASE,
      });
    }
    return plain('analysable', {
      id: 'bitcoin-wallet',
      name: 'Bitcoin Core wallet (keys in clear)',
      confidence: 0.85,
      code: 'BITCOIN_WALLET_RECORDS',
      message: `Berkeley DB btree with Bitcoin Core wallet records (${figures.records}) and no "mkey"/"ckey" record in the bytes read (the parser reads the rest).`,
      figures,
    });
  },
});
