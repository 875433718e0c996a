/**
 * Password stores with a binary header in clear: KDE KWallet (.kwl), GNOME
 * keyring (.keyring), Password Safe v3 (.psafe3), Windows DPAPI master key
 * files (Protect/<SID>/<GUID>) and DPAPI blobs (credential files, vaults), and
 * eCryptfs wrapped-passphrase files.
 * Their records are encrypted with a key derived from the user's (wallet,
 * login or Windows) password.
 * References: KDE kwallet backend/kwalletbackend.cc (KWMAGIC
 * "KWALLET\n\r\0\r\n", version bytes: major, minor, cipher, hash); GNOME
 * libgnome-keyring / gnome-keyring pkcs11/secret-store/gkm-secret-binary.c
 * ("GnomeKeyring\n\r\0\n", major, minor, crypto, hash, hash iterations);
 * Password Safe docs/formatV3.txt ("PWS3", salt, ITER, EOF marker
 * "PWS3-EOFPWS3-EOF"); DPAPI master key file layout as documented by
 * dpapick/impacket and JtR DPAPImk2john (version 2, GUID as UTF-16, key
 * lengths), and the DPAPI blob provider GUID df9d8cd0-1501-11d1-8c7a-00c04fc297eb;
 * ecryptfs-utils src/libecryptfs (wrapped-passphrase file, version 2 with salt).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { guidAt, indexOf, ascii, locked, passwordHint, startsWith, u32be, u32le, u64le } from './util.js';

const KWALLET_MAGIC = 'KWALLET\n\r\0\r\n';
const KWALLET_CIPHERS: Record<number, string> = { 0: 'blowfish-ecb', 1: '3des', 2: 'gpg', 3: 'blowfish-cbc' };
const KWALLET_HASHES: Record<number, string> = { 0: 'sha1', 1: 'md5', 2: 'none', 3: 'pbkdf2-sha512' };
const GNOME_MAGIC = 'GnomeKeyring\n\r\0\n';
const DPAPI_PROVIDER = Buffer.from('d08c9ddf0115d1118c7a00c04fc297eb', 'hex');
const DPAPI_ALGS: Record<number, string> = {
  0x6603: '3des',
  0x660e: 'aes128',
  0x660f: 'aes192',
  0x6610: 'aes256',
  0x8004: 'sha1',
  0x8009: 'hmac',
  0x800c: 'sha256',
  0x800e: 'sha512',
};
const GUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const credentialStoresDetector = defineDetector({
  meta: {
    id: 'credential-stores',
    version: '1.0.0',
    title: 'Password stores with a binary header (KWallet, GNOME keyring, Password Safe, DPAPI)',
    formats: [
      { id: 'kwallet', name: 'KDE KWallet wallet', status: 'encrypted', how: 'header-field', extensions: ['kwl'] },
      {
        id: 'gnome-keyring',
        name: 'GNOME keyring (encrypted items)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['keyring'],
      },
      {
        id: 'psafe3',
        name: 'Password Safe v3 database',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['psafe3', 'dat', 'ibak'],
      },
      { id: 'dpapi-masterkey', name: 'Windows DPAPI master key file', status: 'encrypted', how: 'header-field' },
      {
        id: 'dpapi-blob',
        name: 'Windows DPAPI blob (credential, vault or app secret)',
        status: 'encrypted',
        how: 'header-field',
      },
      {
        id: 'ecryptfs-wrapped-passphrase',
        name: 'eCryptfs wrapped mount passphrase',
        status: 'encrypted',
        how: 'header-field',
      },
    ],
    indexPatterns: ['**/Protect/S-1-*/*'],
  },
  minSize: 16,
  priority: 20,
  // Every store below starts with a fixed magic (a DPAPI blob inside a credential file: 12 bytes in).
  signatures: [
    { offset: 0, ascii: KWALLET_MAGIC },
    { offset: 0, ascii: GNOME_MAGIC },
    { offset: 0, ascii: 'PWS3' },
    { offset: 0, hex: '020000000000000000000000' }, // DPAPI master key file: version 2, two reserved zeros
    { offset: 0, hex: '3a02' }, // eCryptfs wrapped passphrase v2
    { offset: 0, hex: `01000000${DPAPI_PROVIDER.toString('hex')}` },
    { offset: 12, hex: `01000000${DPAPI_PROVIDER.toString('hex')}` },
  ],
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, KWALLET_MAGIC)) {
      const [major, minor, cipherId, hashId] = [h[12] ?? 9, h[13] ?? 9, h[14] ?? 9, h[15] ?? 9];
      const cipher = KWALLET_CIPHERS[cipherId];
      const hash = KWALLET_HASHES[hashId];
      if (major !== 0 || !cipher || !hash) return undefined;
      return locked({
        id: 'kwallet',
        name: 'KDE KWallet wallet',
        confidence: 0.97,
        code: 'KWALLET_HEADER',
        message: `KWallet header (version ${major}.${minor}, cipher ${cipher}, key hash ${hash}): folders and entries are encrypted with a key derived from the wallet password${cipher === 'gpg' ? ' (here a GnuPG key)' : ''}.`,
        figures: { major, minor, cipher, hash },
        scheme: `kwallet-${cipher}`,
        keyHint:
          cipher === 'gpg'
            ? {
                description: "The owner's GnuPG secret key (and its passphrase).",
                kind: 'key-file',
                present: 'unknown',
                lookFor: ['**/.gnupg/private-keys-v1.d/*.key'],
              }
            : passwordHint("The wallet password (for kdewallet, often the user's login password via pam_kwallet)."),
      });
    }
    if (startsWith(h, GNOME_MAGIC)) {
      const [major, minor, crypto, hash] = [h[16] ?? 9, h[17] ?? 9, h[18] ?? 9, h[19] ?? 9];
      if (major === 1 && minor === 0) return libsecretFileKeyring(h);
      if (major !== 0 || crypto !== 0) return undefined;
      const nameLen = u32be(h, 20) ?? 0;
      const name = nameLen > 0 && nameLen < 256 ? ascii(h, 24, 24 + nameLen) : '';
      const iterations = nameLen < 256 ? (u32be(h, 24 + nameLen + 8 + 8 + 4 + 4) ?? 0) : 0;
      return locked({
        id: 'gnome-keyring',
        name: 'GNOME keyring (encrypted items)',
        confidence: 0.97,
        code: 'GNOME_KEYRING_HEADER',
        message: `GNOME keyring "${name}" (format ${major}.${minor}, AES-128 with ${hash === 0 ? 'an MD5' : 'a'} key derivation, ${iterations} iterations): item secrets are encrypted with the keyring password; names and attribute hashes are in clear.`,
        figures: { name, iterations },
        scheme: 'gnome-keyring-aes-128',
        scope: 'partial',
        keyHint: passwordHint("The keyring password (for the login keyring, usually the user's login password)."),
      });
    }
    if (startsWith(h, 'PWS3') && probe.size >= 200 && !/^[\x20-\x7e\r\n\t]*$/.test(ascii(h, 4, 36))) {
      const iterations = u32le(h, 36) ?? 0;
      const tail = probe.tail.length > 0 ? probe.tail : h;
      const eof = indexOf(tail, 'PWS3-EOFPWS3-EOF') >= 0;
      if (iterations < 2048 && !eof) return undefined; // Password Safe requires at least 2048 iterations
      return locked({
        id: 'psafe3',
        name: 'Password Safe v3 database',
        confidence: eof ? 0.97 : 0.9,
        code: 'PSAFE3_HEADER',
        message: `"PWS3" header with a 32-byte salt and ${iterations} key-stretching iterations${eof ? ', and the "PWS3-EOFPWS3-EOF" end marker' : ''}: a Password Safe database (Twofish), locked by its master password.`,
        figures: { iterations, eofMarker: eof },
        scheme: 'psafe3-twofish',
        keyHint: passwordHint('The Password Safe master password.'),
      });
    }
    if (u32le(h, 0) === 2 && u32le(h, 4) === 0 && u32le(h, 8) === 0 && h.length >= 128) {
      const guid = Buffer.from(h.subarray(12, 84)).toString('utf16le');
      if (!GUID_TEXT.test(guid)) return undefined;
      const masterKeyLen = u64le(h, 96) ?? 0;
      const domainKeyLen = u64le(h, 120) ?? 0;
      const rounds = u32le(h, 128 + 20) ?? 0;
      const algHash = DPAPI_ALGS[u32le(h, 128 + 24) ?? 0] ?? 'unknown';
      const algCrypt = DPAPI_ALGS[u32le(h, 128 + 28) ?? 0] ?? 'unknown';
      return locked({
        id: 'dpapi-masterkey',
        name: 'Windows DPAPI master key file',
        confidence: 0.95,
        code: 'DPAPI_MASTERKEY_HEADER',
        message: `DPAPI master key file (version 2, GUID ${guid}, master key ${masterKeyLen} bytes, ${algCrypt}/${algHash}, ${rounds} PBKDF2 rounds${domainKeyLen ? ', with a domain backup key' : ''}): the master key is encrypted with a key derived from the user's Windows password.`,
        figures: {
          guid,
          masterKeyBytes: masterKeyLen,
          rounds,
          cipher: algCrypt,
          hash: algHash,
          domainBackup: domainKeyLen > 0,
        },
        scheme: `dpapi-masterkey-${algCrypt}`,
        keyHint: {
          description:
            "The Windows account's password (or its SHA-1/NTLM hash), or the domain backup key for domain accounts.",
          kind: 'password',
          present: 'unknown',
        },
      });
    }
    // ~/.ecryptfs/wrapped-passphrase v2: ':' 0x02, 8-byte salt, 16 hex digits of the key signature, encrypted passphrase.
    if (
      h[0] === 0x3a &&
      h[1] === 0x02 &&
      probe.size >= 42 &&
      probe.size <= 128 &&
      /^[0-9a-f]{16}$/.test(ascii(h, 10, 26))
    ) {
      const signature = ascii(h, 10, 26);
      return locked({
        id: 'ecryptfs-wrapped-passphrase',
        name: 'eCryptfs wrapped mount passphrase',
        confidence: 0.9,
        code: 'ECRYPTFS_WRAPPED_PASSPHRASE',
        message: `eCryptfs wrapped-passphrase file (version 2, salted, key signature ${signature}): the mount passphrase of an encrypted home/Private folder, wrapped with the login password.`,
        figures: { signature },
        scheme: 'ecryptfs-wrapped-passphrase-v2',
        keyHint: passwordHint("The user's login password (ecryptfs-unwrap-passphrase)."),
      });
    }
    const blobAt = [4, 16].find(
      (at) => u32le(h, at - 4) === 1 && indexOf(h.subarray(at, at + 16), DPAPI_PROVIDER) === 0,
    );
    if (blobAt !== undefined) {
      const masterKeyGuid = guidAt(h, blobAt + 16 + 4); // after the provider GUID and the master key version
      return locked({
        id: 'dpapi-blob',
        name: 'Windows DPAPI blob (credential, vault or app secret)',
        confidence: 0.93,
        code: 'DPAPI_BLOB_PROVIDER',
        message: `DPAPI blob (version 1, provider df9d8cd0-1501-11d1-8c7a-00c04fc297eb${blobAt === 16 ? ', inside a credential file header' : ''}) encrypted with master key ${masterKeyGuid}: it needs that master key, itself unlocked by the user's Windows password.`,
        figures: { masterKey: masterKeyGuid, offset: blobAt - 4 },
        scheme: 'dpapi',
        keyHint: {
          description: `The DPAPI master key ${masterKeyGuid} (under AppData/Roaming/Microsoft/Protect/<SID>/) and the user's Windows password.`,
          kind: 'key-file',
          present: 'unknown',
          lookFor: [`**/Protect/S-1-*/${masterKeyGuid}`],
        },
      });
    }
    return undefined;
  },
});

/**
 * libsecret's file keyring (the backend Flatpak and Snap apps use: ~/.var/app/<id>/data/keyrings/*.keyring), the
 * GNOME magic with version 1.0, then a GVariant (u salt size, ay salt, u iterations, t modified, u usage, items):
 * each item's secret is AES-256-CBC under a key derived with PBKDF2-SHA256 from the password; attribute values are
 * stored as MACs. Reference: libsecret libsecret/secret-file-collection.c.
 */
function libsecretFileKeyring(h: Uint8Array): Detection | undefined {
  const saltSize = u32le(h, 18) ?? 0;
  if (saltSize < 8 || saltSize > 64) return undefined;
  // GVariant aligns the u32 after the salt to 4 bytes from the tuple's start (offset 18), the u64 after it to 8.
  const iterationsAt = 18 + ((4 + saltSize + 3) & ~3);
  const iterations = u32le(h, iterationsAt) ?? 0;
  const modified = u32le(h, 18 + ((iterationsAt - 18 + 4 + 7) & ~7)) ?? 0;
  // Real keyrings are stretched (libsecret uses 100,000) and were written after 2000.
  if (iterations < 1000 || modified < 946_684_800) return undefined;
  return locked({
    id: 'gnome-keyring',
    name: 'GNOME keyring (encrypted items)',
    confidence: 0.95,
    code: 'LIBSECRET_FILE_KEYRING',
    message: `libsecret file keyring (GNOME keyring magic, format 1.0): a ${saltSize}-byte salt and ${iterations} PBKDF2-SHA256 iterations; each item's secret is AES-256-CBC encrypted with the key derived from the password, attribute values are stored only as MACs.`,
    figures: { saltBytes: saltSize, iterations },
    scheme: 'libsecret-file-aes-256-cbc',
    scope: 'partial',
    keyHint: passwordHint(
      "The keyring password: for Flatpak and Snap apps a secret the desktop portal keeps in the user's login keyring.",
    ),
  });
}
