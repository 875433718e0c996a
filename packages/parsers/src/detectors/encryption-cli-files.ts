/**
 * Files of command-line encryption tools Debian ships that no password-recovery
 * list names:
 *
 * - codecrypt (`ccr`, post-quantum): its sencode serialisation ('s' opens a
 *   list, "<n>:" prefixes n bytes). An encrypted message is the list
 *   ("CCR-ENCRYPTED-MSG-v2", algorithm, recipient key id, ...); with `-a` it
 *   is wrapped as "------ccr begin encrypted <id>------" and base64 lines.
 *   The keyring `~/.ccr/secrets` is ("CCR-KEYPAIRS", name, algorithm, private
 *   key, ...): a private key locked with a password (`ccr -L`) is a byte
 *   string starting "ccr_lock", an unlocked one a clear "CCR-PRIVATE-KEY-"
 *   list. A symmetric key file (`ccr -g ... -S`) is ("CCR-SYMKEY", ...), in
 *   clear. (codecrypt's serialization.cpp, envelope.cpp, seclock.cpp.)
 * - libsecrecy (`secrecy`): "LIBSECRECY", then a key-value store (a count and
 *   each name and value with its length, numbers big-endian 7-bit groups
 *   whose last byte has the top bit set): IV and authdata in hex, blocksize,
 *   buffersize and the SHA-256 "keyhash" of the AES key, then AES-GCM blocks.
 *   A key file (`~/.libsecrecy/hash/<keyhash>`) is "LIBSECRECY_KEY", the same
 *   store (cipher, hash, keyname) and the key as a GnuPG message to its owner
 *   (GCMStreamHeader.hpp, SecrecyKeyValueStore.hpp, RawKey.hpp).
 * - cryptmount key files: "cm-blti" (built-in: version, u16 LE key length,
 *   u32 LE SHA-1 iterations from version 1, 10-byte salt, Blowfish blocks with
 *   an 8-byte checksum) and "cm-gcry" (libgcrypt: version 0, u16 LE cipher
 *   block and key lengths, 12-byte salt, whole cipher blocks holding the key
 *   and a 4-byte checksum), each a disk key sealed with the target's password
 *   (cryptmount's armour-builtin.c and armour-gcry.c). Its "openssl-compat"
 *   key files are OpenSSL's "Salted__" (the openssl-salted detector).
 * - rsyncrypto key files (one per encrypted file, in the keys folder): the
 *   20-byte key header in network order (magic 0xD657EA1C, cipher 0 = AES,
 *   key size in bytes, the rsyncable-block parameters sum_span, sum_mod,
 *   sum_min_dist), the AES key and its 16-byte IV, in clear; the encrypted
 *   file holds the same header sealed with the RSA certificate (crypt_key.h,
 *   crypto.cpp). The encrypted files themselves have no magic (a zero u32 and
 *   the RSA block): the statistics call them ciphertext.
 * - volume_key escrow packets (a LUKS or other volume's key kept for
 *   recovery): "\0volume_key", a format byte, then the packet: 0 cleartext
 *   (KMIP fields with the volume key in clear), 1 the whole packet as CMS
 *   EnvelopedData for a certificate, 2 the whole packet as a GnuPG
 *   passphrase-encrypted message, 3 and 4 clear KMIP fields with the secret
 *   wrapped for a certificate or under a symmetric key (volume_key's
 *   lib/kmip.c and lib/volume.c; libvolume_key.h's libvk_packet_format).
 * - GTKCrypto (`<file>.enc`): its Metadata struct written raw (x86-64
 *   layout, 72 bytes): the IV (16), iv_size (u64 LE, the cipher's block, 16),
 *   the PBKDF2-SHA512 salt (32), the libgcrypt cipher id (i32 LE: 9 AES-256,
 *   10 Twofish, 306 Serpent-256, 312 Camellia-256) and mode (3 CBC, 6 CTR),
 *   the CBC padding length and zero struct padding; the ciphertext; a 64-byte
 *   HMAC-SHA3-512 (src/crypt-common.h, encrypt-file.c). No magic: the header
 *   fields and, for a whole file, the lengths decide.
 * - kickpass safes (`~/.kickpass/<safe>`): a 60-byte big-endian header
 *   (version 1, libsodium version, scrypt opslimit and memlimit, 32-byte salt,
 *   8-byte nonce) and a ChaCha20-Poly1305 box over password and metadata
 *   (kickpass's storage.c). Without a magic the header fields and the
 *   `.kickpass/` folder decide.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain, u16be, u16le, u32be, u32le } from './util.js';

const CCR_ENCRYPTED = 's20:CCR-ENCRYPTED-MSG-v2';
const CCR_KEYPAIRS = 's12:CCR-KEYPAIRS';
const CCR_SYMKEY = 's10:CCR-SYMKEY';
const CCR_ARMOR = '------ccr begin ';
const CCR_SECRETS = '**/.ccr/secrets';

/** A sencode byte string "<n>:" at `at`: [bytes as latin1, next offset], or undefined. */
function sencodeBytes(h: Uint8Array, at: number, max: number): [string, number] | undefined {
  let n = 0;
  let i = at;
  while (i < h.length && i - at < 8 && h[i] !== undefined && h[i]! >= 0x30 && h[i]! <= 0x39)
    n = n * 10 + h[i++]! - 0x30;
  if (i === at || h[i] !== 0x3a || n > max || i + 1 + n > h.length) return undefined;
  return [ascii(h, i + 1, i + 1 + n), i + 1 + n];
}

/** The algorithm and recipient key id that follow "CCR-ENCRYPTED-MSG-v2" at `at`. */
function ccrMessageFields(h: Uint8Array, at: number): { algorithm: string; keyId: string } | undefined {
  const alg = sencodeBytes(h, at, 64);
  const key = alg && sencodeBytes(h, alg[1], 128);
  if (!alg || !key || !/^[A-Z0-9-]{3,64}$/.test(alg[0]) || !/^[0-9a-f]{16,128}$/.test(key[0])) return undefined;
  return { algorithm: alg[0], keyId: key[0] };
}

function ccrMessage(fields: { algorithm: string; keyId: string }, armored: boolean): Detection {
  return locked({
    id: 'codecrypt-message',
    name: 'codecrypt encrypted message',
    confidence: 0.97,
    code: 'CODECRYPT_MESSAGE',
    message:
      `${armored ? 'A "------ccr begin encrypted" armor whose base64 decodes to' : 'Codecrypt serialisation:'} "CCR-ENCRYPTED-MSG-v2", ` +
      `algorithm ${fields.algorithm}, recipient key ${fields.keyId.slice(0, 16)}…: a message encrypted to a codecrypt public key.`,
    figures: { algorithm: fields.algorithm, recipientKey: fields.keyId, armored },
    scheme: `codecrypt-${fields.algorithm.toLowerCase()}`,
    keyHint: {
      description: `The recipient's codecrypt private key ${fields.keyId.slice(0, 16)}… in ~/.ccr/secrets (itself locked with a password when "ccr_lock" seals it).`,
      kind: 'key-file',
      present: 'unknown',
      lookFor: [CCR_SECRETS],
    },
  });
}

/** An armored codecrypt block starting a line in the head: its type and the decoded start of its body. */
function ccrArmor(h: Uint8Array): { type: string; body: Uint8Array } | undefined {
  const text = ascii(h, 0, Math.min(h.length, 4096));
  const m = /(?:^|\n)------ccr begin ([a-z]+) [a-z0-9]+------\n([A-Za-z0-9+/=\n]{16,})/.exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  const b64 = m[2].replace(/\n/g, '');
  return { type: m[1], body: Buffer.from(b64.slice(0, b64.length - (b64.length % 4)), 'base64') };
}

function ccrKeyring(h: Uint8Array, complete: boolean): Detection | undefined {
  const text = ascii(h, 0, h.length);
  const lockedKeys = text.match(/\d:ccr_lock/g)?.length ?? 0;
  const clearKeys = text.match(/\d:s\d+:CCR-PRIVATE-KEY-/g)?.length ?? 0;
  if (lockedKeys + clearKeys === 0) return undefined;
  const counted = `${lockedKeys} locked and ${clearKeys} clear private key${clearKeys === 1 ? '' : 's'}${complete ? '' : ' in the probe'}`;
  if (lockedKeys > 0) {
    return locked({
      id: 'codecrypt-keyring-locked',
      name: 'codecrypt secret keyring (password-locked keys)',
      confidence: 0.97,
      code: 'CODECRYPT_KEYRING',
      message: `"CCR-KEYPAIRS" keyring with ${counted}: the keys sealed by "ccr -L" need the lock password.`,
      figures: { lockedKeys, clearKeys },
      scheme: 'codecrypt-seclock',
      scope: clearKeys > 0 ? 'partial' : 'full',
      keyHint: {
        description: 'The password given to "ccr -L" when the keys were locked (codecrypt asks for it at each use).',
        kind: 'password',
        present: 'unknown',
      },
    });
  }
  return plain('opaque', {
    id: 'codecrypt-keyring',
    name: 'codecrypt secret keyring (keys in clear)',
    confidence: 0.95,
    code: 'CODECRYPT_KEYRING',
    message: `"CCR-KEYPAIRS" keyring with ${counted}: private keys in clear, which decrypt the owner's codecrypt messages.`,
    figures: { lockedKeys, clearKeys },
  });
}

function detectCodecrypt(h: Uint8Array, complete: boolean): Detection | undefined {
  if (ascii(h, 0, CCR_ENCRYPTED.length) === CCR_ENCRYPTED) {
    const fields = ccrMessageFields(h, CCR_ENCRYPTED.length);
    return fields && ccrMessage(fields, false);
  }
  if (ascii(h, 0, CCR_KEYPAIRS.length) === CCR_KEYPAIRS) return ccrKeyring(h, complete);
  if (ascii(h, 0, CCR_SYMKEY.length) === CCR_SYMKEY) {
    const alg = sencodeBytes(h, CCR_SYMKEY.length + 1, 64);
    if (!alg || !/^[A-Z0-9-]{3,64}$/.test(alg[0])) return undefined;
    return plain('opaque', {
      id: 'codecrypt-symkey',
      name: 'codecrypt symmetric key (key in clear)',
      confidence: 0.95,
      code: 'CODECRYPT_SYMKEY',
      message: `"CCR-SYMKEY" key file, first cipher ${alg[0]}: a symmetric key in clear; "ccr -d -S" decrypts the files made with it.`,
      figures: { cipher: alg[0] },
    });
  }
  if (!ascii(h, 0, Math.min(h.length, 4096)).includes(CCR_ARMOR)) return undefined;
  const armor = ccrArmor(h);
  if (armor?.type === 'encrypted' && ascii(armor.body, 0, CCR_ENCRYPTED.length) === CCR_ENCRYPTED) {
    const fields = ccrMessageFields(armor.body, CCR_ENCRYPTED.length);
    return fields && ccrMessage(fields, true);
  }
  return undefined;
}

/** libsecrecy's numbers: 7-bit groups, most significant first, the last byte flagged by its top bit. */
function secrecyNumber(h: Uint8Array, at: number): [number, number] | undefined {
  let v = 0;
  for (let i = 0; i < 4; i++) {
    const b = h[at + i];
    if (b === undefined) return undefined;
    v = v * 128 + (b & 0x7f);
    if (b & 0x80) return [v, at + i + 1];
  }
  return undefined;
}

/** libsecrecy's key-value store at `at`: the fields and where it ends, or undefined. */
function secrecyStore(h: Uint8Array, at: number): [Map<string, string>, number] | undefined {
  const count = secrecyNumber(h, at);
  if (!count || count[0] === 0 || count[0] > 32) return undefined;
  const fields = new Map<string, string>();
  let p = count[1];
  for (let i = 0; i < count[0]; i++) {
    const nameLen = secrecyNumber(h, p);
    if (!nameLen || nameLen[0] === 0 || nameLen[0] > 64) return undefined;
    const name = ascii(h, nameLen[1], nameLen[1] + nameLen[0]);
    const valueLen = secrecyNumber(h, nameLen[1] + nameLen[0]);
    if (!/^[A-Za-z_]+$/.test(name) || !valueLen || valueLen[0] > 4096 || valueLen[1] + valueLen[0] > h.length)
      return undefined;
    const value = ascii(h, valueLen[1], valueLen[1] + valueLen[0]);
    if (!/^[\x20-\x7e]*$/.test(value)) return undefined;
    fields.set(name, value);
    p = valueLen[1] + valueLen[0];
  }
  return [fields, p];
}

/** The first byte of a GnuPG message: a public-key or symmetric-key session key packet, old or new format. */
const isSessionKeyPacket = (b: number | undefined) =>
  b !== undefined && ((b >= 0x84 && b <= 0x87) || (b >= 0x8c && b <= 0x8f) || b === 0xc1 || b === 0xc3);

function detectLibsecrecy(h: Uint8Array): Detection | undefined {
  const isKey = ascii(h, 0, 14) === 'LIBSECRECY_KEY';
  if (!isKey && ascii(h, 0, 10) !== 'LIBSECRECY') return undefined;
  const store = secrecyStore(h, isKey ? 14 : 10);
  if (!store) return undefined;
  const [fields, end] = store;
  if (isKey) {
    const cipher = fields.get('cipher') ?? '';
    const hash = fields.get('hash') ?? '';
    if (!/^[0-9A-F]{64}$/i.test(hash) || !isSessionKeyPacket(h[end])) return undefined;
    return locked({
      id: 'libsecrecy-key',
      name: 'libsecrecy key file (key wrapped with GnuPG)',
      confidence: 0.97,
      code: 'LIBSECRECY_KEY_HEADER',
      message: `"LIBSECRECY_KEY" store (cipher ${cipher || 'unnamed'}, key name "${fields.get('keyname') ?? ''}", hash ${hash.slice(0, 16)}…) followed by a GnuPG message: the ${cipher} key, encrypted to its owner's GnuPG key.`,
      figures: { cipher, keyName: fields.get('keyname') ?? '', keyHash: hash },
      scheme: 'libsecrecy-key-openpgp',
      keyHint: {
        description:
          "The GnuPG secret key the libsecrecy key was created for (secrecy createKey <cipher> <gpgid>), in the owner's ~/.gnupg.",
        kind: 'keystore',
        present: 'unknown',
        lookFor: ['**/.gnupg/private-keys-v1.d/*.key', '**/.gnupg/secring.gpg'],
      },
    });
  }
  const keyHash = fields.get('keyhash') ?? '';
  const iv = fields.get('IV') ?? '';
  if (!/^[0-9A-F]{64}$/i.test(keyHash) || !/^[0-9A-F]{16,64}$/i.test(iv)) return undefined;
  return locked({
    id: 'libsecrecy-encrypted',
    name: 'libsecrecy encrypted file',
    confidence: 0.97,
    code: 'LIBSECRECY_HEADER',
    message: `"LIBSECRECY" header: IV ${iv.length / 2} bytes, block size ${fields.get('blocksize') ?? '?'}, key hash ${keyHash.slice(0, 16)}…; AES-GCM blocks follow.`,
    figures: { keyHash, ivBytes: iv.length / 2, blockSize: Number(fields.get('blocksize') ?? 0) },
    scheme: 'libsecrecy-aes-gcm',
    keyHint: {
      description: `The libsecrecy key with hash ${keyHash} (~/.libsecrecy/hash/${keyHash}), itself wrapped with the owner's GnuPG key.`,
      kind: 'key-file',
      present: 'unknown',
      lookFor: [`**/.libsecrecy/hash/${keyHash}`, `**/.libsecrecy/hash/${keyHash.toLowerCase()}`],
    },
  });
}

const CRYPTMOUNT_HINT = {
  description:
    "The cryptmount password of the target whose keyfile= names this file (the target's line in /etc/cryptmount/cmtab gives its device and cipher).",
  kind: 'password' as const,
  present: 'unknown' as const,
  lookFor: ['**/etc/cryptmount/cmtab'],
};

function detectCryptmount(h: Uint8Array, size: number, complete: boolean): Detection | undefined {
  const magic = ascii(h, 0, 7);
  const version = h[7] ?? 0xff;
  if (magic === 'cm-blti' && version <= 1) {
    const keyBytes = u16le(h, 8) ?? 0;
    const iterations = version >= 1 ? (u32le(h, 10) ?? 0) : 0;
    const header = version >= 1 ? 24 : 20;
    // The key padded to whole 8-byte Blowfish blocks, then the 8-byte checksum block.
    const expected = header + Math.ceil(keyBytes / 8) * 8 + 8;
    if (keyBytes === 0 || keyBytes > 1024 || (version >= 1 && iterations === 0) || (complete && size !== expected))
      return undefined;
    return locked({
      id: 'cryptmount-key',
      name: 'cryptmount key file',
      confidence: complete ? 0.97 : 0.85,
      code: 'CRYPTMOUNT_KEY_HEADER',
      message: `"cm-blti" key file version ${version}: a ${keyBytes}-byte disk key in Blowfish blocks under a SHA-1 key from the password (${iterations || 'no'} iterations, 10-byte salt)${complete ? `, ${size} bytes as the key length requires` : ''}.`,
      figures: { keyFormat: 'builtin', version, keyBytes, iterations },
      scheme: 'cryptmount-builtin-sha1-blowfish',
      keyHint: CRYPTMOUNT_HINT,
    });
  }
  if (magic === 'cm-gcry' && version === 0) {
    const block = u16le(h, 8) ?? 0;
    const keyBytes = u16le(h, 10) ?? 0;
    if (![8, 16, 32].includes(block) || keyBytes === 0 || keyBytes > 1024) return undefined;
    // Key, 4-byte checksum after padding to 4, padded to whole cipher blocks.
    const expected = 24 + Math.ceil((Math.ceil(keyBytes / 4) * 4 + 4) / block) * block;
    if (complete && size !== expected) return undefined;
    return locked({
      id: 'cryptmount-key',
      name: 'cryptmount key file',
      confidence: complete ? 0.97 : 0.85,
      code: 'CRYPTMOUNT_KEY_HEADER',
      message: `"cm-gcry" key file: a ${keyBytes}-byte disk key in ${block}-byte cipher blocks under a libgcrypt key derived from the password (12-byte salt)${complete ? `, ${size} bytes as the lengths require` : ''}.`,
      figures: { keyFormat: 'libgcrypt', version, keyBytes, cipherBlock: block },
      scheme: 'cryptmount-libgcrypt',
      keyHint: CRYPTMOUNT_HINT,
    });
  }
  return undefined;
}

const RSYNCRYPTO_MAGIC = 0xd657ea1c;

function detectRsyncryptoKey(h: Uint8Array, size: number, complete: boolean): Detection | undefined {
  const keyBytes = u16be(h, 6) ?? 0;
  const [span, mod, minDist] = [u32be(h, 8) ?? 0, u32be(h, 12) ?? 0, u32be(h, 16) ?? 0];
  if (u32be(h, 0) !== RSYNCRYPTO_MAGIC || u16be(h, 4) !== 0 || ![16, 24, 32].includes(keyBytes)) return undefined;
  if (span === 0 || mod === 0 || span > 1 << 24 || mod > 1 << 24 || minDist > 1 << 24) return undefined;
  if (complete ? size !== 20 + keyBytes + 16 : size > 4096) return undefined;
  return plain('opaque', {
    id: 'rsyncrypto-key',
    name: 'rsyncrypto key file (key in clear)',
    confidence: 0.95,
    code: 'RSYNCRYPTO_KEY_HEADER',
    message: `rsyncrypto key header (magic 0xD657EA1C, AES, ${keyBytes * 8}-bit key, rsyncable sums over ${span} bytes modulo ${mod}) followed by the key and IV in clear: it decrypts the rsyncrypto file of the same name without the RSA private key.`,
    figures: { keyBits: keyBytes * 8, sumSpan: span, sumMod: mod, sumMinDist: minDist },
  });
}

const VOLUME_KEY_MAGIC = '\0volume_key';
const ENVELOPED_DATA_OID = Buffer.from('06092a864886f70d010703', 'hex');

/** volume_key's own TTLV (u32 tag 0x42..., type byte 0x80 for a structure, u32 length) filling the packet. */
function kmipStructure(h: Uint8Array, size: number, complete: boolean): boolean {
  const len = u32be(h, 17) ?? 0;
  return h[12] === 0x42 && h[16] === 0x80 && (complete ? 21 + len === size : 21 + len <= size);
}

/** A CMS EnvelopedData: a SEQUENCE whose first element is the envelopedData OID. */
const cmsEnveloped = (h: Uint8Array) => h[12] === 0x30 && Buffer.from(h.subarray(13, 40)).includes(ENVELOPED_DATA_OID);

/** An OpenPGP symmetric-key session key packet (v4: cipher 1-13, S2K 0, 1 or 3), old or new format. */
function openpgpSkesk(h: Uint8Array): boolean {
  const at = h[12] === 0x8c ? 14 : h[12] === 0xc3 ? 14 : -1;
  const cipher = h[at + 1] ?? 0;
  const s2k = h[at + 2] ?? 0xff;
  return at > 0 && h[at] === 4 && cipher >= 1 && cipher <= 13 && (s2k === 0 || s2k === 1 || s2k === 3);
}

/** What each volume_key packet format needs, and how its body must start. */
const VOLUME_KEY_FORMATS: Record<
  number,
  {
    body: (h: Uint8Array, size: number, complete: boolean) => boolean;
    what: string;
    scheme?: string;
    kind?: 'password' | 'keystore' | 'key-file';
    partial?: boolean;
  }
> = {
  0: { body: kmipStructure, what: 'cleartext: the volume key in clear KMIP fields' },
  1: {
    body: cmsEnveloped,
    what: 'the whole packet CMS-enveloped for a certificate',
    scheme: 'volume-key-asymmetric-cms',
    kind: 'keystore',
  },
  2: {
    body: openpgpSkesk,
    what: 'the whole packet a GnuPG passphrase-encrypted message',
    scheme: 'volume-key-passphrase-openpgp',
    kind: 'password',
  },
  3: {
    body: kmipStructure,
    what: 'clear KMIP fields, the secret wrapped for a certificate',
    scheme: 'volume-key-wrap-secret-asymmetric',
    kind: 'keystore',
    partial: true,
  },
  4: {
    body: kmipStructure,
    what: 'clear KMIP fields, the secret wrapped under a symmetric key',
    scheme: 'volume-key-wrap-secret-symmetric',
    kind: 'key-file',
    partial: true,
  },
};

function detectVolumeKey(h: Uint8Array, size: number, complete: boolean): Detection | undefined {
  const format = h[11] ?? 0xff;
  const spec = VOLUME_KEY_FORMATS[format];
  if (ascii(h, 0, 11) !== VOLUME_KEY_MAGIC || !spec?.body(h, size, complete)) return undefined;
  const message = `volume_key escrow packet ("\\0volume_key"), format ${format}: ${spec.what}.`;
  if (!spec.scheme || !spec.kind)
    return plain('opaque', {
      id: 'volume-key-escrow-clear',
      name: 'volume_key escrow packet (key in clear)',
      confidence: 0.95,
      code: 'VOLUME_KEY_PACKET',
      message: `${message} It opens the volume it was saved from (volume_key --restore or --setup-volume).`,
      figures: { packetFormat: format },
    });
  return locked({
    id: 'volume-key-escrow',
    name: 'volume_key escrow packet (encrypted)',
    confidence: 0.95,
    code: 'VOLUME_KEY_PACKET',
    message: `${message} Once opened it gives the volume's key.`,
    figures: { packetFormat: format },
    scheme: spec.scheme,
    scope: spec.partial ? 'partial' : 'full',
    keyHint: {
      description:
        spec.kind === 'password'
          ? 'The escrow packet passphrase given to volume_key --save.'
          : spec.kind === 'keystore'
            ? 'The private key of the escrow certificate (volume_key -d: an NSS database holding it).'
            : 'The symmetric wrapping key held in the NSS database volume_key used.',
      kind: spec.kind,
      present: 'unknown',
      ...(spec.kind === 'password' ? {} : { lookFor: ['**/cert9.db', '**/key4.db'] }),
    },
  });
}

const GTKCRYPTO_HEADER = 72;
const GTKCRYPTO_HMAC = 64;
const GTKCRYPTO_CIPHERS: Record<number, string> = { 9: 'aes256', 10: 'twofish', 306: 'serpent256', 312: 'camellia256' };
const GTKCRYPTO_MODES: Record<number, string> = { 3: 'cbc', 6: 'ctr' };

function detectGtkcrypto(h: Uint8Array, size: number, complete: boolean): Detection | undefined {
  const cipher = GTKCRYPTO_CIPHERS[u32le(h, 56) ?? 0];
  const mode = GTKCRYPTO_MODES[u32le(h, 60) ?? 0];
  const padding = h[64] ?? 0xff;
  if (h.length < GTKCRYPTO_HEADER || u32le(h, 16) !== 16 || u32le(h, 20) !== 0 || !cipher || !mode) return undefined;
  if (padding >= 16 || (mode === 'ctr' && padding !== 0) || h.subarray(65, GTKCRYPTO_HEADER).some((b) => b !== 0))
    return undefined;
  const body = size - GTKCRYPTO_HEADER - GTKCRYPTO_HMAC;
  if (body < 1 || (mode === 'cbc' && body % 16 !== 0) || (complete && mode === 'cbc' && body < 16)) return undefined;
  return locked({
    id: 'gtkcrypto-encrypted',
    name: 'GTKCrypto encrypted file',
    confidence: 0.9,
    code: 'GTKCRYPTO_HEADER',
    message: `GTKCrypto metadata header: 16-byte IV, 32-byte salt, ${cipher}-${mode}${mode === 'cbc' ? ` with ${padding} padding bytes` : ''}, zero struct padding; ${body} bytes of ciphertext ${mode === 'cbc' ? '(whole blocks) ' : ''}and a 64-byte HMAC.`,
    figures: { cipher, mode, paddingBytes: padding, cipherBytes: body },
    scheme: `gtkcrypto-pbkdf2-sha512-${cipher}-${mode}`,
    keyHint: {
      description:
        'The password typed in GTKCrypto (PBKDF2-SHA512, 100,000 rounds, salt in the header; the HMAC tells a right guess).',
      kind: 'password',
      present: 'unknown',
    },
  });
}

const KICKPASS_HEADER = 60;
/** Password and metadata are each at most 4 KiB in kickpass; a safe is never near this. */
const KICKPASS_MAX = 64 * 1024;

function detectKickpass(h: Uint8Array, size: number, path: string): Detection | undefined {
  const sodiumMajor = h[2] ?? 0;
  const opsHigh = u32be(h, 4);
  const ops = u32be(h, 8) ?? 0;
  const memHigh = u32be(h, 12) ?? 1;
  const mem = u32be(h, 16) ?? 0;
  if (u16be(h, 0) !== 1 || sodiumMajor < 4 || sodiumMajor > 40 || (h[3] ?? 0xff) > 63) return undefined;
  if (opsHigh !== 0 || ops === 0 || memHigh > 0xff || (memHigh === 0 && mem < 8192)) return undefined;
  if (size < KICKPASS_HEADER + 17 || size > KICKPASS_MAX) return undefined;
  const inFolder = /(^|\/)\.kickpass\//.test(path);
  if (!inFolder) return undefined;
  return locked({
    id: 'kickpass-safe',
    name: 'kickpass password safe',
    confidence: 0.95,
    code: 'KICKPASS_HEADER',
    message: `In a .kickpass folder, a kickpass storage header (version 1, libsodium ${sodiumMajor}.${h[3]}, scrypt opslimit ${ops}, memlimit ${memHigh * 2 ** 32 + mem}) and ${size - KICKPASS_HEADER} bytes of ChaCha20-Poly1305 box.`,
    figures: { sodiumVersion: `${sodiumMajor}.${h[3]}`, opslimit: ops, memlimit: memHigh * 2 ** 32 + mem },
    scheme: 'kickpass-scrypt-chacha20poly1305',
    keyHint: {
      description: 'The kickpass master password (scrypt with the salt and limits in the header).',
      kind: 'password',
      present: 'unknown',
    },
  });
}

export const encryptionCliFilesDetector = defineDetector({
  meta: {
    id: 'encryption-cli-files',
    version: '1.0.0',
    title:
      'Command-line encryption tools: codecrypt, libsecrecy, cryptmount and rsyncrypto key files, volume_key escrow packets, GTKCrypto files, kickpass safes',
    formats: [
      { id: 'codecrypt-message', name: 'codecrypt encrypted message', status: 'encrypted', how: 'header-field' },
      {
        id: 'codecrypt-keyring-locked',
        name: 'codecrypt secret keyring (password-locked keys)',
        status: 'encrypted',
        how: 'header-field',
      },
      {
        id: 'codecrypt-keyring',
        name: 'codecrypt secret keyring (keys in clear)',
        status: 'opaque',
        how: 'header-field',
      },
      { id: 'codecrypt-symkey', name: 'codecrypt symmetric key (key in clear)', status: 'opaque', how: 'header-field' },
      { id: 'libsecrecy-encrypted', name: 'libsecrecy encrypted file', status: 'encrypted', how: 'header-field' },
      {
        id: 'libsecrecy-key',
        name: 'libsecrecy key file (key wrapped with GnuPG)',
        status: 'encrypted',
        how: 'header-field',
      },
      { id: 'cryptmount-key', name: 'cryptmount key file', status: 'encrypted', how: 'header-field' },
      {
        id: 'volume-key-escrow',
        name: 'volume_key escrow packet (encrypted)',
        status: 'encrypted',
        how: 'header-field',
      },
      {
        id: 'volume-key-escrow-clear',
        name: 'volume_key escrow packet (key in clear)',
        status: 'opaque',
        how: 'header-field',
      },
      { id: 'rsyncrypto-key', name: 'rsyncrypto key file (key in clear)', status: 'opaque', how: 'header-field' },
      {
        id: 'gtkcrypto-encrypted',
        name: 'GTKCrypto encrypted file',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['enc'],
      },
      { id: 'kickpass-safe', name: 'kickpass password safe', status: 'encrypted', how: 'path' },
    ],
  },
  signatures: [
    { offset: 0, ascii: 's20:CCR-ENCRYPTED-MSG-v2' },
    { offset: 0, ascii: CCR_KEYPAIRS },
    { offset: 0, ascii: CCR_SYMKEY },
    { offset: 0, ascii: CCR_ARMOR, within: 2048 },
    { offset: 0, ascii: 'LIBSECRECY' },
    { offset: 0, ascii: 'cm-blti' },
    { offset: 0, ascii: 'cm-gcry' },
    { offset: 0, hex: 'd657ea1c' },
    { offset: 0, hex: '00766f6c756d655f6b6579' },
    { offset: 0, hex: '0001' },
    { offset: 16, hex: '1000000000000000' },
  ],
  minSize: 24,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const ccr = detectCodecrypt(h, probe.complete);
    if (ccr) return ccr;
    if (h[16] === 0x10 && h[17] === 0) {
      const gtk = detectGtkcrypto(h, probe.size, probe.complete);
      if (gtk) return gtk;
    }
    switch (h[0]) {
      case 0x4c:
        return detectLibsecrecy(h);
      case 0x63:
        return detectCryptmount(h, probe.size, probe.complete);
      case 0xd6:
        return detectRsyncryptoKey(h, probe.size, probe.complete);
      case 0x00:
        return h[1] === 0x76
          ? detectVolumeKey(h, probe.size, probe.complete)
          : detectKickpass(h, probe.size, probe.path);
      default:
        return undefined;
    }
  },
});
