/**
 * Files written by single-purpose encryption tools, recognised by their
 * magic: Vim `:X` files (VimCrypt~01/02/03), jenc notes (U001/V001, used by
 * Markor and puren_tonbo), Tombo `.chi` notes (BF01), AES Crypt (.aes), 1Password OPVault
 * attachments (OPCLDAT) and macOS keychains (kych), whose secrets are
 * encrypted with a key derived from the keychain password.
 * References: vim src/crypt.c (crypt_magic); puren_tonbo docs (jenc, Tombo);
 * AES Crypt "Stream Format" (versions 0-3); AgileBits OPVault design ("Attachment file format"); Apple Security
 * framework, libkeychain "kych" header; AxCrypt file format (leading GUID
 * C0B9072E-4F93-F146-A015-792CA1D9E821); CryFS src/cryfs/impl/config
 * (CryConfigFile header "cryfs.config;1;scrypt") and blockstore
 * ("cryfs;block;0" block header); Joplin "E2EE" specification (JED01 header:
 * version, 6 hex digits of metadata length, JSON metadata, encrypted chunks);
 * mcrypt src/extra.c (header "\0m\3", flags, algorithm, key size, mode, KDF);
 * scrypt (Tarsnap) FORMAT ("scrypt", version 0, log2 N, r, p, salt, checksum).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, passwordHint, startsWith, u16be, u32be, u32le } from './util.js';

const VIM_METHODS: Record<string, string> = { '01': 'zip', '02': 'blowfish', '03': 'blowfish2', '04': 'xchacha20' };

export const fileEncryptionToolsDetector = defineDetector({
  meta: {
    id: 'file-encryption-tools',
    version: '1.1.0',
    title: 'Files of single-purpose encryption tools (Vim, jenc, Tombo, OPVault, keychain)',
    formats: [
      { id: 'vimcrypt', name: 'Vim encrypted file', status: 'encrypted', how: 'signature' },
      { id: 'jenc', name: 'jenc encrypted note', status: 'encrypted', how: 'header-field', extensions: ['jenc'] },
      { id: 'tombo-chi', name: 'Tombo encrypted note', status: 'encrypted', how: 'header-field', extensions: ['chi'] },
      {
        id: 'opvault-attachment',
        name: '1Password OPVault attachment',
        status: 'encrypted',
        how: 'signature',
        extensions: ['attachment'],
      },
      { id: 'aescrypt', name: 'AES Crypt file', status: 'encrypted', how: 'header-field', extensions: ['aes'] },
      { id: 'mcrypt', name: 'mcrypt encrypted file', status: 'encrypted', how: 'header-field', extensions: ['nc'] },
      {
        id: 'scrypt-enc',
        name: 'scrypt (Tarsnap) encrypted file',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['scrypt', 'enc'],
      },
      { id: 'cryfs-block', name: 'CryFS encrypted block', status: 'encrypted', how: 'signature' },
      {
        id: 'cryfs-config',
        name: 'CryFS configuration (wrapped encryption key)',
        status: 'encrypted',
        how: 'signature',
        extensions: ['config'],
      },
      {
        id: 'joplin-encrypted',
        name: 'Joplin end-to-end encrypted item',
        status: 'encrypted',
        how: 'signature',
        extensions: ['md'],
      },
      { id: 'axcrypt', name: 'AxCrypt encrypted file', status: 'encrypted', how: 'signature', extensions: ['axx'] },
      {
        id: 'macos-keychain',
        name: 'macOS keychain',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['keychain', 'keychain-db'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'VimCrypt~' },
    { offset: 0, ascii: 'U001' },
    { offset: 0, ascii: 'V001' },
    { offset: 0, ascii: 'BF01' },
    { offset: 0, ascii: 'OPCLDAT' },
    { offset: 0, ascii: 'kych' },
    { offset: 0, ascii: 'AES' },
    { offset: 0, hex: 'c0b9072e4f93f146a015792ca1d9e821' },
    { offset: 0, ascii: 'cryfs;block;' },
    { offset: 0, ascii: 'cryfs.config;' },
    { offset: 0, ascii: 'JED01' },
    { offset: 0, hex: '006d03' },
    { offset: 0, hex: '73637279707400' },
  ],
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const ax = axcrypt(h) ?? cryfsOrJoplin(h) ?? mcryptOrScrypt(h);
    if (ax) return ax;
    if (startsWith(h, 'VimCrypt~') && h[11] === 0x21) {
      const v = ascii(h, 9, 11);
      const method = VIM_METHODS[v];
      if (!method) return undefined;
      return locked({
        id: 'vimcrypt',
        name: 'Vim encrypted file',
        confidence: 0.97,
        code: 'VIMCRYPT_MAGIC',
        message: `"VimCrypt~${v}!" header: the text was encrypted by Vim with the ${method} method.`,
        figures: { method },
        scheme: `vim-${method}`,
        keyHint: passwordHint('The password typed in Vim (:X) when the file was saved.'),
      });
    }
    // jenc: 4-byte version, then a 32-byte nonce/salt; the rest is AES-GCM ciphertext. The extension backs the short magic.
    if ((startsWith(h, 'U001') || startsWith(h, 'V001')) && probe.size >= 4 + 32 + 16) {
      const byName = probe.extension === 'jenc';
      const version = ascii(h, 0, 4);
      if (!byName && !looksRandom(h.subarray(4, 68))) return undefined;
      return locked({
        id: 'jenc',
        name: 'jenc encrypted note',
        confidence: byName ? 0.95 : 0.75,
        code: 'JENC_HEADER',
        message: `jenc version "${version}" header${byName ? ' and .jenc extension' : ''}, followed by random-looking nonce and AES-GCM ciphertext.`,
        figures: { version },
        scheme: 'jenc-aes-256-gcm',
        keyHint: passwordHint('The note password (PBKDF2-derived AES-256-GCM key).'),
      });
    }
    // Tombo: "BF01", then the plaintext length (LE), then Blowfish-CBC data whose length is a multiple of 8.
    if (startsWith(h, 'BF01')) {
      const plainLength = u32le(h, 4) ?? 0;
      const body = probe.size - 8;
      if (body <= 0 || body % 8 !== 0 || plainLength > body) return undefined;
      return locked({
        id: 'tombo-chi',
        name: 'Tombo encrypted note',
        confidence: 0.93,
        code: 'TOMBO_HEADER',
        message: `"BF01" header with a plaintext length of ${plainLength} bytes and a Blowfish block-aligned body of ${body} bytes.`,
        figures: { plainLength, body },
        scheme: 'tombo-blowfish',
        keyHint: passwordHint('The Tombo note password.'),
      });
    }
    if (startsWith(h, 'OPCLDAT')) {
      return locked({
        id: 'opvault-attachment',
        name: '1Password OPVault attachment',
        confidence: 0.97,
        code: 'OPVAULT_ATTACHMENT_MAGIC',
        message:
          '"OPCLDAT" header of a 1Password OPVault attachment: the metadata is JSON, the payload is encrypted with the item key.',
        scheme: 'opvault',
        keyHint: {
          description: "The vault's master password (it unlocks profile.js, whose keys unlock items and attachments).",
          kind: 'password',
          present: 'unknown',
          lookFor: ['**/*.opvault/default/profile.js'],
        },
      });
    }
    // AES Crypt: "AES", version 0-3, a reserved zero byte; v2+ then lists extensions (u16 length + data) up to a zero length.
    if (startsWith(h, 'AES') && (h[3] ?? 9) <= 3 && h[4] === 0 && probe.size >= 5 + 16 + 32) {
      const version = h[3]!;
      let at = 5;
      const extensions: string[] = [];
      if (version >= 2) {
        for (let n = 0; n < 64; n++) {
          const len = u16be(h, at);
          if (len === undefined) return undefined;
          at += 2;
          if (len === 0) break;
          const text = ascii(h, at, at + len);
          const nul = text.indexOf('\0');
          if (nul > 0) extensions.push(text.slice(0, nul));
          at += len;
        }
        if (at > h.length) return undefined;
      }
      return locked({
        id: 'aescrypt',
        name: 'AES Crypt file',
        confidence: version >= 2 ? 0.95 : 0.85,
        code: 'AESCRYPT_HEADER',
        message: `AES Crypt header, file format version ${version}${extensions.length ? ` (extensions: ${extensions.join(', ')})` : ''}: AES-256 encrypted with a password-derived key.`,
        figures: { version, extensions: extensions.length },
        scheme: 'aescrypt-aes-256',
        keyHint: passwordHint('The password given to AES Crypt when the file was encrypted.'),
      });
    }
    if (startsWith(h, 'kych') && u32be(h, 4) === 0x00010000) {
      return locked({
        id: 'macos-keychain',
        name: 'macOS keychain',
        confidence: 0.95,
        code: 'KEYCHAIN_MAGIC',
        message:
          '"kych" header, version 1.0: record names and dates are readable, the secrets are encrypted with a key derived from the keychain password.',
        scope: 'partial',
        scheme: 'apple-keychain-3des',
        keyHint: passwordHint("The keychain password (for login.keychain, usually the user's login password)."),
      });
    }
    return undefined;
  },
});

/** At least 3/4 distinct bytes in a short block: what a random nonce looks like, and text or padding does not. */
function looksRandom(block: Uint8Array): boolean {
  if (block.length < 16) return false;
  return new Set(block).size >= Math.floor(block.length * 0.7);
}

const AXCRYPT_GUID = Buffer.from('c0b9072e4f93f146a015792ca1d9e821', 'hex');

/** AxCrypt: the format's GUID at offset 0. */
function axcrypt(h: Uint8Array): Detection | undefined {
  if (startsWith(h, AXCRYPT_GUID)) {
    return locked({
      id: 'axcrypt',
      name: 'AxCrypt encrypted file',
      confidence: 0.97,
      code: 'AXCRYPT_GUID',
      message:
        'AxCrypt header GUID C0B9072E-4F93-F146-A015-792CA1D9E821: the file is AES-encrypted with a key wrapped by the passphrase (and optional key file).',
      scheme: 'axcrypt-aes',
      keyHint: {
        description: 'The AxCrypt passphrase (and key file, if one was used).',
        kind: 'password',
        present: 'unknown',
        lookFor: ['**/*.axx-key', '**/AxCrypt*.txt'],
      },
    });
  }
  return undefined;
}

/** CryFS blocks and configuration, and Joplin end-to-end encrypted items. */
function cryfsOrJoplin(h: Uint8Array): Detection | undefined {
  const cryfsHint = {
    description: 'The CryFS password, which unlocks the encryption key in cryfs.config.',
    kind: 'password' as const,
    present: 'unknown' as const,
    lookFor: ['**/cryfs.config'],
  };
  if (startsWith(h, 'cryfs;block;')) {
    const version = ascii(h, 12, 20).split('\0')[0]!;
    return locked({
      id: 'cryfs-block',
      name: 'CryFS encrypted block',
      confidence: 0.96,
      code: 'CRYFS_BLOCK_HEADER',
      message: `"cryfs;block;${version}" header: one block of a CryFS file system (contents and tree structure encrypted with the key in cryfs.config).`,
      figures: { version },
      scheme: 'cryfs',
      keyHint: cryfsHint,
    });
  }
  if (startsWith(h, 'cryfs.config;')) {
    const kdf = ascii(h, 13, 40).split('\0')[0]!;
    return locked({
      id: 'cryfs-config',
      name: 'CryFS configuration (wrapped encryption key)',
      confidence: 0.96,
      code: 'CRYFS_CONFIG_HEADER',
      message: `"${kdf.startsWith('1;') ? `cryfs.config;${kdf}` : 'cryfs.config'}" header: the CryFS configuration, encrypted with a key derived (scrypt) from the file system password; it holds the key for every block.`,
      figures: { kdf },
      scheme: 'cryfs-scrypt',
      keyHint: cryfsHint,
    });
  }
  if (startsWith(h, 'JED01')) {
    const metaLength = Number.parseInt(ascii(h, 5, 11), 16);
    if (!Number.isFinite(metaLength) || metaLength <= 0 || metaLength > 4096) return undefined;
    const meta = ascii(h, 11, 11 + metaLength);
    const method = /"encryptionMethod"\s*:\s*(\d+)/.exec(meta)?.[1];
    if (!/"masterKeyId"\s*:/.test(meta)) return undefined;
    return locked({
      id: 'joplin-encrypted',
      name: 'Joplin end-to-end encrypted item',
      confidence: 0.95,
      code: 'JOPLIN_JED01',
      message: `Joplin "JED01" header with metadata naming a master key${method ? ` (encryption method ${method})` : ''}: a note, notebook or resource encrypted end to end.`,
      figures: { method: method ?? '' },
      scheme: 'joplin-e2ee',
      keyHint: passwordHint('The Joplin master password (it unlocks the master key stored on the sync target).'),
    });
  }
  return undefined;
}

/** mcrypt (.nc) and Tarsnap scrypt encrypted files: both name their parameters in a clear header. */
function mcryptOrScrypt(h: Uint8Array): Detection | undefined {
  if (h[0] === 0x00 && h[1] === 0x6d && h[2] === 0x03) {
    const fields = ascii(h, 4, 128).split('\0');
    const algorithm = fields[0] ?? '';
    if (!/^[a-z0-9-]{2,32}$/.test(algorithm)) return undefined;
    const mode = fields.find((f, i) => i > 0 && /^(cbc|cfb|ofb|nofb|ecb|stream|ctr|ncfb)$/.test(f)) ?? 'unknown';
    return locked({
      id: 'mcrypt',
      name: 'mcrypt encrypted file',
      confidence: 0.95,
      code: 'MCRYPT_HEADER',
      message: `mcrypt header ("\\0m\\3") naming ${algorithm} in ${mode} mode: the data is encrypted with a key derived from the passphrase.`,
      figures: { algorithm, mode },
      scheme: `mcrypt-${algorithm}-${mode}`,
      keyHint: passwordHint('The mcrypt passphrase (or key file given with -f).'),
    });
  }
  if (startsWith(h, 'scrypt\0') && h.length >= 96) {
    const logN = h[7] ?? 0;
    const r = u32be(h, 8) ?? 0;
    const p = u32be(h, 12) ?? 0;
    if (logN < 1 || logN > 40 || r === 0 || p === 0) return undefined;
    return locked({
      id: 'scrypt-enc',
      name: 'scrypt (Tarsnap) encrypted file',
      confidence: 0.96,
      code: 'SCRYPT_ENC_HEADER',
      message: `"scrypt" header, format 0, N = 2^${logN}, r = ${r}, p = ${p}: AES-256-CTR data with a key derived from the passphrase.`,
      figures: { logN, r, p },
      scheme: 'scrypt-aes-256-ctr',
      keyHint: passwordHint('The passphrase given to scrypt enc.'),
    });
  }
  return undefined;
}
