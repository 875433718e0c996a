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
 * - hiera-eyaml values in Puppet's Hiera YAML: `ENC[PKCS7,<base64>]`, a CMS EnvelopedData (AES-256-CBC under the
 *   eyaml public key), or `ENC[GPG,<base64>]`, an OpenPGP message;
 * - Chef encrypted data bag items: JSON whose values are objects with "encrypted_data", "iv", "version" and
 *   "cipher" (aes-256-cbc, or aes-256-gcm with an "auth_tag" from version 3) under the data bag secret.
 * - key-management ciphertexts pasted into configuration: HashiCorp Vault's transit engine ("vault:v<n>:" and
 *   base64 of a 12-byte nonce, AES-GCM ciphertext and tag) and AWS KMS ciphertext blobs (base64 of a blob of 100
 *   bytes or more whose header is 01 02 02 00, "AQICAH…", as every blob in AWS's documentation starts).
 * Every value is decoded and its layout checked; the reason says how many. A file that is one payload is encrypted;
 * configuration with some values encrypted is encrypted in part, as SOPS files are.
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { nulBeforeText } from './appended-clear.js';
import { locked, notingZeroPadding, textInfo } from './util.js';

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

/** PKCS#7 EnvelopedData's object identifier (1.2.840.113549.1.7.3), DER-encoded. */
const ENVELOPED_DATA = Buffer.from('06092a864886f70d010703', 'hex');

/** hiera-eyaml: ENC[PKCS7,...] values that are CMS EnvelopedData, or ENC[GPG,...] OpenPGP messages. */
function hieraEyaml(text: string): Found | undefined {
  const values = [...text.matchAll(/ENC\[(PKCS7|GPG),([A-Za-z0-9+/=\s]{40,}?)\]/g)].slice(0, 256);
  const good = values.filter(([, kind, body]) => {
    const der = b64(body!.replace(/\s+/g, ''));
    // An OpenPGP message starts with a packet tag byte: bit 7 set.
    return kind === 'PKCS7'
      ? der[0] === 0x30 && der.subarray(0, 32).indexOf(ENVELOPED_DATA) >= 0
      : (der[0]! & 0x80) !== 0;
  }).length;
  if (good === 0) return undefined;
  return {
    id: 'hiera-eyaml-values',
    name: 'Hiera YAML with hiera-eyaml encrypted values',
    code: 'HIERA_EYAML_VALUES',
    message: `Hiera data holding ${good} hiera-eyaml value${good > 1 ? 's' : ''} (ENC[PKCS7,…]: CMS EnvelopedData, or ENC[GPG,…]: OpenPGP) among readable keys: those values need the eyaml private key.`,
    scheme: 'hiera-eyaml-pkcs7',
    scope: 'partial',
    keyHint: {
      description:
        "hiera-eyaml's private key (keys/private_key.pkcs7.pem beside the Puppet code, or the path in eyaml's config), or the GPG key for ENC[GPG,…] values.",
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/keys/private_key.pkcs7.pem'],
    },
    figures: { values: good },
  };
}

/** Chef encrypted data bag items: values that are {"encrypted_data", "iv", "version", "cipher"} objects. */
function chefDataBag(text: string): Found | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  let item: unknown;
  try {
    item = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof item !== 'object' || item === null) return undefined;
  const encrypted = Object.values(item).filter(
    (v): v is Record<string, unknown> =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as Record<string, unknown>).encrypted_data === 'string' &&
      typeof (v as Record<string, unknown>).iv === 'string' &&
      typeof (v as Record<string, unknown>).cipher === 'string' &&
      typeof (v as Record<string, unknown>).version === 'number',
  );
  if (encrypted.length === 0) return undefined;
  const versions = [...new Set(encrypted.map((v) => v.version as number))].sort();
  return {
    id: 'chef-encrypted-data-bag',
    name: 'Chef encrypted data bag item',
    code: 'CHEF_ENCRYPTED_DATA_BAG',
    message: `Chef data bag item with ${encrypted.length} encrypted value${encrypted.length > 1 ? 's' : ''} ("encrypted_data", "iv", "cipher" ${String(encrypted[0]!.cipher)}, format version ${versions.join(', ')}): they need the data bag secret; the item id is readable.`,
    scheme: `chef-data-bag-${String(encrypted[0]!.cipher)}`,
    scope: 'partial',
    keyHint: {
      description:
        "Chef's encrypted data bag secret (/etc/chef/encrypted_data_bag_secret, or the file knife's --secret-file named).",
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/encrypted_data_bag_secret'],
    },
    figures: { values: encrypted.length },
  };
}

/** Vault transit and AWS KMS ciphertexts: values only the key-management service can decrypt. */
function kmsCiphertexts(text: string): Found | undefined {
  const vault = [...text.matchAll(/\bvault:v\d+:([A-Za-z0-9+/]{38,}={0,2})/g)].filter(
    (m) => b64(m[1]!).length >= 12 + 16 + 1,
  );
  const aws = [...text.matchAll(/\bAQICAH[A-Za-z0-9+/]{120,}={0,2}/g)].filter((m) => {
    const blob = b64(m[0]);
    return blob[0] === 1 && blob[1] === 2 && blob[2] === 2 && blob[3] === 0 && blob.length >= 100;
  });
  if (vault.length + aws.length === 0) return undefined;
  const what = [
    vault.length ? `${vault.length} Vault transit ciphertext${vault.length > 1 ? 's' : ''} ("vault:v…:")` : '',
    aws.length ? `${aws.length} AWS KMS ciphertext blob${aws.length > 1 ? 's' : ''}` : '',
  ].filter(Boolean);
  return {
    id: 'kms-ciphertext-values',
    name: 'Text holding key-management-service ciphertexts',
    code: 'KMS_CIPHERTEXT_VALUES',
    message: `Text holding ${what.join(' and ')}: those values are decrypted only by the key-management service that made them; the rest is readable.`,
    scheme: vault.length ? 'vault-transit' : 'aws-kms',
    scope: 'partial',
    keyHint: {
      description:
        'A key held by the key-management service (HashiCorp Vault transit key, AWS KMS key): access to that service, not a file.',
      kind: 'keystore',
      present: 'no',
    },
    figures: { vault: vault.length, awsKms: aws.length },
  };
}

export const frameworkSecretsDetector = defineDetector({
  meta: {
    id: 'framework-secrets',
    version: '1.1.0',
    title:
      'Encrypted secrets of web frameworks and configuration tools: Rails, Laravel, Jasypt, dotenv-vault, hiera-eyaml, Chef',
    formats: [
      {
        id: 'kms-ciphertext-values',
        name: 'Text holding key-management-service ciphertexts',
        status: 'encrypted',
        how: 'structure',
      },
      {
        id: 'hiera-eyaml-values',
        name: 'Hiera YAML with hiera-eyaml encrypted values',
        status: 'encrypted',
        how: 'structure',
        extensions: ['yaml', 'eyaml'],
      },
      {
        id: 'chef-encrypted-data-bag',
        name: 'Chef encrypted data bag item',
        status: 'encrypted',
        how: 'structure',
        extensions: ['json'],
      },
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
    // These secrets are ASCII text: a NUL in the first KiB (binary data, UTF-16) ends it before any other work, unless
    // only NULs follow it (a byte a copy added, slack: textInfo sets them aside and the reason names them); then
    // native searches for each shape's marker, and the text is decoded only when one is there.
    if (nulBeforeText(probe.head)) return undefined;
    const bytes = Buffer.from(probe.head.buffer, probe.head.byteOffset, probe.head.length);
    const has = (marker: string) => bytes.indexOf(marker) >= 0;
    const readers = [
      has('--') ? rails : undefined,
      has('eyJ') ? laravel : undefined,
      has('ENC(') ? jasypt : undefined,
      has('DOTENV_VAULT') ? dotenvVault : undefined,
      has('ENC[') ? hieraEyaml : undefined,
      has('"encrypted_data"') ? chefDataBag : undefined,
      has('vault:v') || has('AQICAH') ? kmsCiphertexts : undefined,
    ].filter((r) => r !== undefined);
    if (readers.length === 0) return undefined;
    const info = textInfo(probe.head);
    if (!info) return undefined;
    let found: Found | undefined;
    for (const read of readers) found ??= read(info.text);
    if (!found) return undefined;
    return notingZeroPadding(locked({ ...found, confidence: 0.97 }), info);
  },
});
