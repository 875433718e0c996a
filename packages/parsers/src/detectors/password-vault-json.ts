/**
 * A JSON document that wraps a secret under a password, whatever program wrote
 * it: the named vaults (json-vaults.ts) are known by their fields; this reads
 * the shape they share, so a vault or key file no detector names yet
 * (securefs's .securefs.json, an app's backup key file) is still found. It
 * needs all three of:
 * - a password key-derivation function: a field or value naming PBKDF2, scrypt,
 *   Argon2 or bcrypt, or a salt beside an iteration/cost count;
 * - exactly one salt in the document (test-vector files list many);
 * - a wrapped secret: a hex or base64 string of at least 32 bytes, not
 *   compressible, in a field named like a key, ciphertext or payload (and not
 *   a salt, IV, nonce, MAC or hash, which are public).
 * Only a whole document that parses is read.
 */
import { fromBase64 } from './util.js';

const KDF_NAME = /^(pbkdf2?([-_]?(sha|hmac)[\w-]*)?|scrypt|argon2(id|i|d)?|bcrypt)$/i;
const KDF_FIELD = /^(kdf|kdf_?type|kdf_?name|pbkdf2?|scrypt|argon2\w*|bcrypt|key_?derivation\w*|derivation)$/i;
const SALT_FIELD = /salt/i;
const COST_FIELD =
  /^(iter|iters|iterations?|rounds|cost|n|log_?n|t_?cost|m_?cost|work_?factor|argon2_\w+|kdf_?iterations|pbkdf2_?iterations)$/i;
const SECRET_FIELD = /(key|cipher|ciphertext|encrypted|wrapped|data|payload|vault|secret|blob|^ct$|seed)/i;
const PUBLIC_FIELD = /(salt|^iv$|_iv$|^iv_|nonce|mac|tag|hash|digest|check|verif|hmac|public|pub_?key|id$)/i;
/** Bytes a wrapped key has at the least (a 256-bit key). */
const MIN_SECRET_BYTES = 32;
const MAX_DEPTH = 5;

export interface PasswordVault {
  kdf: string;
  secretField: string;
  secretBytes: number;
}

interface Found {
  kdf?: string;
  salts: number;
  cost: boolean;
  secret?: { field: string; bytes: number };
}

/** Reads `text` as a password-wrapped JSON vault, or returns undefined. */
export function passwordVaultJson(text: string): PasswordVault | undefined {
  const t = text.trim();
  if (!t.startsWith('{')) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(t);
  } catch {
    return undefined;
  }
  const found: Found = { salts: 0, cost: false };
  walk(doc, found, 0);
  const kdf = found.kdf ?? (found.salts === 1 && found.cost ? 'a salted, iterated key derivation' : undefined);
  if (!kdf || found.salts !== 1 || !found.secret) return undefined;
  return { kdf, secretField: found.secret.field, secretBytes: found.secret.bytes };
}

function walk(node: unknown, found: Found, depth: number): void {
  if (depth > MAX_DEPTH || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) walk(item, found, depth + 1);
    return;
  }
  for (const [field, value] of Object.entries(node as Record<string, unknown>)) {
    if (SALT_FIELD.test(field)) found.salts++;
    if (COST_FIELD.test(field) && typeof value === 'number') found.cost = true;
    if (typeof value === 'string') {
      if (KDF_NAME.test(value) && (KDF_FIELD.test(field) || /kdf|algo|derivation|type/i.test(field)))
        found.kdf ??= value;
      else if (SECRET_FIELD.test(field) && !PUBLIC_FIELD.test(field)) {
        const bytes = secretBytes(value);
        if (bytes >= MIN_SECRET_BYTES && bytes > (found.secret?.bytes ?? 0)) found.secret = { field, bytes };
      }
    } else {
      if (KDF_FIELD.test(field) && typeof value === 'object' && value !== null) found.kdf ??= field;
      walk(value, found, depth + 1);
    }
  }
}

/** Length of the random bytes a hex or base64 string holds, 0 when it is neither or the bytes repeat. */
function secretBytes(value: string): number {
  const s = value.trim();
  let bytes: Uint8Array | undefined;
  if (/^(0x)?[0-9a-f]+$/i.test(s) && s.length % 2 === 0) bytes = Buffer.from(s.replace(/^0x/i, ''), 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s) && s.length >= 43)
    bytes = fromBase64(s.replace(/-/g, '+').replace(/_/g, '/'));
  if (!bytes || bytes.length < MIN_SECRET_BYTES) return 0;
  // Ciphertext and keys use most byte values: a run of text or a repeated pattern does not.
  return new Set(bytes).size >= Math.min(200, bytes.length * 0.6) ? bytes.length : 0;
}
