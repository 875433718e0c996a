/**
 * Where remote-access and admin tools keep saved passwords on a computer. The files are readable text (or, for
 * DBeaver, one AES block chain); what matters is whether the passwords in them need a secret kept elsewhere
 * (encrypted) or only a key published in the tool's own source (obfuscated: readable without any secret).
 * - mRemoteNG confCons.xml: the root's Protected attribute is "ThisIsNotProtected" encrypted with the built-in
 *   password "mR3m" unless the user set a master password; tried here, it decides (AES-GCM since 1.76:
 *   Security/SymmetricEncryption/AeadCryptographyProvider.cs; AES-CBC with an MD5 key before).
 * - FileZilla 3 sitemanager.xml / recentservers.xml: <Pass encoding="crypt" pubkey=...> under a master password.
 * - Jenkins XML (credentials.xml, job config.xml): hudson.util.Secret values "{AQAAABAAAAAQ...}" (0x01, IV length,
 *   data length, IV, AES-CBC data) keyed by secrets/hudson.util.Secret, itself wrapped by secrets/master.key.
 * - Jenkins' confidential store (JENKINS_HOME/secrets/<class name>[.<key>], hudson.util.Secret among them): no
 *   header, whole AES-128-ECB blocks under a key from secrets/master.key; found by the folder, the Java class name
 *   and the block-sized binary body (DefaultConfidentialStore.java).
 * - Windows Wi-Fi profiles (Wlansvc/Profiles/Interfaces/{GUID}/{GUID}.xml): <protected>true and keyMaterial a
 *   DPAPI blob under the SYSTEM account's master keys.
 * - Remote Desktop .rdp files: "password 51:b:" followed by a DPAPI blob in hex (the user's master key).
 * - Remmina .remmina profiles: password= base64 of 3DES under the install's secret in remmina.pref.
 * - WinSCP.ini: passwords obfuscated with WinSCP's published scheme (Security.cpp: each byte ~(b ^ 0xA3)),
 *   unless [Configuration\Security] UseMasterPassword=1, when they are AES under the master password.
 * - Oracle SQL Developer connections.json / connections.xml: since 4.0.3 passwords are AES-CBC under a key derived
 *   from db.system.id in product-preferences.xml (another file); 3.x values carry their own DES key (0x05, key,
 *   DES-CBC with a fixed IV), readable without any secret.
 * - Navicat 12+ connection exports (.ncx): Password= hex of AES-128-CBC under the published key "libcckeylibcckey"
 *   and IV "libcciv libcciv " (older exports: Blowfish under a published key).
 * DPAPI blobs as values in any other text (RDCMan .rdg, .NET app settings) are the dpapi-text detector's.
 * - DBeaver credentials-config.json (6.1.3+): IV then AES-128-CBC of the JSON under the key compiled into
 *   DBeaver (DefaultSecureStorage); decrypted here to confirm.
 */
import { createDecipheriv, createHash, pbkdf2Sync } from 'node:crypto';
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { dpapiBlobFields } from './dpapi-base64.js';
import { afterStructureEnd, locked, notingZeroPadding, passwordHint, plain, textInfo, wholeBlocksEnd } from './util.js';

const F = {
  mremoteng: { id: 'mremoteng-connections', name: 'mRemoteNG connections (built-in key)' },
  mremotengLocked: { id: 'mremoteng-connections-encrypted', name: 'mRemoteNG connections, master password' },
  filezilla: { id: 'filezilla-sites-encrypted', name: 'FileZilla site manager, master password' },
  jenkins: { id: 'jenkins-secrets', name: 'Jenkins XML with hudson.util.Secret values' },
  jenkinsStore: { id: 'jenkins-confidential-store', name: 'Jenkins confidential store file (secrets/)' },
  wlan: { id: 'windows-wlan-profile-protected', name: 'Windows Wi-Fi profile, DPAPI-protected key' },
  rdp: { id: 'rdp-saved-password', name: 'Remote Desktop connection file with a saved password' },
  remmina: { id: 'remmina-profile-password', name: 'Remmina connection profile with a saved password' },
  winscp: { id: 'winscp-config', name: 'WinSCP configuration (obfuscated passwords)' },
  winscpLocked: { id: 'winscp-config-encrypted', name: 'WinSCP configuration, master password' },
  dbeaver: { id: 'dbeaver-credentials', name: 'DBeaver credentials (built-in key)' },
  sqlDeveloper: { id: 'sqldeveloper-connections', name: 'Oracle SQL Developer connections (self-keyed passwords)' },
  sqlDeveloperLocked: {
    id: 'sqldeveloper-connections-encrypted',
    name: 'Oracle SQL Developer connections, passwords under db.system.id',
  },
  navicat: { id: 'navicat-connections', name: 'Navicat connections export (published key)' },
};
const NAVICAT_KEY = Buffer.from('libcckeylibcckey');
const NAVICAT_IV = Buffer.from('libcciv libcciv ');
const SQLDEVELOPER_DES_IV = Buffer.from('fedcba9876543210', 'hex');
const MREMOTENG_PASSWORD = 'mR3m';
/** DBeaver's DefaultSecureStorage key, published in its source (org.jkiss.dbeaver.model.impl.app). */
const DBEAVER_KEY = Buffer.from('babb4a9f774ab853c96c2d653dfe544a', 'hex');
/** A key derivation tried on a file's own word stays cheap; a larger count is reported, not run. */
const MAX_TRIAL_ITERATIONS = 100_000;

export const remoteAccessStoresDetector = defineDetector({
  meta: {
    id: 'remote-access-stores',
    version: '1.1.0',
    title: 'Saved passwords of remote-access and admin tools (mRemoteNG, FileZilla, Jenkins, Wi-Fi, RDP, …)',
    formats: [
      { ...F.mremoteng, status: 'analysable', how: 'structure', extensions: ['xml'] },
      { ...F.mremotengLocked, status: 'encrypted', how: 'structure', extensions: ['xml'] },
      { ...F.filezilla, status: 'encrypted', how: 'structure', extensions: ['xml'] },
      { ...F.jenkins, status: 'encrypted', how: 'structure', extensions: ['xml'] },
      { ...F.jenkinsStore, status: 'encrypted', how: 'path' },
      { ...F.wlan, status: 'encrypted', how: 'structure', extensions: ['xml'] },
      { ...F.rdp, status: 'encrypted', how: 'structure', extensions: ['rdp'] },
      { ...F.remmina, status: 'encrypted', how: 'structure', extensions: ['remmina'] },
      { ...F.winscp, status: 'analysable', how: 'structure', extensions: ['ini'] },
      { ...F.winscpLocked, status: 'encrypted', how: 'structure', extensions: ['ini'] },
      { ...F.dbeaver, status: 'analysable', how: 'structure', extensions: ['json'] },
      { ...F.sqlDeveloper, status: 'analysable', how: 'structure', extensions: ['xml', 'json'] },
      { ...F.sqlDeveloperLocked, status: 'encrypted', how: 'structure', extensions: ['xml', 'json'] },
      { ...F.navicat, status: 'analysable', how: 'structure', extensions: ['ncx'] },
    ],
    indexPatterns: ['**/secrets/master.key', '**/secrets/hudson.util.Secret', '**/remmina/remmina.pref'],
  },
  minSize: 32,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (probe.name === 'credentials-config.json') return dbeaver(h, probe.complete);
    if (/(^|\/)secrets\/[^/]+$/.test(probe.logicalPath)) {
      // A line end or NULs after the last whole block are no block's (a text tool's line feed, slack): set aside.
      const end = wholeBlocksEnd(probe, 0, 16);
      const found = end === undefined ? undefined : jenkinsStore(probe.name, end, h);
      if (found) return notingZeroPadding(found, afterStructureEnd(probe, end!), 'the blocks before them');
    }
    // Text only: '<', '[', '{', a byte-order mark, or a lower-case letter (an .rdp file without a mark).
    const c = h[0] ?? 0;
    const shaped = c === 0x3c || c === 0x5b || c === 0x7b || c === 0xff || c === 0xef || (c >= 0x61 && c <= 0x7a);
    if (!shaped) return undefined;
    const text = textInfo(h)?.text;
    if (text === undefined) return undefined;
    return specific(text);
  },
});

function specific(text: string): Detection | undefined {
  if (/^\s*</.test(text)) return xml(text);
  if (/^\s*\{\s*"connections"\s*:/.test(text)) return sqlDeveloper(text, 'json');
  if (text.startsWith('[remmina]')) return remmina(text);
  if (/^\[(Sessions|Configuration)\\/m.test(text.slice(0, 4096))) return winscp(text);
  return rdp(text);
}

function xml(text: string): Detection | undefined {
  const root = /<(mrng:Connections|FileZilla3|WLANProfile|References|Connections)\b[^>]*>/.exec(text.slice(0, 4096));
  if (root?.[1] === 'mrng:Connections') return mremoteng(root[0], text);
  if (root?.[1] === 'References' && root[0].includes('http://xmlns.oracle.com/adf/jndi'))
    return sqlDeveloper(text, 'xml');
  if (root?.[1] === 'Connections' && /\sVer="\d/.test(root[0])) return navicat(text);
  if (root?.[1] === 'FileZilla3') return filezilla(text);
  if (root?.[1] === 'WLANProfile') return wlan(text);
  return jenkins(text);
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

/** Decrypts an mRemoteNG value with `password`; undefined when the tag (or padding) does not check. */
function mremotengDecrypt(value: Buffer, password: string, gcm: boolean, iterations: number): string | undefined {
  try {
    if (gcm) {
      if (value.length < 16 + 16 + 16 + 1) return undefined;
      const salt = value.subarray(0, 16);
      const key = pbkdf2Sync(password, salt, iterations, 32, 'sha1');
      const d = createDecipheriv('aes-256-gcm', key, value.subarray(16, 32));
      d.setAAD(salt);
      d.setAuthTag(value.subarray(value.length - 16));
      return Buffer.concat([d.update(value.subarray(32, value.length - 16)), d.final()]).toString('utf8');
    }
    if (value.length < 32 || value.length % 16 !== 0) return undefined;
    const d = createDecipheriv('aes-256-cbc', createHash('md5').update(password).digest(), value.subarray(0, 16));
    return Buffer.concat([d.update(value.subarray(16)), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

function mremoteng(root: string, text: string): Detection | undefined {
  const protectedValue = attribute(root, 'Protected');
  if (protectedValue === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(protectedValue)) return undefined;
  const engine = attribute(root, 'EncryptionEngine');
  const mode = attribute(root, 'BlockCipherMode');
  const iterations = Number(attribute(root, 'KdfIterations') ?? '1000');
  const full = attribute(root, 'FullFileEncryption') === 'true';
  // 1.76 and later name the engine; the default (and only mode checked here) is AES-GCM. Older files are AES-CBC.
  const gcm = engine !== undefined;
  const checkable = !gcm || (engine === 'AES' && (mode ?? 'GCM') === 'GCM' && iterations <= MAX_TRIAL_ITERATIONS);
  const scheme = gcm ? `mremoteng-${engine.toLowerCase()}-${(mode ?? 'gcm').toLowerCase()}` : 'mremoteng-aes-cbc';
  const passwords = (text.match(/\sPassword="[A-Za-z0-9+/]{20,}={0,2}"/g) ?? []).length;
  const figures = {
    engine: engine ?? 'AES (legacy)',
    mode: mode ?? (gcm ? 'GCM' : 'CBC'),
    iterations,
    full,
    passwords,
  };
  if (checkable) {
    const opened = mremotengDecrypt(Buffer.from(protectedValue, 'base64'), MREMOTENG_PASSWORD, gcm, iterations);
    if (opened === 'ThisIsNotProtected') {
      return plain('analysable', {
        ...F.mremoteng,
        confidence: 0.95,
        code: 'MREMOTENG_BUILTIN_KEY',
        message: `mRemoteNG connections file (${figures.engine} ${figures.mode}${full ? ', whole file encrypted' : `, ${passwords} saved password(s)`}): its Protected value decrypts to "ThisIsNotProtected" with mRemoteNG's built-in password "mR3m", so no master password was set: the passwords are obfuscated with a published key and readable without any secret.`,
        figures,
      });
    }
  }
  return locked({
    ...F.mremotengLocked,
    confidence: checkable ? 0.93 : 0.75,
    code: 'MREMOTENG_MASTER_PASSWORD',
    message: `mRemoteNG connections file (${figures.engine} ${figures.mode}, ${iterations} key-derivation rounds${full ? ', whole file encrypted' : `, ${passwords} saved password(s)`}): ${checkable ? 'its Protected value does not open with the built-in password "mR3m"' : 'its cipher settings were not tried against the built-in password'}, so a master password protects ${full ? 'the connection list' : 'the saved passwords (host and user names are readable)'}.`,
    figures,
    scheme,
    scope: full ? 'full' : 'partial',
    keyHint: passwordHint('The mRemoteNG master password set under Options > Security.'),
  });
}

function filezilla(text: string): Detection | undefined {
  const crypt = (text.match(/<Pass\s+encoding="crypt"\s+pubkey="[A-Za-z0-9+/=]+"\s*>[A-Za-z0-9+/=]+<\/Pass>/g) ?? [])
    .length;
  if (crypt === 0) return undefined;
  return locked({
    ...F.filezilla,
    confidence: 0.93,
    code: 'FILEZILLA_CRYPT_PASSWORDS',
    message: `FileZilla 3 server list with ${crypt} password(s) stored as encoding="crypt" with a public key: encrypted to the key pair that the FileZilla master password protects (hosts and users are readable; encoding="base64" would be plain).`,
    figures: { encryptedPasswords: crypt },
    scheme: 'filezilla-x25519-aes-256-gcm',
    scope: 'partial',
    keyHint: {
      ...passwordHint('The FileZilla master password (its check value is in filezilla.xml beside this file).'),
      lookFor: ['**/filezilla/filezilla.xml', '**/FileZilla/filezilla.xml'],
    },
  });
}

function jenkins(text: string): Detection | undefined {
  let secrets = 0;
  for (const m of text.matchAll(/>\{(AQAAABAAAAA[A-Za-z0-9+/]+={0,2})\}</g)) {
    // 0x01, IV length 16, data length, the IV, then whole AES blocks of data.
    const b = Buffer.from(m[1]!, 'base64');
    const dataLength = b.length >= 9 ? b.readUInt32BE(5) : -1;
    if (b[0] === 1 && b.readUInt32BE(1) === 16 && dataLength % 16 === 0 && b.length === 9 + 16 + dataLength) secrets++;
  }
  if (secrets === 0) return undefined;
  return locked({
    ...F.jenkins,
    confidence: 0.92,
    code: 'JENKINS_SECRETS',
    message: `Jenkins XML with ${secrets} hudson.util.Secret value(s) "{AQAAABAAAAAQ...}" (version 1, 16-byte IV, AES-128-CBC): the secrets need the instance's secrets/hudson.util.Secret key, itself encrypted with secrets/master.key; the rest of the XML is readable.`,
    figures: { secrets },
    scheme: 'jenkins-hudson-secret-aes-128-cbc',
    scope: 'partial',
    keyHint: {
      description: "The Jenkins instance's secrets/master.key and secrets/hudson.util.Secret (in JENKINS_HOME).",
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/secrets/master.key', '**/secrets/hudson.util.Secret'],
    },
  });
}

/** A Java class name, optionally with a key suffix: how DefaultConfidentialStore names its files. */
const JAVA_NAME = /^(?:[a-z][a-z0-9_]*\.)+[A-Z][A-Za-z0-9_$]*(?:\.[A-Za-z0-9_$-]+)?$/;

function jenkinsStore(name: string, size: number, h: Uint8Array): Detection | undefined {
  if (
    !JAVA_NAME.test(name) ||
    size < 16 ||
    size > 1 << 20 ||
    size % 16 !== 0 ||
    textInfo(h.subarray(0, size)) !== undefined
  ) {
    return undefined;
  }
  return locked({
    ...F.jenkinsStore,
    confidence: 0.85,
    code: 'JENKINS_CONFIDENTIAL_STORE',
    message: `"${name}" in a secrets/ folder: a Java class name (how Jenkins' DefaultConfidentialStore names its files) and ${size / 16} whole 16-byte blocks of binary: AES-128-ECB ciphertext of the secret and its "::::MAGIC::::" check, under a key derived from secrets/master.key.`,
    figures: { blocks: size / 16 },
    scheme: 'jenkins-confidential-aes-128-ecb',
    keyHint: {
      description: "The Jenkins instance's secrets/master.key (in the same JENKINS_HOME).",
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/secrets/master.key'],
    },
  });
}

// Above dpapi-text's reading of the same blob (0.96): these name the host or network and, for Wi-Fi, the SYSTEM key.
function wlan(text: string): Detection | undefined {
  const material = /<keyMaterial>\s*([0-9A-Fa-f]+)\s*<\/keyMaterial>/.exec(text)?.[1];
  if (!/<protected>\s*true\s*<\/protected>/.test(text) || material === undefined) return undefined;
  const masterKey = hexBlobMasterKey(material);
  if (masterKey === undefined) return undefined;
  const ssid = /<name>([^<]{1,64})<\/name>/.exec(text)?.[1] ?? '';
  return locked({
    ...F.wlan,
    confidence: 0.97,
    code: 'WLAN_PROFILE_DPAPI',
    message: `Windows Wi-Fi profile "${ssid}" with <protected>true and a keyMaterial that is a DPAPI blob (master key ${masterKey}): the network key is encrypted under the SYSTEM account's DPAPI master keys; the network name and settings are readable.`,
    figures: { ssid, masterKey },
    scheme: 'dpapi',
    scope: 'partial',
    keyHint: systemDpapiHint(masterKey),
  });
}

function systemDpapiHint(masterKey: string): KeyHint {
  return {
    description: `The SYSTEM DPAPI master key ${masterKey} (Windows/System32/Microsoft/Protect/S-1-5-18/) and the DPAPI_SYSTEM secret from the SECURITY and SYSTEM registry hives.`,
    kind: 'key-file',
    present: 'unknown',
    lookFor: [`**/Protect/S-1-5-18/**/${masterKey}`, '**/config/SECURITY', '**/config/SYSTEM'],
  };
}

/** The master key GUID of a hex-encoded DPAPI blob whose header holds together (dpapi-base64's reader). */
function hexBlobMasterKey(hex: string): string | undefined {
  return hex.length % 2 === 0 ? dpapiBlobFields(Buffer.from(hex, 'hex'))?.masterKey : undefined;
}

function rdp(text: string): Detection | undefined {
  const password = /^password 51:b:([0-9A-Fa-f]+)\s*$/m.exec(text)?.[1];
  if (password === undefined || !/^full address:s:/m.test(text)) return undefined;
  const masterKey = hexBlobMasterKey(password);
  if (masterKey === undefined) return undefined;
  const host = /^full address:s:(.{0,255})$/m.exec(text)?.[1]?.trim() ?? '';
  return locked({
    ...F.rdp,
    confidence: 0.97,
    code: 'RDP_DPAPI_PASSWORD',
    message: `Remote Desktop connection file for "${host}" whose "password 51:b:" line is a DPAPI blob (master key ${masterKey}): the saved password needs the user's DPAPI master key; the host and user name are readable.`,
    figures: { host, masterKey },
    scheme: 'dpapi',
    scope: 'partial',
    keyHint: {
      description: `The DPAPI master key ${masterKey} (under AppData/Roaming/Microsoft/Protect/<SID>/) and the user's Windows password.`,
      kind: 'key-file',
      present: 'unknown',
      lookFor: [`**/Protect/S-1-*/${masterKey}`],
    },
  });
}

function remmina(text: string): Detection | undefined {
  const password = /^password=([A-Za-z0-9+/]{11,}={0,2})\s*$/m.exec(text)?.[1];
  // 3DES-CBC output: whole 8-byte blocks. A "." means the password is in the desktop keyring instead.
  if (password === undefined || Buffer.from(password, 'base64').length % 8 !== 0) return undefined;
  const server = /^server=(.{0,255})$/m.exec(text)?.[1]?.trim() ?? '';
  return locked({
    ...F.remmina,
    confidence: 0.9,
    code: 'REMMINA_PASSWORD',
    message: `Remmina connection profile for "${server}" with a password= value of ${Buffer.from(password, 'base64').length} bytes (3DES-CBC blocks, base64): it needs the random secret this Remmina installation keeps in remmina.pref; the other settings are readable.`,
    figures: { server },
    scheme: 'remmina-3des-cbc',
    scope: 'partial',
    keyHint: {
      description: "The secret= line of the same user's Remmina preferences (remmina.pref).",
      kind: 'key-file',
      present: 'unknown',
      lookFor: ['**/remmina/remmina.pref', '**/.remmina/remmina.pref'],
    },
  });
}

function winscp(text: string): Detection | undefined {
  const passwords = (text.match(/^Password=[0-9A-F]{8,}\s*$/gm) ?? []).length;
  const master = /^\[Configuration\\Security\]\s*$[^[]*^UseMasterPassword=1\s*$/m.test(text);
  if (master) {
    return locked({
      ...F.winscpLocked,
      confidence: 0.93,
      code: 'WINSCP_MASTER_PASSWORD',
      message: `WinSCP configuration with [Configuration\\Security] UseMasterPassword=1: its ${passwords} saved session password(s) are AES-encrypted under the master password (host and user names are readable).`,
      figures: { passwords },
      scheme: 'winscp-master-password-aes',
      scope: 'partial',
      keyHint: passwordHint('The WinSCP master password.'),
    });
  }
  // Without a master password each value starts with the flag 0xFF and version 0, obfuscated to "A35C".
  const obfuscated = (text.match(/^Password=A35C[0-9A-F]{4,}\s*$/gm) ?? []).length;
  if (obfuscated === 0) return undefined;
  return plain('analysable', {
    ...F.winscp,
    confidence: 0.9,
    code: 'WINSCP_OBFUSCATED_PASSWORDS',
    message: `WinSCP configuration with ${obfuscated} saved session password(s) starting "A35C" (flag 0xFF, version 0) and no master password: obfuscated with WinSCP's published scheme (each byte ~(b ^ 0xA3), keyed by user and host), readable without any secret.`,
    figures: { passwords: obfuscated },
  });
}

/** AES-CBC or 3DES-CBC decryption that must end in valid padding and printable text. */
function opens(cipher: string, key: Buffer, iv: Buffer, data: Buffer): boolean {
  try {
    const d = createDecipheriv(cipher, key, iv);
    const out = Buffer.concat([d.update(data), d.final()]).toString('latin1');
    return out.length > 0 && /^[\x20-\x7e\xa0-\xff]+$/.test(out);
  } catch {
    return false;
  }
}

function sqlDeveloper(text: string, kind: 'json' | 'xml'): Detection | undefined {
  const values =
    kind === 'json'
      ? [...text.matchAll(/"password"\s*:\s*"([A-Za-z0-9+/]{16,}={0,2})"/g)]
      : [...text.matchAll(/addrType="password">\s*<Contents>([A-Za-z0-9+/]{16,}={0,2})<\/Contents>/g)];
  let selfKeyed = 0;
  let keyed = 0;
  for (const m of values) {
    const b = Buffer.from(m[1]!, 'base64');
    // 3.x: 0x05, an 8-byte DES key, then DES-CBC (3DES with the key thrice is single DES) under a fixed IV.
    if (b[0] === 5 && b.length >= 17 && (b.length - 9) % 8 === 0) {
      const key = b.subarray(1, 9);
      if (opens('des-ede3-cbc', Buffer.concat([key, key, key]), SQLDEVELOPER_DES_IV, b.subarray(9))) selfKeyed++;
    } else if (b.length >= 32 && b.length % 16 === 0) keyed++;
  }
  if (keyed > 0) {
    return locked({
      ...F.sqlDeveloperLocked,
      // As sure as the generic "parses as JSON" reading, which it refines.
      confidence: 0.95,
      code: 'SQLDEVELOPER_SYSTEM_ID_PASSWORDS',
      message: `Oracle SQL Developer connections (${kind}) with ${keyed} saved password(s) of whole AES blocks (IV and AES-CBC, SQL Developer 4.0.3 and later): the key is derived from this installation's db.system.id, kept in product-preferences.xml; hosts and users are readable.`,
      figures: { encryptedPasswords: keyed, selfKeyedPasswords: selfKeyed },
      scheme: 'sqldeveloper-aes-cbc-system-id',
      scope: 'partial',
      keyHint: {
        description: "The db.system.id value in the same user's SQL Developer product-preferences.xml.",
        kind: 'key-file',
        present: 'unknown',
        lookFor: ['**/.sqldeveloper/**/product-preferences.xml', '**/SQL Developer/**/product-preferences.xml'],
      },
    });
  }
  if (selfKeyed === 0) return undefined;
  return plain('analysable', {
    ...F.sqlDeveloper,
    confidence: 0.9,
    code: 'SQLDEVELOPER_SELF_KEYED_PASSWORDS',
    message: `Oracle SQL Developer connections (${kind}) with ${selfKeyed} saved password(s) that carry their own DES key (0x05, the key, DES-CBC; they decrypt here): obfuscated, readable without any secret.`,
    figures: { selfKeyedPasswords: selfKeyed },
  });
}

function navicat(text: string): Detection | undefined {
  if (!/<Connection\s[^>]*\sConnType="/.test(text)) return undefined;
  const values = [...text.matchAll(/\sPassword="([0-9A-F]{16,})"/g)].map((m) => m[1]!);
  if (values.length === 0) return undefined;
  const aes = values.filter(
    (v) => v.length % 32 === 0 && opens('aes-128-cbc', NAVICAT_KEY, NAVICAT_IV, Buffer.from(v, 'hex')),
  ).length;
  return plain('analysable', {
    ...F.navicat,
    confidence: aes > 0 ? 0.93 : 0.8,
    code: 'NAVICAT_PUBLISHED_KEY',
    message: `Navicat connections export with ${values.length} saved password(s)${aes > 0 ? `, ${aes} of them decrypting here with Navicat 12's published AES key and IV` : ' (hex: Navicat 11 Blowfish under a published key, not tried here)'}: obfuscated with a published key, readable without any secret.`,
    figures: { passwords: values.length, openedWithPublishedKey: aes },
  });
}

function dbeaver(h: Uint8Array, complete: boolean): Detection | undefined {
  if (h.length < 32 || (complete && h.length % 16 !== 0)) return undefined;
  try {
    const d = createDecipheriv('aes-128-cbc', DBEAVER_KEY, h.subarray(0, 16));
    const body = complete ? h.subarray(16) : h.subarray(16, 16 + Math.floor((h.length - 16) / 16) * 16);
    if (!complete) d.setAutoPadding(false);
    const opened = Buffer.concat([d.update(body), d.final()]).toString('utf8');
    if (!/^\{\s*"/.test(opened) || (complete && !isJson(opened))) return undefined;
  } catch {
    return undefined;
  }
  return plain('analysable', {
    ...F.dbeaver,
    confidence: 0.95,
    code: 'DBEAVER_BUILTIN_KEY',
    message: `DBeaver credentials-config.json: a 16-byte IV and AES-128-CBC data that decrypts${complete ? ', with valid padding, to JSON' : ' to the start of a JSON object'} under the key compiled into DBeaver: obfuscated with a published key, the saved database users and passwords are readable without any secret.`,
  });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
