/**
 * Metadata of Nextcloud end-to-end-encrypted folders (`meta.data` in the server's
 * `appdata_<instance>/end_to_end_encryption/meta-data/<folder id>/`, and as clients cache it). The folder's
 * file names, file keys and nonces live only here, encrypted: version 1 wraps metadata keys with each user's
 * RSA key (`metadata.metadataKeys`) and encrypts every file's entry with AES-GCM (`files.<id>.encrypted`,
 * `initializationVector`, `authenticationTag`); version 2 encrypts the whole folder metadata (gzipped, AES-GCM,
 * `metadata.ciphertext`, `nonce`, `authenticationTag`) and wraps its key per user (`users[].encryptedMetadataKey`).
 * The JSON is readable, its substance is not: encrypted, opened by a user's end-to-end private key.
 * Reference: nextcloud/end_to_end_encryption_rfc (RFC.md, RFC_v1.md).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { indexOf, locked } from './util.js';

const BASE64 = /^[A-Za-z0-9+/]{16,}={0,2}$/;
/** Version 2's ciphertext is base64, some clients append "|" and the nonce. */
const CIPHERTEXT = /^[A-Za-z0-9+/]{16,}={0,2}(?:\|[A-Za-z0-9+/]+={0,2})?$/;
const MAX = 4 * 1024 * 1024;

const KEY_HINT: KeyHint = {
  description:
    "A folder user's end-to-end private key: in the Nextcloud clients' key store (keychain, Android keystore, desktop keyring), and on the server encrypted with the user's 12-word mnemonic (end_to_end_encryption/private-keys/).",
  kind: 'keystore',
  present: 'unknown',
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const b64 = (v: unknown): boolean => typeof v === 'string' && BASE64.test(v);

/** The version and what was checked, when `doc` is an end-to-end metadata document. */
function metadataVersion(doc: unknown): { version: 1 | 2; entries: number } | undefined {
  if (!isObject(doc) || !isObject(doc.metadata)) return undefined;
  const m = doc.metadata;
  if (typeof m.ciphertext === 'string') {
    if (!CIPHERTEXT.test(m.ciphertext) || !b64(m.nonce) || !b64(m.authenticationTag)) return undefined;
    const users = Array.isArray(doc.users) ? doc.users : [];
    if (!users.every((u) => isObject(u) && b64(u.encryptedMetadataKey))) return undefined;
    return { version: 2, entries: users.length };
  }
  const keys = isObject(m.metadataKeys) ? Object.values(m.metadataKeys) : b64(m.metadataKey) ? [m.metadataKey] : [];
  if (keys.length === 0 || !keys.every(b64)) return undefined;
  const files = isObject(doc.files) ? Object.values(doc.files) : [];
  if (!files.every((f) => isObject(f) && b64(f.encrypted) && b64(f.initializationVector) && b64(f.authenticationTag)))
    return undefined;
  return { version: 1, entries: files.length };
}

export const nextcloudE2eeDetector = defineDetector({
  meta: {
    id: 'nextcloud-e2ee',
    version: '1.0.0',
    title: 'Nextcloud end-to-end encryption folder metadata',
    formats: [
      {
        id: 'nextcloud-e2ee-metadata',
        name: 'Nextcloud end-to-end encrypted folder metadata',
        status: 'encrypted',
        how: 'structure',
        mime: 'application/json',
      },
    ],
  },
  signatures: [{ offset: 0, ascii: '{' }],
  minSize: 40,
  maxSize: MAX,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h.length < probe.size || indexOf(h, '"metadata"') < 0) return undefined;
    let doc: unknown;
    try {
      doc = JSON.parse(Buffer.from(h.buffer, h.byteOffset, h.length).toString('utf8'));
    } catch {
      return undefined;
    }
    const v = metadataVersion(doc);
    if (!v) return undefined;
    const what =
      v.version === 2
        ? `the folder's metadata as AES-GCM ciphertext and its key wrapped for ${v.entries} user${v.entries === 1 ? '' : 's'}`
        : `metadata keys wrapped by RSA and ${v.entries} file entr${v.entries === 1 ? 'y' : 'ies'} as AES-GCM ciphertext (names, keys)`;
    return locked({
      id: 'nextcloud-e2ee-metadata',
      name: 'Nextcloud end-to-end encrypted folder metadata',
      mime: 'application/json',
      confidence: 0.95,
      code: 'NEXTCLOUD_E2EE_METADATA',
      message: `Nextcloud end-to-end encryption metadata, version ${v.version}: ${what}; the folder's file names and keys are only in that ciphertext.`,
      figures: { version: v.version, entries: v.entries },
      scheme: `nextcloud-e2ee-v${v.version}`,
      keyHint: KEY_HINT,
    });
  },
});
