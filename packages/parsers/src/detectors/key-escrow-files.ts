/**
 * Key files and escrow packets of disk and file encryption tools, read for the
 * encryption-cli-files detector:
 *
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
 */
import type { Detection, Probe } from '@evtriage/core/contract';
import { afterStructureEnd, ascii, locked, notingZeroPadding, plain, u16be, u16le, u32be, u32le } from './util.js';

const CRYPTMOUNT_HINT = {
  description:
    "The cryptmount password of the target whose keyfile= names this file (the target's line in /etc/cryptmount/cmtab gives its device and cipher).",
  kind: 'password' as const,
  present: 'unknown' as const,
  lookFor: ['**/etc/cryptmount/cmtab'],
};

export function detectCryptmount(h: Uint8Array, size: number, complete: boolean): Detection | undefined {
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

export function detectRsyncryptoKey(h: Uint8Array, size: number, complete: boolean): Detection | undefined {
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

/**
 * volume_key's own TTLV (u32 tag 0x42..., type byte 0x80 for a structure, u32 length): where it ends (its length
 * says so), when that is inside the file; the bytes after it are no part of the packet (set aside and named).
 */
function kmipStructure(h: Uint8Array, size: number): number | undefined {
  const len = u32be(h, 17) ?? 0;
  return h[12] === 0x42 && h[16] === 0x80 && 21 + len <= size ? 21 + len : undefined;
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
    /** The packet's end when its body says where it ends (`size` when it does not), or false/undefined. */
    body: (h: Uint8Array, size: number) => number | boolean | undefined;
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

export function detectVolumeKey(probe: Probe): Detection | undefined {
  const h = probe.head;
  const format = h[11] ?? 0xff;
  const spec = VOLUME_KEY_FORMATS[format];
  const body = ascii(h, 0, 11) === VOLUME_KEY_MAGIC ? spec?.body(h, probe.size) : undefined;
  if (!spec || body === undefined || body === false) return undefined;
  const after = typeof body === 'number' ? afterStructureEnd(probe, body) : undefined;
  const detection = volumeKeyVerdict(format, spec);
  return notingZeroPadding(detection, after, 'the packet before them');
}

function volumeKeyVerdict(format: number, spec: (typeof VOLUME_KEY_FORMATS)[number]): Detection {
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
