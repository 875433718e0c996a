/**
 * Secrets vaults stored as text: Ansible Vault files, SOPS-encrypted YAML or
 * JSON (keys in clear, every value ENC[...]), Bitwarden password-protected
 * JSON exports and 1Password OPVault profiles, items and folders. The wrapper is readable text,
 * the substance is ciphertext, so they are encrypted.
 * References: Ansible docs "Vault format" ($ANSIBLE_VAULT;1.x;AES256);
 * getsops/sops README ("Encrypted file format"); Bitwarden help
 * "Encrypted exports"; AgileBits OPVault design ("profile.js"); JtR vmx2john
 * (VMware .vmx encryption.keySafe "vmware:key/list/(pair/(phrase/..." and
 * encryption.data); rclone fs/config/crypt.go ("RCLONE_ENCRYPT_V0:", nonce and
 * secretbox); keyrings.alt keyrings/alt/file.py (EncryptedKeyring: "keyring-setting",
 * "password reference", scheme "[PBKDF2] AES256.CFB", INI names escaped as _XX).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { APP_SECURE_STORAGE_FORMATS, appSecureStorage } from './app-secure-storage.js';
import { JSON_VAULT_FORMATS, jsonVault } from './json-vaults.js';
import { otpSecretsDetection, otpSecretsInClear } from './otp-secrets.js';
import { ascii, locked, notingZeroPadding, textInfo } from './util.js';

export const textVaultsDetector = defineDetector({
  meta: {
    id: 'text-vaults',
    version: '1.6.0',
    title: 'Text-wrapped vaults (Ansible Vault, SOPS, Bitwarden, OPVault, JSON/XML wallets and key files)',
    formats: [
      {
        id: 'ansible-vault',
        name: 'Ansible Vault',
        status: 'encrypted',
        how: 'signature',
        extensions: ['yml', 'yaml', 'vault', 'txt'],
      },
      {
        id: 'sops-yaml',
        name: 'SOPS-encrypted YAML',
        status: 'encrypted',
        how: 'structure',
        extensions: ['yaml', 'yml'],
      },
      { id: 'sops-json', name: 'SOPS-encrypted JSON', status: 'encrypted', how: 'structure', extensions: ['json'] },
      {
        id: 'sealed-secret',
        name: 'Bitnami Sealed Secret (kubeseal)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['yaml', 'yml', 'json'],
      },
      {
        id: 'bitwarden-encrypted-json',
        name: 'Bitwarden password-protected export',
        status: 'encrypted',
        how: 'structure',
        extensions: ['json'],
      },
      {
        id: 'bitwarden-account-export',
        name: 'Bitwarden account-restricted encrypted export',
        status: 'encrypted',
        how: 'structure',
        extensions: ['json'],
      },
      {
        id: 'opvault-profile',
        name: '1Password OPVault profile',
        status: 'encrypted',
        how: 'structure',
        extensions: ['js'],
      },
      {
        id: 'opvault-band',
        name: '1Password OPVault items or folders',
        status: 'encrypted',
        how: 'structure',
        extensions: ['js'],
      },
      ...JSON_VAULT_FORMATS,
      {
        id: 'meld-encrypt-inline',
        name: 'Note with Obsidian Meld Encrypt in-place encrypted text',
        status: 'encrypted',
        how: 'structure',
        extensions: ['md'],
      },
      {
        id: 'otp-secrets-clear',
        name: 'Authenticator export or vault with 2FA secrets in clear',
        status: 'analysable',
        how: 'structure',
        extensions: ['json', 'txt', '2fas', 'stratum'],
      },
      ...APP_SECURE_STORAGE_FORMATS,
      {
        id: 'rclone-config-encrypted',
        name: 'rclone configuration, encrypted',
        status: 'encrypted',
        how: 'signature',
        extensions: ['conf'],
      },
      {
        id: 'keyrings-alt-encrypted',
        name: 'Python keyring encrypted file (keyrings.alt)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['cfg'],
      },
      {
        id: 'vmware-encrypted-vm',
        name: 'VMware virtual machine, encrypted (.vmx key safe)',
        status: 'encrypted',
        how: 'structure',
        extensions: ['vmx'],
      },
    ],
    indexPatterns: ['**/Signal/Local State'],
  },
  priority: 30,
  detect(probe): Detection | undefined {
    // Text detectors judge text followed by NUL padding on the text alone (textInfo); the answer says so.
    return notingZeroPadding(judgeTextVaultProbe(probe), textInfo(probe.head));
  },
});

function judgeTextVaultProbe(probe: Probe): Detection | undefined {
  const h = probe.head;
  const c = h[0];
  // Every format here starts with '$', '{', 'v', '#' or a YAML key; skip binary quickly.
  if (c === undefined || c < 0x09 || c > 0x7e) return undefined;
  const start = ascii(h, 0, 64);
  if (start.startsWith('$ANSIBLE_VAULT;')) {
    const [, version, cipher, vaultId] = start.split('\n')[0]!.trim().split(';');
    return locked({
      id: 'ansible-vault',
      name: 'Ansible Vault',
      confidence: 0.98,
      code: 'ANSIBLE_VAULT_HEADER',
      message: `"$ANSIBLE_VAULT;${version};${cipher}" header${vaultId ? ` with vault id "${vaultId}"` : ''}: the hex body is AES-256 ciphertext.`,
      figures: { version: version ?? '', cipher: cipher ?? '', vaultId: vaultId ?? '' },
      scheme: `ansible-vault-${(cipher ?? 'aes256').toLowerCase()}`,
      keyHint: {
        description: `The vault password${vaultId ? ` for vault id "${vaultId}"` : ''} (often a --vault-password-file kept beside the playbooks).`,
        kind: 'password',
        present: 'unknown',
        lookFor: ['**/.vault_pass*', '**/vault_pass*', '**/*.vault-pass'],
      },
    });
  }
  if (start.startsWith('var profile=') || start.startsWith('{"lastUpdatedBy"')) {
    const text = ascii(h, 0, 4096);
    if (
      /"masterKey"\s*:\s*"b3BkYXRh/.test(text) ||
      (/"overviewKey"\s*:\s*"b3BkYXRh/.test(text) && /"salt"/.test(text))
    ) {
      return locked({
        id: 'opvault-profile',
        name: '1Password OPVault profile',
        confidence: 0.95,
        code: 'OPVAULT_PROFILE',
        message:
          'OPVault profile.js: its master and overview keys are "opdata01" blobs encrypted with a key derived (PBKDF2) from the master password.',
        scheme: 'opvault-opdata01',
        keyHint: { description: "The vault's master password.", kind: 'password', present: 'unknown' },
      });
    }
    return undefined;
  }
  if (start.startsWith('ld({') || start.startsWith('loadFolders({')) {
    // OPVault items (band_*.js) and folders (folders.js): overviews and details are opdata01 blobs (base64 "b3BkYXRhMD" + E-H).
    const text = ascii(h, 0, 65536);
    const blobs = text.match(/"(o|d|overview)"\s*:\s*"b3BkYXRhMD[EFGH]/g)?.length ?? 0;
    if (blobs === 0) return undefined;
    const band = start.startsWith('ld(');
    return locked({
      id: 'opvault-band',
      name: '1Password OPVault items or folders',
      confidence: 0.93,
      code: 'OPVAULT_ITEMS',
      message: `OPVault ${band ? 'band file (items)' : 'folders.js'}: ${blobs} ${band ? 'overview and detail' : 'folder overview'} fields are "opdata01" blobs, encrypted with the vault's keys, which the master password unlocks (profile.js); only UUIDs, categories and times are readable.`,
      figures: { opdataBlobs: blobs },
      scheme: 'opvault-opdata01',
      scope: 'partial',
      keyHint: {
        description: "The vault's master password (the keys are in profile.js).",
        kind: 'password',
        present: 'unknown',
        lookFor: ['**/profile.js'],
      },
    });
  }
  if (start.startsWith('# Encrypted rclone configuration File')) {
    // rclone: "RCLONE_ENCRYPT_V0:" and base64 of a 24-byte nonce and a NaCl secretbox (16-byte MAC + text).
    // The decoded text (trailing NUL padding set aside), so the whole-file anchor holds on a padded copy.
    const m = /^# Encrypted rclone configuration File\r?\n\r?\nRCLONE_ENCRYPT_V0:\r?\n([A-Za-z0-9+/=]+)\s*$/.exec(
      textInfo(h)?.text.slice(0, 65536) ?? '',
    );
    const sealed = m ? Buffer.from(m[1]!, 'base64') : undefined;
    if (!sealed || sealed.length < 24 + 16 + 1) return undefined;
    return locked({
      id: 'rclone-config-encrypted',
      name: 'rclone configuration, encrypted',
      confidence: 0.97,
      code: 'RCLONE_ENCRYPTED_CONFIG',
      message: `rclone configuration with "RCLONE_ENCRYPT_V0:": a 24-byte nonce and a ${sealed.length - 24}-byte NaCl secretbox (XSalsa20-Poly1305) holding every remote and its credentials.`,
      figures: { sealedBytes: sealed.length - 24 },
      scheme: 'rclone-secretbox-sha256',
      keyHint: {
        description:
          'The rclone configuration password (asked at start, or from RCLONE_CONFIG_PASS or a --password-command script on the machine).',
        kind: 'password',
        present: 'unknown',
      },
    });
  }
  // keyrings.alt writes its setting section first, when the file is made; no other file is read here.
  if (start.startsWith('[keyring_2Dsetting]')) {
    const found = keyringsAlt(ascii(h, 0, 65536));
    if (found) return found;
  }
  // VMware: an encrypted VM's .vmx keeps only the key safe and the encrypted configuration in clear.
  if (probe.extension === 'vmx' || start.startsWith('.encoding')) {
    const text = ascii(h, 0, 16384);
    const keySafe =
      /^encryption\.keySafe\s*=\s*"vmware:key\/list\/\(pair\/\(phrase\/([^/]*)\/pass2key%3d([A-Za-z0-9-]+)/m.exec(text);
    if (keySafe && /^encryption\.data\s*=\s*"/m.test(text)) {
      return locked({
        id: 'vmware-encrypted-vm',
        name: 'VMware virtual machine, encrypted (.vmx key safe)',
        confidence: 0.96,
        code: 'VMWARE_KEYSAFE',
        message: `VMware .vmx with encryption.keySafe (key derivation ${keySafe[2]}) and encryption.data: the VM's configuration and disks are encrypted with a key wrapped by the VM password.`,
        figures: { kdf: keySafe[2] ?? '' },
        scheme: 'vmware-aes-256',
        keyHint: {
          description: 'The password set when the virtual machine was encrypted.',
          kind: 'password',
          present: 'unknown',
        },
      });
    }
  }
  // JSON/XML vaults and wallets (gocryptfs, restic, Ethereum, Electrum, EncFS...): see json-vaults.ts;
  // apps' secure-storage preferences and sembast files: see app-secure-storage.ts.
  if (/^\s*(\{|<|QklFM)/.test(start)) {
    const info = textInfo(h);
    const vault = info ? (appSecureStorage(info.text) ?? jsonVault(info.text)) : undefined;
    if (vault) return vault;
  }
  const inline = meldInlineEncrypted(h);
  if (inline) return inline;
  // Unencrypted authenticator exports: readable, and the finding that matters is that the secrets are in clear.
  if (/^\s*[{[]|otpauth/.test(start) || /otpauth(-migration)?:\/\//.test(ascii(h, 0, 4096))) {
    const info = textInfo(h);
    const otp = info ? otpSecretsInClear(info.text, probe.complete) : undefined;
    if (otp) return otpSecretsDetection(otp);
  }
  const sealed = sealedSecret(h);
  if (sealed) return sealed;
  if (!ascii(h, 0, 8192).includes('ENC[') && !start.includes('"encrypted"')) return undefined;
  const info = textInfo(h);
  if (!info) return undefined;
  const text = info.text;
  if (
    /^\s*\{\s*"encrypted"\s*:\s*true\s*,/.test(text) &&
    /"passwordProtected"\s*:\s*true/.test(text) &&
    /"data"\s*:\s*"2\.[A-Za-z0-9+/=]+\|/.test(text)
  ) {
    return locked({
      id: 'bitwarden-encrypted-json',
      name: 'Bitwarden password-protected export',
      confidence: 0.95,
      code: 'BITWARDEN_ENCRYPTED_EXPORT',
      message:
        'Bitwarden JSON export with "encrypted": true and "passwordProtected": true: the whole vault is one AES-CBC/HMAC "data" field keyed from the export password.',
      scheme: 'bitwarden-export',
      keyHint: {
        description: 'The export password chosen when the export was made.',
        kind: 'password',
        present: 'unknown',
      },
    });
  }
  // The "account restricted" export (the mobile apps' default for an encrypted JSON export): every name,
  // username, password and note is an EncString under the account's user key; no export password.
  if (
    /^\s*\{\s*"encrypted"\s*:\s*true\s*,/.test(text) &&
    !/"passwordProtected"\s*:\s*true/.test(text) &&
    /"encKeyValidation_DO_NOT_EDIT"\s*:\s*"2\.[A-Za-z0-9+/=]+\|/.test(text) &&
    /"(items|folders|collections)"\s*:\s*\[/.test(text)
  ) {
    const values = (text.match(/"2\.[A-Za-z0-9+/=]{22,}\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]{40,}"/g) ?? []).length;
    return locked({
      id: 'bitwarden-account-export',
      name: 'Bitwarden account-restricted encrypted export',
      confidence: 0.95,
      code: 'BITWARDEN_ACCOUNT_EXPORT',
      message: `Bitwarden JSON export with "encrypted": true and no export password: ${values} values (item names, usernames, passwords, notes, folder names) are EncStrings (AES-256-CBC + HMAC-SHA256) under the account's user key; ids, types and dates are readable.`,
      figures: { encryptedValues: values },
      scope: 'partial',
      scheme: 'bitwarden-encstring',
      keyHint: {
        description:
          "The Bitwarden account's master password (with the account e-mail as salt), which unwraps the user key the export was made with.",
        kind: 'password',
        present: 'unknown',
      },
    });
  }
  const encrypted = (text.match(/ENC\[(AES256_GCM|PGP),data:/g) ?? []).length;
  const block = /(^|\n)sops:\s*\n|"sops"\s*:\s*\{/.test(text);
  // Without the metadata block (written last: a cut file, or one past the bytes read), three values in SOPS's
  // whole form — data, 32-byte IV, 16-byte tag and type — are SOPS's and no one else's.
  const whole = (
    text.match(/ENC\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/]{43}=,tag:[A-Za-z0-9+/]{22}==,type:\w+\]/g) ?? []
  ).length;
  if (encrypted > 0 && (block || (!probe.complete && encrypted >= 3) || whole >= 3)) {
    const json = /^\s*\{/.test(text);
    const backends = ['kms', 'gcp_kms', 'azure_kv', 'hc_vault', 'age', 'pgp'].filter(
      (b) =>
        new RegExp(`["\\s]${b}"?\\s*:\\s*[\\[\\-\\n"]`).test(text) &&
        new RegExp(`(recipient|arn|fp|resource_id|vault_address|created_at)`).test(text),
    );
    return locked({
      id: json ? 'sops-json' : 'sops-yaml',
      name: json ? 'SOPS-encrypted JSON' : 'SOPS-encrypted YAML',
      confidence: 0.95,
      code: 'SOPS_ENCRYPTED_VALUES',
      message: `SOPS file: ${encrypted} value(s) of the form ENC[AES256_GCM,...] and ${block ? 'a "sops" metadata block' : 'no "sops" metadata block in the bytes read (it is written last: the file may be cut short)'}; the keys are readable, every value needs the data key.`,
      figures: { encryptedValues: encrypted, backends: backends.join(','), metadataBlock: block },
      scope: 'partial',
      scheme: 'sops-aes256-gcm',
      keyHint: {
        description: `One of the master keys listed in the sops block (${backends.join(', ') || 'KMS, PGP or age'}), which decrypts the data key.`,
        kind: 'key-file',
        present: 'unknown',
      },
    });
  }
  return undefined;
}

const SEALED_SECRET_MARK = Buffer.from('SealedSecret');

/**
 * A Bitnami Sealed Secret (kubeseal's output, YAML or JSON): a SealedSecret resource of bitnami.com whose
 * encryptedData values are hybrid ciphertext — a 2-byte length, the session key wrapped by the controller's RSA
 * key (256, 384 or 512 bytes), then AES-GCM — base64, so each starts "Ag" or "AQ"/"Aw" by that length. The
 * resource's names are readable; every value needs the controller's private key. A plain Kubernetes Secret
 * (base64 "data") is an encoding. Reference: bitnami-labs/sealed-secrets docs/developer/crypto.md.
 */
function sealedSecret(h: Uint8Array): Detection | undefined {
  const window = Buffer.from(h.buffer, h.byteOffset, Math.min(h.length, 2048));
  if (window.indexOf(SEALED_SECRET_MARK) < 0) return undefined;
  const text = ascii(h, 0, h.length);
  if (!/\bkind"?\s*:\s*"?SealedSecret\b/.test(text) || !/bitnami\.com\//.test(text) || !/encryptedData/.test(text))
    return undefined;
  let values = 0;
  const rsaBits = new Set<number>();
  for (const m of text.matchAll(/["\s:]((?:AQ|Ag|Aw)[A-Za-z0-9+/]{340,}={0,2})(?=["\s,}]|$)/g)) {
    const bytes = Buffer.from(m[1]!.slice(0, 8), 'base64');
    const wrapped = (bytes[0]! << 8) | bytes[1]!;
    if (![256, 384, 512].includes(wrapped) || (m[1]!.length * 3) / 4 < 2 + wrapped + 16) continue;
    values++;
    rsaBits.add(wrapped * 8);
  }
  if (values === 0) return undefined;
  return locked({
    id: 'sealed-secret',
    name: 'Bitnami Sealed Secret (kubeseal)',
    confidence: 0.96,
    code: 'SEALED_SECRET_VALUES',
    message: `A SealedSecret resource with ${values} encryptedData value(s), each a session key wrapped by the controller's ${[...rsaBits].join('/')}-bit RSA key (RSA-OAEP), then AES-GCM: the names are readable, every value needs the sealed-secrets controller's private key.`,
    figures: { encryptedValues: values, rsaBits: [...rsaBits].join(',') },
    scope: 'partial',
    scheme: 'sealed-secrets-rsa-oaep-aes-gcm',
    keyHint: {
      description:
        "The sealed-secrets controller's private key: a kubernetes.io/tls Secret labelled sealedsecrets.bitnami.com/sealed-secrets-key in the controller's namespace (usually kube-system), or a backup of it (kubectl get secret -o yaml).",
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/*sealed-secrets-key*', '**/*sealed-secrets*.key'],
    },
  });
}

/**
 * Python keyring's EncryptedKeyring file (keyrings.alt, `crypted_pass.cfg`): an INI file, one section per
 * service (names escaped as _XX), one key per user, each value base64 of a JSON salt, IV and AES-CFB
 * ciphertext keyed by PBKDF2 from the keyring password. The "keyring-setting" section holds the password
 * check and the scheme. The plain-text backend writes no such section.
 */
function keyringsAlt(text: string): Detection | undefined {
  if (!/^\[keyring_2Dsetting\]\r?$/m.test(text) || !/^password_20reference\s*=/m.test(text)) return undefined;
  const scheme = /^scheme\s*=\s*(.+?)\s*$/m.exec(text)?.[1];
  if (scheme !== undefined && !/AES/i.test(scheme)) return undefined;
  // Sections other than the setting one are services; their keys (not continuation lines) are users.
  let services = 0;
  let entries = 0;
  let inSetting = false;
  for (const line of text.split(/\r?\n/)) {
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      inSetting = section[1] === 'keyring_2Dsetting';
      if (!inSetting) services++;
    } else if (!inSetting && /^[^\s=][^=]*=/.test(line)) entries++;
  }
  return locked({
    id: 'keyrings-alt-encrypted',
    name: 'Python keyring encrypted file (keyrings.alt)',
    confidence: 0.95,
    code: 'KEYRINGS_ALT_ENCRYPTED',
    message: `Python keyring EncryptedKeyring file: a "keyring-setting" section with the password reference${scheme ? ` and scheme "${scheme}"` : ''}, and ${entries} stored password(s) under ${services} service(s); service and user names are readable, each password is AES-CFB ciphertext keyed from the keyring password.`,
    figures: { services: services, entries: entries, scheme: scheme ?? '' },
    scope: 'partial',
    scheme: 'keyrings-alt-pbkdf2-aes256-cfb',
    keyHint: {
      description: "The keyring password, asked by Python's keyring library when it first unlocks the file.",
      kind: 'password',
      present: 'unknown',
    },
  });
}

const LOCK = Buffer.from('🔐');
/** One in-place encrypted span: "%%🔐β " (or α, or none: older forms), an optional "💡hint💡", base64, " 🔐" (and "%%"). */
const MELD_SPAN = /🔐([αβ]?) (?:💡((?:(?!💡).){0,200})💡)?([A-Za-z0-9+/]{24,}={0,2}) 🔐/gsu;

/**
 * A note with text encrypted in place by Obsidian's Meld Encrypt plugin (meld-cp/obsidian-encrypt
 * FeatureInplaceConstants: markers "%%🔐β ", "🔐α ", "🔐 " and " 🔐%%", hint between "💡"): the rest of the
 * note is readable, the marked spans are AES-GCM ciphertext with a password-derived key.
 */
function meldInlineEncrypted(h: Uint8Array): Detection | undefined {
  if (Buffer.from(h.buffer, h.byteOffset, h.length).indexOf(LOCK) < 0) return undefined;
  const info = textInfo(h);
  if (!info) return undefined;
  const spans = [...info.text.slice(0, 65536).matchAll(MELD_SPAN)];
  const sealed = spans.filter((m) => m[3]!.length >= 44);
  if (sealed.length === 0) return undefined;
  const hints = [...new Set(sealed.map((m) => m[2]).filter((x): x is string => !!x))].slice(0, 3);
  const version = sealed[0]![1] === 'β' ? '2.0 (β)' : sealed[0]![1] === 'α' ? '1.0 (α)' : 'obsolete';
  return locked({
    id: 'meld-encrypt-inline',
    name: 'Note with Obsidian Meld Encrypt in-place encrypted text',
    confidence: 0.93,
    code: 'MELD_ENCRYPT_INLINE',
    message: `${sealed.length} span${sealed.length === 1 ? '' : 's'} marked "🔐${sealed[0]![1]} … 🔐" (Meld Encrypt in-place encryption, ${version}) hold base64 AES-GCM ciphertext; the rest of the note is readable${hints.length ? `; password hint${hints.length === 1 ? '' : 's'}: ${hints.map((x) => `"${x}"`).join(', ')}` : ''}.`,
    figures: { spans: sealed.length, version },
    scope: 'partial',
    scheme: 'meld-encrypt-inline-pbkdf2-aes-gcm',
    keyHint: {
      description: `The password given when the text was encrypted${hints.length ? ` (hint: ${hints.map((x) => `"${x}"`).join(', ')})` : ''}.`,
      kind: 'password',
      present: 'unknown',
    },
  });
}
