/**
 * Files of command-line encryption tools Debian ships that no password-recovery
 * list names. codecrypt's are read in codecrypt-files.ts; cryptmount's and
 * rsyncrypto's key files and volume_key's escrow packets in key-escrow-files.ts;
 * here:
 *
 * - libsecrecy (`secrecy`): "LIBSECRECY", then a key-value store (a count and
 *   each name and value with its length, numbers big-endian 7-bit groups
 *   whose last byte has the top bit set): IV and authdata in hex, blocksize,
 *   buffersize and the SHA-256 "keyhash" of the AES key, then AES-GCM blocks.
 *   A key file (`~/.libsecrecy/hash/<keyhash>`) is "LIBSECRECY_KEY", the same
 *   store (cipher, hash, keyname) and the key as a GnuPG message to its owner
 *   (GCMStreamHeader.hpp, SecrecyKeyValueStore.hpp, RawKey.hpp).
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
import { CCR_ARMOR, CCR_KEYPAIRS, CCR_SYMKEY, detectCodecrypt } from './codecrypt-files.js';
import { detectCryptmount, detectRsyncryptoKey, detectVolumeKey } from './key-escrow-files.js';
import { ascii, locked, u16be, u32be, u32le } from './util.js';

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
    version: '1.1.0',
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
        return h[1] === 0x76 ? detectVolumeKey(probe) : detectKickpass(h, probe.size, probe.path);
      default:
        return undefined;
    }
  },
});
