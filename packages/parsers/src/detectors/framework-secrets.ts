/**
 * Secrets that web frameworks encrypt into text files a developer's computer or a server keeps:
 * - Rails encrypted credentials (`config/credentials.yml.enc`, `config/credentials/<env>.yml.enc`), written by
 *   ActiveSupport::MessageEncryptor: "<ciphertext>--<IV>--<tag>" in base64, AES-128-GCM (12-byte IV, 16-byte tag)
 *   under `config/master.key` or RAILS_MASTER_KEY;
 * - Laravel encrypted payloads (`php artisan env:encrypt`'s `.env.encrypted`, encrypted cookies and values):
 *   base64 of a JSON object with "iv" (16 bytes), "value" (the ciphertext, whole AES blocks), "mac" and "tag",
 *   AES-256-CBC (or GCM) under APP_KEY / the env-encryption key;
 * - Jasypt values in Java properties and YAML (Spring Boot's jasypt-spring-boot): `ENC(<base64>)`, a salt and
 *   ciphertext in whole blocks (PBEWithMD5AndDES: 8-byte salt, DES blocks; PBEWITHHMACSHA512ANDAES_256: 16-byte
 *   salt and IV, AES blocks) under jasypt.encryptor.password;
 * - dotenv-vault files (`.env.vault`): DOTENV_VAULT_<ENVIRONMENT>="<base64>" lines, each a 12-byte nonce, the
 *   environment's .env encrypted with AES-256-GCM and its 16-byte tag, under the DOTENV_KEY of that environment.
 * Every value is decoded and its layout checked; the reason says how many. A file that is one payload is encrypted;
 * configuration with some values encrypted is encrypted in part, as SOPS files are.
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { locked, textInfo } from './util.js';

const b64 = (s: string) => Buffer.from(s, 'base64');
const isB64 = (s: string) => /^[A-Za-z0-9+/]+={0,2}$/.test(s);

interface Found {
  id: string;
  name: string;
  code: string;
  message: string;
  scheme: string;
  scope: 'full' | 'partial';
  keyHint: KeyHint;
  figures: Record<string, number>;
}

/** Rails: the whole file is "<ciphertext>--<IV>--<tag>", the IV 12 bytes and the tag 16 (AES-GCM). */
function rails(text: string): Found | undefined {
  const line = text.trim();
  // One line of base64 and dashes: ordinary text fails at its first space.
  if (/\s/.test(line)) return undefined;
  const parts = line.split('--');
  if (parts.length !== 3 || !parts.every(isB64)) return undefined;
  const [data, iv, tag] = parts.map(b64);
  if (iv!.length !== 12 || tag!.length !== 16 || data!.length === 0) return undefined;
  return {
    id: 'rails-encrypted-credentials',
    name: 'Rails encrypted credentials',
    code: 'RAILS_MESSAGE_ENCRYPTOR',
    message: `ActiveSupport::MessageEncryptor output: ${data!.length} bytes of ciphertext, a 12-byte IV and a 16-byte tag ("data--iv--tag", AES-GCM): the credentials need the application's master key.`,
    scheme: 'rails-aes-gcm',
    scope: 'full',
    keyHint: {
      description:
        'The Rails master key: config/master.key (or config/credentials/<env>.key) beside it, or RAILS_MASTER_KEY.',
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/config/master.key', '**/config/credentials/*.key'],
    },
    figures: { ciphertextBytes: data!.length },
  };
}

/** A Laravel payload: base64 of {"iv", "value", "mac", ...} with a 16-byte IV and ciphertext in whole blocks. */
function laravelPayload(token: string): boolean {
  if (!token.startsWith('eyJ') || !isB64(token)) return false;
  try {
    const o = JSON.parse(b64(token).toString('utf8')) as Record<string, unknown>;
    if (typeof o.iv !== 'string' || typeof o.value !== 'string' || typeof o.mac !== 'string') return false;
    const value = b64(o.value);
    return b64(o.iv).length === 16 && value.length >= 16 && (value.length % 16 === 0 || o.tag !== '');
  } catch {
    return false;
  }
}

function laravel(text: string): Found | undefined {
  const tokens = text.match(/eyJ[A-Za-z0-9+/]{40,}={0,2}/g)?.slice(0, 256) ?? [];
  const good = tokens.filter(laravelPayload).length;
  if (good === 0) return undefined;
  const whole =
    text
      .trim()
      .replace(/eyJ[A-Za-z0-9+/]{40,}={0,2}/g, '')
      .trim() === '';
  return {
    id: 'laravel-encrypted',
    name: 'Laravel encrypted payload',
    code: 'LARAVEL_ENCRYPTER_PAYLOAD',
    message: `${whole ? 'The file is' : 'Text holding'} ${good} Laravel encrypter payload${good > 1 ? 's' : ''} (base64 of a JSON object with a 16-byte "iv", the "value" ciphertext and a "mac"): AES-256 under the application key.`,
    scheme: 'laravel-aes-256',
    scope: whole ? 'full' : 'partial',
    keyHint: {
      description:
        "The Laravel application key (APP_KEY in .env), or for .env.encrypted the key printed by 'php artisan env:encrypt' (LARAVEL_ENV_ENCRYPTION_KEY).",
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/.env'],
    },
    figures: { payloads: good },
  };
}

/** Jasypt: ENC(...) values whose bytes are a salt and whole cipher blocks. */
function jasypt(text: string): Found | undefined {
  const values = [...text.matchAll(/\bENC\(([A-Za-z0-9+/]{16,}={0,2})\)/g)].map((m) => b64(m[1]!)).slice(0, 256);
  const good = values.filter((v) => v.length >= 16 && v.length % 8 === 0).length;
  if (good === 0) return undefined;
  return {
    id: 'jasypt-encrypted-values',
    name: 'Configuration with Jasypt-encrypted values',
    code: 'JASYPT_ENC_VALUES',
    message: `Configuration holding ${good} Jasypt value${good > 1 ? 's' : ''} (ENC(...): a salt and ciphertext in whole cipher blocks) among readable settings: those values need the encryptor password.`,
    scheme: 'jasypt-pbe',
    scope: 'partial',
    keyHint: {
      description:
        'The Jasypt encryptor password (jasypt.encryptor.password, often JASYPT_ENCRYPTOR_PASSWORD in the environment).',
      kind: 'password',
      present: 'unknown',
    },
    figures: { values: good },
  };
}

/** dotenv-vault: DOTENV_VAULT_<ENV>="..." lines whose bytes hold a nonce, ciphertext and a tag. */
function dotenvVault(text: string): Found | undefined {
  const lines = [...text.matchAll(/^DOTENV_VAULT(?:_[A-Z0-9_]+)?\s*=\s*"([A-Za-z0-9+/]{40,}={0,2})"/gm)];
  const good = lines.filter((m) => b64(m[1]!).length >= 12 + 16 + 1).length;
  if (good === 0) return undefined;
  return {
    id: 'dotenv-vault',
    name: 'dotenv-vault encrypted environment file',
    code: 'DOTENV_VAULT_VALUES',
    message: `A .env.vault with ${good} encrypted environment${good > 1 ? 's' : ''} (DOTENV_VAULT_…: a 12-byte nonce, AES-256-GCM ciphertext and a 16-byte tag): each needs its environment's DOTENV_KEY.`,
    scheme: 'dotenv-vault-aes-256-gcm',
    scope: 'full',
    keyHint: {
      description:
        'The DOTENV_KEY of each environment ("dotenv://:key_…@dotenv.org/vault/.env.vault?environment=…"), kept in the deployment\'s settings or a .env.keys file.',
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/.env.keys', '**/.env.me'],
    },
    figures: { environments: good },
  };
}

export const frameworkSecretsDetector = defineDetector({
  meta: {
    id: 'framework-secrets',
    version: '1.0.0',
    title: 'Web frameworks’ encrypted secrets: Rails credentials, Laravel payloads, Jasypt values, dotenv-vault',
    formats: [
      {
        id: 'rails-encrypted-credentials',
        name: 'Rails encrypted credentials',
        status: 'encrypted',
        how: 'structure',
        extensions: ['enc'],
      },
      { id: 'laravel-encrypted', name: 'Laravel encrypted payload', status: 'encrypted', how: 'structure' },
      {
        id: 'dotenv-vault',
        name: 'dotenv-vault encrypted environment file',
        status: 'encrypted',
        how: 'structure',
        extensions: ['vault'],
      },
      {
        id: 'jasypt-encrypted-values',
        name: 'Configuration with Jasypt-encrypted values',
        status: 'encrypted',
        how: 'structure',
        extensions: ['properties', 'yml', 'yaml'],
      },
    ],
  },
  minSize: 40,
  priority: 25,
  detect(probe): Detection | undefined {
    const bytes = Buffer.from(probe.head.buffer, probe.head.byteOffset, probe.head.length);
    // Cheap first (native searches): each shape has a marker, and only the shapes whose marker is there are read.
    const readers = [
      bytes.indexOf('--') >= 0 ? rails : undefined,
      bytes.indexOf('eyJ') >= 0 ? laravel : undefined,
      bytes.indexOf('ENC(') >= 0 ? jasypt : undefined,
      bytes.indexOf('DOTENV_VAULT') >= 0 ? dotenvVault : undefined,
    ].filter((r) => r !== undefined);
    if (readers.length === 0) return undefined;
    const info = textInfo(probe.head);
    if (!info) return undefined;
    let found: Found | undefined;
    for (const read of readers) found ??= read(info.text);
    if (!found) return undefined;
    return locked({ ...found, confidence: 0.97 });
  },
});
