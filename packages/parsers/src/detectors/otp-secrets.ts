/**
 * Authenticator (TOTP/HOTP) secrets kept in clear: the unencrypted exports and
 * vaults of Aegis ("db" an object of entries whose info holds the secret),
 * andOTP (an array of accounts with secret and type), 2FAS (services with
 * secret and otp settings), FreeOTP+ (tokens with the secret as a byte array),
 * Stratum / Authenticator Pro (Authenticators with Secret), and lists of
 * `otpauth://` URIs (ente Auth's and Aegis's plain-text exports) or Google
 * Authenticator's `otpauth-migration://` transfer links. Whoever holds such a
 * file can generate the codes: the file is readable and the finding says so.
 * An entry counts only when a secret sits beside OTP settings (type, digits,
 * period, algorithm), so a JSON document that merely has a "secret" field is
 * not one. References: Aegis docs/vault.md (plain vault), andOTP and 2FAS
 * backup schemas, FreeOTP+ export (tokens, tokenOrder), Stratum
 * doc/BACKUP_FORMAT.md, Google's Key Uri Format (otpauth://).
 */
import type { Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

const BASE32 = /^[A-Z2-7]{16,}=*$/;
const OTP_TYPE = /^(totp|hotp|steam|motp|yandex)$/i;
const OTP_SETTING = /^(digits|period|algorithm|algo|counter|tokenType|type)$/i;
const MAX_DEPTH = 5;
/** URIs counted from text (a list the size of a phone's accounts, not a log of them). */
const URI = /(^|\s)otpauth:\/\/(totp|hotp)\/[^\s]*[?&]secret=[A-Za-z2-7=]{16,}/gi;
const MIGRATION = /(^|\s)otpauth-migration:\/\/offline\?data=[A-Za-z0-9%+/=_-]{20,}/gi;

export interface OtpSecrets {
  entries: number;
  form: 'json' | 'otpauth-uris' | 'migration-links';
}

/** Reads `text` as a list of authenticator secrets in clear, or returns undefined. */
export function otpSecretsInClear(text: string, complete: boolean): OtpSecrets | undefined {
  const t = text.trim();
  if (complete && (t.startsWith('{') || t.startsWith('['))) {
    let doc: unknown;
    try {
      doc = JSON.parse(t);
    } catch {
      return undefined;
    }
    const entries = count(doc, 0);
    return entries > 0 ? { entries, form: 'json' } : undefined;
  }
  const uris = t.match(URI)?.length ?? 0;
  if (uris > 0) return { entries: uris, form: 'otpauth-uris' };
  const links = t.match(MIGRATION)?.length ?? 0;
  return links > 0 ? { entries: links, form: 'migration-links' } : undefined;
}

/** OTP entries in a parsed JSON value: objects with a secret beside OTP settings (in it or in a nested "info"/"otp"). */
function count(node: unknown, depth: number): number {
  if (depth > MAX_DEPTH || node === null || typeof node !== 'object') return 0;
  if (Array.isArray(node)) return node.reduce((n: number, item) => n + count(item, depth + 1), 0);
  const o = node as Record<string, unknown>;
  if (isEntry(o)) return 1;
  let n = 0;
  for (const value of Object.values(o)) n += count(value, depth + 1);
  return n;
}

function isEntry(o: Record<string, unknown>): boolean {
  const fields = [o, ...['info', 'otp'].map((k) => o[k]).filter((v) => v && typeof v === 'object')] as Record<
    string,
    unknown
  >[];
  const secret = fields.some((f) => Object.entries(f).some(([k, v]) => /^secret$/i.test(k) && clearSecret(v)));
  if (!secret) return false;
  const settings = fields.flatMap((f) => Object.entries(f)).filter(([k]) => OTP_SETTING.test(k));
  // A secret with an OTP type, or with two of digits/period/algorithm/counter.
  return (
    settings.some(([k, v]) => /type/i.test(k) && typeof v === 'string' && OTP_TYPE.test(v)) || settings.length >= 2
  );
}

/** A base32 secret (spaces allowed), or FreeOTP's secret as an array of signed bytes. */
function clearSecret(v: unknown): boolean {
  if (typeof v === 'string') return BASE32.test(v.replace(/\s/g, '').toUpperCase());
  return (
    Array.isArray(v) &&
    v.length >= 10 &&
    v.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= -128 && b <= 255)
  );
}

/** The analysable detection that names the secrets in clear. */
export function otpSecretsDetection(found: OtpSecrets): Detection {
  const what =
    found.form === 'json'
      ? `${found.entries} authenticator entr${found.entries === 1 ? 'y' : 'ies'} whose TOTP/HOTP secret is stored in clear (base32 or bytes) beside its OTP settings`
      : found.form === 'otpauth-uris'
        ? `${found.entries} otpauth:// URI${found.entries === 1 ? '' : 's'} carrying the secret in clear`
        : `${found.entries} Google Authenticator otpauth-migration:// link${found.entries === 1 ? '' : 's'} (base64 protobuf with the secrets in clear)`;
  return plain('analysable', {
    id: 'otp-secrets-clear',
    name: 'Authenticator export or vault with 2FA secrets in clear',
    confidence: 0.97,
    code: 'OTP_SECRETS_IN_CLEAR',
    message: `${what}: anyone holding the file can generate the one-time codes; no key is needed.`,
    figures: { entries: found.entries, form: found.form },
  });
}
