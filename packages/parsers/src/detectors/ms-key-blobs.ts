/**
 * Microsoft private-key files: PVK (what makecert and pvk2pfx use for code-signing
 * keys) and bare CryptoAPI key blobs (.msb, exported PRIVATEKEYBLOB/PUBLICKEYBLOB).
 * A PVK header is a magic b0b5f11e, a key type, an "encrypted" flag, a salt
 * length (16 when encrypted) and a key length that, with them, is the file's
 * size; the key blob follows, its 8-byte BLOBHEADER in clear even when the rest
 * is RC4-encrypted under a key derived from the password. A key blob is a
 * BLOBHEADER (type 6 public or 7 private, version 2, an RSA key algorithm) and
 * an RSAPUBKEY whose magic ("RSA1" public, "RSA2" private) and bit length give
 * the blob's exact size. (DSS blobs are not read: no tool here writes one.)
 * A .NET strong-name public key (`sn -p`, the `.pk`/`.snk.pub` files projects sign
 * assemblies against) is the same PUBLICKEYBLOB behind 12 bytes: the signature
 * algorithm (an RSA ALG_ID), a hash ALG_ID and the blob's length. Its modulus is
 * uniformly random, so without this the statistics called the file encrypted.
 * References: OpenSSL crypto/pem/pvkfmt.c (the PVK and MSBLOB reader and writer);
 * Microsoft "PUBLICKEYSTRUC" and "RSAPUBKEY" (wincrypt.h); ECMA-335 II.6.2.1.3
 * (PublicKeyBlob: SigAlgID, HashAlgID, cbPublicKey, PublicKey). Fixtures by
 * openssl and Mono's `sn`.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain, u32le } from './util.js';

const PVK_MAGIC = 0xb0b5f11e;
const PVK_HEADER = 24;

/** Key algorithms (ALG_ID) of the blobs a PVK or .msb holds. */
const ALGORITHMS: Record<number, string> = {
  0xa400: 'RSA key exchange',
  0x2400: 'RSA signature',
};

/** Hash algorithms (ALG_ID) a strong-name key names: SHA-1, SHA-256, SHA-384, SHA-512. */
const STRONG_NAME_HASHES: Record<number, string> = {
  0x8004: 'SHA-1',
  0x800c: 'SHA-256',
  0x800d: 'SHA-384',
  0x800e: 'SHA-512',
};
const STRONG_NAME_HEADER = 12;

interface Blob {
  kind: 'private' | 'public';
  magic: string;
  bits: number;
  algorithm: string;
  /** Size the blob's magic and bit length give. */
  size: number;
}

/** A BLOBHEADER and key header at `at`, with the blob size they imply; undefined when they do not read. */
function keyBlob(b: Uint8Array, at: number): Blob | undefined {
  const type = b[at];
  if ((type !== 6 && type !== 7) || b[at + 1] !== 2 || b[at + 2] !== 0 || b[at + 3] !== 0) return undefined;
  const algorithm = ALGORITHMS[u32le(b, at + 4) ?? -1];
  const magic = ascii(b, at + 8, at + 12);
  const bits = u32le(b, at + 12) ?? 0;
  if (!algorithm || bits < 256 || bits > 16384 || bits % 8 !== 0) return undefined;
  const n = bits / 8;
  const sizes: Record<string, number> = {
    RSA1: 20 + n, // modulus
    RSA2: 20 + n + 5 * (n / 2) + n, // modulus, two primes, two exponents, coefficient, private exponent
  };
  const size = sizes[magic];
  if (size === undefined || (type === 7) !== (magic === 'RSA2')) return undefined;
  return { kind: type === 7 ? 'private' : 'public', magic, bits, algorithm, size };
}

export const msKeyBlobsDetector = defineDetector({
  meta: {
    id: 'ms-key-blobs',
    version: '1.1.0',
    title: 'Microsoft PVK private-key files and CryptoAPI key blobs',
    formats: [
      {
        id: 'pvk',
        name: 'PVK private key (no password)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['pvk'],
      },
      {
        id: 'pvk-encrypted',
        name: 'PVK private key, password-protected',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['pvk'],
      },
      {
        id: 'ms-key-blob',
        name: 'CryptoAPI key blob (PRIVATEKEYBLOB/PUBLICKEYBLOB)',
        status: 'analysable',
        how: 'structure',
        extensions: ['msb', 'blob', 'key', 'bin', 'snk'],
      },
      {
        id: 'strong-name-public-key',
        name: '.NET strong-name public key (sn -p)',
        status: 'analysable',
        how: 'structure',
        extensions: ['pk', 'pub', 'snk'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '1ef1b5b0' },
    { offset: 0, hex: '06020000' },
    { offset: 0, hex: '07020000' },
    { offset: 0, hex: '00240000' },
    { offset: 0, hex: '00a40000' },
  ],
  minSize: 20,
  maxSize: 65536,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (u32le(h, 0) === PVK_MAGIC) return pvk(h, probe.size);
    if (h[0] === 0 && h[2] === 0 && h[3] === 0) return strongNamePublicKey(h, probe.size);
    const blob = keyBlob(h, 0);
    if (!blob || blob.size !== probe.size) return undefined;
    return plain('analysable', {
      id: 'ms-key-blob',
      name: 'CryptoAPI key blob (PRIVATEKEYBLOB/PUBLICKEYBLOB)',
      confidence: 0.9,
      code: 'MS_KEY_BLOB',
      message: `CryptoAPI ${blob.kind} key blob: type ${blob.kind === 'private' ? 7 : 6}, version 2, ${blob.algorithm}, "${blob.magic}" with ${blob.bits} bits, exactly the file's ${probe.size} bytes: ${blob.kind === 'private' ? 'a private key in clear' : 'a public key'}, readable without a secret.`,
      figures: { magic: blob.magic, bits: blob.bits },
    });
  },
});

function pvk(h: Uint8Array, size: number): Detection | undefined {
  const [reserved, keyType, encrypted, saltLength, keyLength] = [4, 8, 12, 16, 20].map((at) => u32le(h, at));
  if (reserved !== 0 || (keyType !== 1 && keyType !== 2) || (encrypted !== 0 && encrypted !== 1)) return undefined;
  if (saltLength === undefined || keyLength === undefined || PVK_HEADER + saltLength + keyLength !== size)
    return undefined;
  if (encrypted === 1) {
    // Only the 8-byte BLOBHEADER stays in clear after the salt; an RSA private blob of n-byte modulus is 20 + 4.5 n bytes.
    const at = PVK_HEADER + saltLength;
    const algorithm = ALGORITHMS[u32le(h, at + 4) ?? -1];
    const modulusBytes = ((keyLength - 20) * 2) / 9;
    if (saltLength !== 16 || h[at] !== 7 || h[at + 1] !== 2 || !algorithm || !Number.isInteger(modulusBytes))
      return undefined;
    const bits = modulusBytes * 8;
    if (bits < 256 || bits > 16384) return undefined;
    return locked({
      id: 'pvk-encrypted',
      name: 'PVK private key, password-protected',
      confidence: 0.95,
      code: 'PVK_ENCRYPTED',
      message: `PVK header (magic b0b5f11e, ${algorithm} key, ${keyLength} bytes: ${bits} bits) with the encrypted flag set and a ${saltLength}-byte salt: the private key is RC4-encrypted with a key derived from the password.`,
      figures: { keyType: keyType === 1 ? 'exchange' : 'signature', bits, saltBytes: saltLength },
      scheme: 'pvk-rc4',
      keyHint: {
        description: 'The PVK password (set when the key was made, e.g. by makecert -sv).',
        kind: 'password',
        present: 'unknown',
      },
    });
  }
  // In clear, the whole key blob reads and its size is the key length.
  const blob = saltLength === 0 ? keyBlob(h, PVK_HEADER) : undefined;
  if (!blob || blob.size !== keyLength || blob.kind !== 'private') return undefined;
  return plain('analysable', {
    id: 'pvk',
    name: 'PVK private key (no password)',
    confidence: 0.95,
    code: 'PVK_CLEAR',
    message: `PVK header (magic b0b5f11e, ${blob.algorithm} key of ${blob.bits} bits) with the encrypted flag clear: the private key is in clear.`,
    figures: { keyType: keyType === 1 ? 'exchange' : 'signature', bits: blob.bits },
  });
}

/** A .NET strong-name public key: signature and hash ALG_IDs, the blob's length, then exactly that PUBLICKEYBLOB. */
function strongNamePublicKey(h: Uint8Array, size: number): Detection | undefined {
  const signature = ALGORITHMS[u32le(h, 0) ?? -1];
  const hash = STRONG_NAME_HASHES[u32le(h, 4) ?? -1];
  const length = u32le(h, 8);
  if (!signature || !hash || length !== size - STRONG_NAME_HEADER) return undefined;
  const blob = keyBlob(h, STRONG_NAME_HEADER);
  if (!blob || blob.kind !== 'public' || blob.size !== length) return undefined;
  return plain('analysable', {
    id: 'strong-name-public-key',
    name: '.NET strong-name public key (sn -p)',
    confidence: 0.9,
    code: 'STRONG_NAME_PUBLIC_KEY',
    message: `.NET strong-name public key: ${signature} with ${hash}, a ${length}-byte PUBLICKEYBLOB ("RSA1", ${blob.bits} bits) that ends the file: a public key, readable without a secret (its modulus is random bytes by nature).`,
    figures: { bits: blob.bits, hash },
  });
}
