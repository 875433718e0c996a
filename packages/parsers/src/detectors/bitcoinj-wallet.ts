/**
 * bitcoinj wallet files: the protobuf `Wallet` message that Bitcoin Wallet for
 * Android (`wallet-protobuf`), MultiBit, and the bitcoinj forks of other coins
 * (Litecoin, Dogecoin, Dash...) write. Protobuf writes fields in number
 * order, so the file starts with field 1, the network identifier
 * ("org.bitcoin.production"), then the block hash (2) and the keys (3), then
 * transactions (4), then the encryption type (5: 2 = ENCRYPTED_SCRYPT_AES)
 * and the scrypt parameters (6). Each key says whether its secret is in clear
 * (`secret_bytes` 2, `deterministic_seed` 8) or encrypted (`encrypted_data` 6,
 * `encrypted_deterministic_seed` 9, or key type 2 ENCRYPTED): the keys near
 * the start decide, and field 5, when the head reaches it, confirms.
 * A wallet whose secrets are in clear is analysable key material.
 * Reference: bitcoinj core/src/main/proto/wallet.proto (Wallet, Key,
 * EncryptedData, ScryptParameters).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain, protoFields, varint, type ProtoField } from './util.js';

const NETWORK = /^(org|com|io|net)\.[a-z0-9-]+\.(production|test|testnet|regtest|unittest|signet|main|mainnet)$/;
const MAX_TOP_FIELDS = 4096;

interface Tally {
  keys: number;
  clear: number;
  encrypted: number;
  encryptionType?: number;
  scrypt?: { n: number; r: number; p: number };
}

/** The top-level fields that lie wholly in the head (a prefix walk: the head may end inside a transaction). */
function topFields(h: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  for (let at = 0; at < h.length && out.length < MAX_TOP_FIELDS;) {
    const key = varint(h, at);
    if (!key) break;
    const field = Math.floor(key[0] / 8);
    const wire = key[0] % 8;
    if (field === 0) break;
    const v = varint(h, key[1]);
    if (!v) break;
    if (wire === 0) {
      out.push({ field, wire, value: v[0] });
      at = v[1];
    } else if (wire === 2) {
      if (v[1] + v[0] > h.length) break;
      out.push({ field, wire, value: v[0], bytes: h.subarray(v[1], v[1] + v[0]) });
      at = v[1] + v[0];
    } else break;
  }
  return out;
}

function tally(fields: readonly ProtoField[]): Tally {
  const t: Tally = { keys: 0, clear: 0, encrypted: 0 };
  for (const f of fields) {
    if (f.field === 3 && f.bytes) {
      const key = protoFields(f.bytes);
      if (!key) continue;
      t.keys++;
      const has = (n: number) => key.some((k) => k.field === n && k.wire === 2 && k.value > 0);
      const type = key.find((k) => k.field === 1 && k.wire === 0)?.value;
      if (has(6) || has(9) || type === 2) t.encrypted++;
      else if (has(2) || has(8)) t.clear++;
    } else if (f.field === 5 && f.wire === 0) t.encryptionType = f.value;
    else if (f.field === 6 && f.bytes) {
      const p = protoFields(f.bytes) ?? [];
      const num = (n: number, d: number) => p.find((x) => x.field === n && x.wire === 0)?.value ?? d;
      t.scrypt = { n: num(2, 16384), r: num(3, 8), p: num(4, 1) };
    }
  }
  return t;
}

export const bitcoinjWalletDetector = defineDetector({
  meta: {
    id: 'bitcoinj-wallet',
    version: '1.0.0',
    title: 'bitcoinj wallets (Bitcoin Wallet for Android, MultiBit, bitcoinj forks)',
    formats: [
      {
        id: 'bitcoinj-wallet',
        name: 'bitcoinj wallet (protobuf), keys in clear',
        status: 'analysable',
        how: 'structure',
        extensions: ['wallet'],
      },
      {
        id: 'bitcoinj-wallet-encrypted',
        name: 'bitcoinj wallet (protobuf), keys encrypted',
        status: 'encrypted',
        how: 'structure',
        extensions: ['wallet'],
      },
    ],
  },
  // Field 1, wire type 2 (0x0A) and a one-byte length, then the network identifier ("org.bitcoin...").
  signatures: ['org.', 'com.', 'io.', 'net.'].map((prefix) => ({ offset: 2, ascii: prefix })),
  minSize: 24,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const len = h[1] ?? 0;
    if (h[0] !== 0x0a || len < 10 || len > 64) return undefined;
    const network = ascii(h, 2, 2 + len);
    if (!NETWORK.test(network)) return undefined;
    const t = tally(topFields(h));
    if (t.keys === 0 && t.encryptionType === undefined) return undefined;
    const figures = { network, keys: t.keys, clearKeys: t.clear, encryptedKeys: t.encrypted };
    const encrypted = t.encryptionType === 2 || t.encrypted > 0;
    if (encrypted) {
      const scrypt = t.scrypt ? `, scrypt n=${t.scrypt.n} r=${t.scrypt.r} p=${t.scrypt.p}` : '';
      return locked({
        id: 'bitcoinj-wallet-encrypted',
        name: 'bitcoinj wallet (protobuf), keys encrypted',
        confidence: 0.95,
        code: 'BITCOINJ_WALLET_ENCRYPTED',
        message: `bitcoinj Wallet protobuf for ${network}: ${t.encrypted} of ${t.keys} key(s) read carry encrypted secrets${t.encryptionType === 2 ? ' and the wallet says ENCRYPTED_SCRYPT_AES' : ''}${scrypt}; addresses and transactions stay readable, the private keys and seed need the spending password.`,
        figures: { ...figures, ...(t.scrypt ?? {}) },
        scope: 'partial',
        scheme: 'bitcoinj-scrypt-aes',
        keyHint: {
          description: 'The wallet (spending) password or PIN set in the app.',
          kind: 'password',
          present: 'unknown',
        },
      });
    }
    return plain('analysable', {
      id: 'bitcoinj-wallet',
      name: 'bitcoinj wallet (protobuf), keys in clear',
      confidence: 0.93,
      code: 'BITCOINJ_WALLET_CLEAR',
      message: `bitcoinj Wallet protobuf for ${network}: ${t.keys} key(s) read, ${t.clear} with the secret in clear and none encrypted: the private keys (or seed) are readable key material.`,
      figures,
    });
  },
});
