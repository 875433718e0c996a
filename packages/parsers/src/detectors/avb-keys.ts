/**
 * Android Verified Boot public keys and the AVB certificate ("ATX", now
 * libavb_cert) structures built around them. An RSA modulus fills most of each
 * file, so the statistics alone call them ciphertext; they are public keys and
 * signed certificates.
 *
 * - `.avbpubkey` (avbtool extract_public_key; GSI keys in the ramdisk's
 *   `/avb/`, `apex_pubkey` in every APEX): AvbRSAPublicKeyHeader (key_num_bits,
 *   n0inv, both big-endian), then the modulus n and rr = R² mod n, R = 2^bits.
 * - permanent attributes (version 1, the product root key, a 16-byte product
 *   id), certificates (version 1, subject key, subject and usage hashes, key
 *   version, 512-byte signature), metadata (two certificates) and unlock
 *   credentials (two certificates and a challenge signature): versions are
 *   little-endian u32, keys always 4096-bit (AVB_ATX_PUBLIC_KEY_SIZE 1032).
 *
 * The key is confirmed by arithmetic random bytes do not fake: n0inv·n ≡ −1
 * (mod 2^32) (a 2^-32 chance) and rr equal to 2^(2·bits) mod n. References
 * (AOSP external/avb): libavb/avb_rsa.h (AvbRSAPublicKeyHeader), avbtool's
 * encode_rsa_key and make_atx_*; libavb_atx/avb_atx_types.h. Fixtures by
 * avbtool 1.1.0 from Debian's android-platform-tools source
 * (fixtures/avb-keys/generate.sh).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import crypto from 'node:crypto';
import { plain, u32be, u32le } from './util.js';

const KEY_BITS = [2048, 4096, 8192];
/** AVB_ATX_PUBLIC_KEY_SIZE: the 8-byte header, a 4096-bit n and rr. */
const CERT_KEY_BYTES = 8 + 2 * 512;
/** AvbAtxCertificate: version, key, subject, usage, key version (u64), signature. */
const CERTIFICATE_BYTES = 4 + CERT_KEY_BYTES + 32 + 32 + 8 + 512;
const PERMANENT_ATTRIBUTES_BYTES = 4 + CERT_KEY_BYTES + 16;
const METADATA_BYTES = 4 + 2 * CERTIFICATE_BYTES;
const UNLOCK_CREDENTIAL_BYTES = 4 + 2 * CERTIFICATE_BYTES + 512;

/** Usage strings avbtool hashes into a certificate (SHA-256), by what they mean. */
const USAGES = new Map<string, string>(
  (
    [
      ['com.google.android.things.vboot.ca', 'intermediate (PIK)'],
      ['com.google.android.things.vboot', 'product signing (PSK)'],
      ['com.google.android.things.vboot.unlock', 'product unlock (PUK)'],
    ] as const
  ).map(([usage, role]) => [crypto.createHash('sha256').update(usage).digest('hex'), role]),
);

const bigOf = (b: Uint8Array): bigint => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);

/** The key's size in bits when an AvbRSAPublicKeyHeader and its n and rr at `at` hold; else undefined. */
export function avbPublicKeyAt(b: Uint8Array, at: number): number | undefined {
  const bits = u32be(b, at);
  const n0inv = u32be(b, at + 4);
  if (bits === undefined || n0inv === undefined || !KEY_BITS.includes(bits)) return undefined;
  const size = bits / 8;
  if (at + 8 + 2 * size > b.length) return undefined;
  const n = b.subarray(at + 8, at + 8 + size);
  const low = u32be(n, size - 4) ?? 0;
  // The modulus has exactly `bits` bits and is odd; n0inv is −1/n mod 2^32 (Montgomery's constant).
  if ((n[0] ?? 0) < 0x80 || low % 2 === 0 || Math.imul(n0inv, low) >>> 0 !== 0xffffffff) return undefined;
  const rr = bigOf(b.subarray(at + 8 + size, at + 8 + 2 * size));
  const modulus = bigOf(n);
  return rr === (1n << BigInt(2 * bits)) % modulus ? bits : undefined;
}

/** A certificate at `at`: version 1 and a valid 4096-bit key; the role its usage hash names, if known. */
function certificateAt(b: Uint8Array, at: number): { role: string } | undefined {
  if (u32le(b, at) !== 1 || avbPublicKeyAt(b, at + 4) !== 4096) return undefined;
  const usageAt = at + 4 + CERT_KEY_BYTES + 32;
  const usage = Buffer.from(b.subarray(usageAt, usageAt + 32)).toString('hex');
  return { role: USAGES.get(usage) ?? 'usage not one avbtool names' };
}

function publicKey(probe: Probe): Detection | undefined {
  const bits = avbPublicKeyAt(probe.head, 0);
  if (bits === undefined || probe.size !== 8 + bits / 4) return undefined;
  return plain('analysable', {
    id: 'avb-public-key',
    name: 'Android Verified Boot public key (avbpubkey)',
    confidence: 0.95,
    code: 'AVB_PUBLIC_KEY',
    message:
      `AvbRSAPublicKeyHeader: a ${bits}-bit RSA modulus whose n0inv (−1/n mod 2^32) and rr (R² mod n) both ` +
      'hold, filling the file: a public key, not ciphertext.',
    figures: { keyBits: bits },
  });
}

function certificateStructure(probe: Probe): Detection | undefined {
  const b = probe.head;
  if (u32le(b, 0) !== 1 || b.length < probe.size) return undefined;
  const verdict = (id: string, name: string, what: string, roles: string[]): Detection =>
    plain('analysable', {
      id,
      name,
      confidence: 0.95,
      code: 'AVB_CERT_STRUCTURE',
      message:
        `${what} (libavb_atx, version 1, ${probe.size} bytes): ` +
        `${roles.length ? `${roles.join(' and ')}; ` : ''}each 4096-bit key's n0inv and rr hold: ` +
        'public keys and signatures, not ciphertext.',
      figures: { bytes: probe.size },
    });
  if (probe.size === PERMANENT_ATTRIBUTES_BYTES && avbPublicKeyAt(b, 4) === 4096)
    return verdict(
      'avb-cert-permanent-attributes',
      'AVB certificate permanent attributes',
      'Permanent attributes: the product root key and a 16-byte product id',
      [],
    );
  if (probe.size === CERTIFICATE_BYTES) {
    const cert = certificateAt(b, 0);
    if (cert) return verdict('avb-cert-certificate', 'AVB certificate', 'A certificate', [`role ${cert.role}`]);
  }
  if (probe.size === METADATA_BYTES || probe.size === UNLOCK_CREDENTIAL_BYTES) {
    const first = certificateAt(b, 4);
    const second = certificateAt(b, 4 + CERTIFICATE_BYTES);
    if (!first || !second) return undefined;
    const roles = [`certificates for ${first.role}`, second.role];
    return probe.size === METADATA_BYTES
      ? verdict('avb-cert-metadata', 'AVB certificate metadata', 'Metadata: two certificates', roles)
      : verdict(
          'avb-cert-unlock-credential',
          'AVB certificate unlock credential',
          'An unlock credential: two certificates and a challenge signature',
          roles,
        );
  }
  return undefined;
}

const formats = [
  ['avb-public-key', 'Android Verified Boot public key (avbpubkey)', ['avbpubkey', 'bin']],
  ['avb-cert-permanent-attributes', 'AVB certificate permanent attributes', ['bin']],
  ['avb-cert-certificate', 'AVB certificate', ['bin']],
  ['avb-cert-metadata', 'AVB certificate metadata', ['bin']],
  ['avb-cert-unlock-credential', 'AVB certificate unlock credential', ['bin']],
] as const;

export const avbKeysDetector = defineDetector({
  meta: {
    id: 'avb-keys',
    version: '1.0.0',
    title: 'Android Verified Boot public keys and AVB certificate structures',
    formats: formats.map(([id, name, extensions]) => ({
      id,
      name,
      status: 'analysable' as const,
      how: 'header-field' as const,
      extensions: [...extensions],
    })),
  },
  signatures: [
    { offset: 0, hex: '00000800' },
    { offset: 0, hex: '00001000' },
    { offset: 0, hex: '00002000' },
    { offset: 4, hex: '00001000' },
    { offset: 8, hex: '00001000' },
  ],
  minSize: 8 + 2 * 256,
  priority: 30,
  detect(probe): Detection | undefined {
    return u32le(probe.head, 0) === 1 ? certificateStructure(probe) : publicKey(probe);
  },
});
