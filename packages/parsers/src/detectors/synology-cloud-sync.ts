/**
 * Files encrypted by Synology Cloud Sync (a NAS synchronising to S3, C2,
 * Google Drive and the like with "data encryption" on): the magic
 * `__CLOUDSYNC_ENC__` and its MD5 in hex, then typed objects (integer 0x01,
 * string 0x10, bytes 0x11, dict 0x37 ended by 0x28). The first dict is the
 * metadata: `type` "metadata", `encrypt`, `compress`, `enc_key1` (the
 * per-file session key under the task password: OpenSSL's MD5 KDF, AES-256-
 * CBC), `enc_key2` (the same key under the task's RSA key, OAEP), key
 * hashes, `salt` and `version`; then `data` dicts with the AES-256-CBC, LZ4
 * compressed chunks. `encrypt` 0 leaves the chunks only compressed (opaque).
 * References: maxlaverse/synocrypto ENCRYPTION.md (after marnix/synology-
 * decrypt). Fixtures written from that layout (fixtures/synology-cloud-sync/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, plain } from './util.js';

const MAGIC = '__CLOUDSYNC_ENC__d8d6ba7b9df02ef39a33ef912a91dc56';
const INTEGER = 0x01;
const STRING = 0x10;
const BYTES = 0x11;
const DICT = 0x37;
const STOP = 0x28;

type Value = number | string | Map<string, Value> | Uint8Array;

/** One object at `at`: its value and where the next begins; undefined when it is not well formed. */
function readObject(b: Uint8Array, at: number, depth: number): [Value, number] | undefined {
  const lead = b[at];
  if (lead === INTEGER) {
    const n = b[at + 1];
    if (n === undefined || n > 6 || at + 2 + n > b.length) return undefined;
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + b[at + 2 + i]!;
    return [v, at + 2 + n];
  }
  if (lead === STRING || lead === BYTES) {
    if (at + 3 > b.length) return undefined;
    const n = (b[at + 1]! << 8) | b[at + 2]!;
    if (at + 3 + n > b.length) return undefined;
    const raw = b.subarray(at + 3, at + 3 + n);
    return [lead === STRING ? Buffer.from(raw).toString('latin1') : raw, at + 3 + n];
  }
  if (lead === DICT && depth < 4) {
    const dict = new Map<string, Value>();
    let p = at + 1;
    for (let entries = 0; entries < 64; entries++) {
      if (b[p] === STOP) return [dict, p + 1];
      if (b[p] !== STRING) return undefined;
      const key = readObject(b, p, depth + 1);
      if (!key || typeof key[0] !== 'string') return undefined;
      const value = readObject(b, key[1], depth + 1);
      if (!value) return undefined;
      dict.set(key[0], value[0]);
      p = value[1];
    }
  }
  return undefined;
}

export const synologyCloudSyncDetector = defineDetector({
  meta: {
    id: 'synology-cloud-sync',
    version: '1.0.0',
    title: 'Synology Cloud Sync encrypted files (__CLOUDSYNC_ENC__)',
    formats: [
      {
        id: 'synology-cloud-sync-encrypted',
        name: 'Synology Cloud Sync encrypted file',
        status: 'encrypted',
        how: 'structure',
      },
      {
        id: 'synology-cloud-sync-compressed',
        name: 'Synology Cloud Sync file, compressed, not encrypted',
        status: 'opaque',
        how: 'structure',
      },
    ],
    indexPatterns: ['**/key.zip', '**/private.pem'],
  },
  signatures: [{ offset: 0, ascii: MAGIC }],
  minSize: MAGIC.length + 8,
  priority: 20,
  detect(probe): Detection | undefined {
    const meta = readObject(probe.head, MAGIC.length, 0)?.[0];
    if (!(meta instanceof Map) || meta.get('type') !== 'metadata') return undefined;
    const encrypt = meta.get('encrypt');
    const version = meta.get('version');
    const major = version instanceof Map ? version.get('major') : undefined;
    const minor = version instanceof Map ? version.get('minor') : undefined;
    const v = typeof major === 'number' && typeof minor === 'number' ? `${major}.${minor}` : 'unknown';
    const fields = [...meta.keys()].join(', ');
    if (encrypt === 0)
      return plain('opaque', {
        id: 'synology-cloud-sync-compressed',
        name: 'Synology Cloud Sync file, compressed, not encrypted',
        confidence: 0.95,
        code: 'SYNOLOGY_CLOUD_SYNC_PLAIN',
        message: `Synology Cloud Sync file (format ${v}): the metadata says encrypt 0, so its data chunks are only LZ4-compressed; read by Synology's tools.`,
        figures: { version: v },
      });
    if (encrypt !== 1 || !meta.has('enc_key1') || !meta.has('session_key_hash')) return undefined;
    return locked({
      id: 'synology-cloud-sync-encrypted',
      name: 'Synology Cloud Sync encrypted file',
      confidence: 0.97,
      code: 'SYNOLOGY_CLOUD_SYNC_ENCRYPTED',
      message: `Synology Cloud Sync file (format ${v}): "__CLOUDSYNC_ENC__", metadata with encrypt 1 (${fields}): the data chunks are AES-256-CBC under a per-file session key, itself encrypted with the task password (enc_key1) and the task's RSA key (enc_key2).`,
      scheme: 'synology-cloud-sync-aes-256-cbc',
      keyHint: {
        description:
          "The Cloud Sync task's encryption password, or the RSA private key from the key.zip Synology offers to download when encryption is set up (private.pem); either unwraps each file's session key.",
        kind: 'password',
        present: 'unknown',
        lookFor: ['**/key.zip', '**/private.pem'],
      },
      figures: { version: v, compressed: meta.get('compress') === 1 },
    });
  },
});
