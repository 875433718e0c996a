/**
 * AccessData (FTK Imager) evidence files: AD1 logical images, and images of
 * any kind (E01, AD1, raw) that FTK Imager's "AD encryption" wrapped whole.
 * - AD encryption: the header "ADCRYPT\0", version (u32le 1), header size
 *   (where the ciphertext starts, 512), three counts (i16), 2 reserved bytes;
 *   cipher (1-3: AES-128/192/256), hash (1: SHA-256, 2: SHA-512), PBKDF2
 *   iterations, then the lengths of the salt, the wrapped image key and its
 *   HMAC, and those three fields. The salt is plain with a passphrase and
 *   RSA-encrypted with a certificate (then as long as the RSA modulus).
 * - AD1: a segment header "ADSEGMENTEDFILE\0" (u32le 1 and 2, segment number
 *   and count, segment size, offset of the logical image header), then at that
 *   offset "ADLOGICALIMAGE\0\0" and its version (3 or 4).
 * References: libewf documentation, "Expert Witness Compression Format",
 * section 7 "AD encryption"; dissect.evidence (Fox-IT) adcrypt/c_adcrypt.py and
 * ad1/c_ad1.py; plaso issue 2726. No Debian tool writes either format: the
 * fixtures are written from these layouts (fixtures/accessdata/generate.py).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, plain, startsWith, u32le } from './util.js';

const ADCRYPT = 'ADCRYPT\0';
const SEGMENTED = 'ADSEGMENTEDFILE\0';
const LOGICAL = 'ADLOGICALIMAGE\0\0';
/** The fixed part of the ADCRYPT header, before the salt. */
const ADCRYPT_FIXED = 48;
/** A passphrase-derived salt; a certificate's RSA-encrypted salt is as long as its modulus (1024-8192 bits). */
const PLAIN_SALT = 16;
const CIPHERS: Record<number, string> = { 1: 'AES-128', 2: 'AES-192', 3: 'AES-256' };
const HASHES: Record<number, string> = { 1: 'SHA-256', 2: 'SHA-512' };
const KEY_BYTES = new Set([16, 24, 32]);
const HMAC_BYTES = new Set([32, 64]);

function adcrypt(h: Uint8Array): Detection | undefined {
  if (h.length < ADCRYPT_FIXED || u32le(h, 8) !== 1) return undefined;
  const headerSize = u32le(h, 12)!;
  const cipher = CIPHERS[u32le(h, 24)!];
  const hash = HASHES[u32le(h, 28)!];
  const iterations = u32le(h, 32)!;
  const saltBytes = u32le(h, 36)!;
  const keyBytes = u32le(h, 40)!;
  const hmacBytes = u32le(h, 44)!;
  // Known ids, and lengths an AES key and a SHA-2 HMAC have (not checked against each other: no file written by
  // FTK Imager itself was at hand to show that it always pairs them).
  if (!cipher || !hash || !KEY_BYTES.has(keyBytes) || !HMAC_BYTES.has(hmacBytes) || iterations === 0) return undefined;
  const certificate = saltBytes !== PLAIN_SALT;
  if (certificate && (saltBytes < 128 || saltBytes > 1024)) return undefined;
  if (headerSize < ADCRYPT_FIXED + saltBytes + keyBytes + hmacBytes || headerSize > 65536) return undefined;
  const figures = {
    cipher,
    hash,
    pbkdf2Iterations: iterations,
    saltBytes,
    headerSize,
    keyWrap: certificate ? 'certificate' : 'passphrase',
  };
  return locked({
    id: 'adcrypt',
    name: 'AccessData AD-encrypted image (FTK Imager)',
    confidence: 0.97,
    code: 'ADCRYPT_HEADER',
    message: `"ADCRYPT" header, version 1: the image after byte ${headerSize} is ${cipher}-CTR encrypted; its key is wrapped by a key derived with PBKDF2-${hash} (${iterations} iterations) from ${certificate ? `a salt encrypted to a certificate (${saltBytes * 8}-bit RSA)` : 'a passphrase'}. The image inside (E01, AD1 or raw) is not visible without it.`,
    figures,
    scheme: `adcrypt-${cipher.toLowerCase()}`,
    keyHint: certificate
      ? {
          description: 'The private key (PFX or PEM) of the certificate the image was encrypted to in FTK Imager.',
          kind: 'key-file',
          present: 'unknown',
          lookFor: ['**/*.pfx', '**/*.p12'],
        }
      : { description: 'The passphrase given to FTK Imager\'s "AD encryption".', kind: 'password', present: 'unknown' },
  });
}

function ad1(h: Uint8Array): Detection | undefined {
  if (h.length < 44 || u32le(h, 16) !== 1 || u32le(h, 20) !== 2) return undefined;
  const segment = u32le(h, 24)!;
  const segments = u32le(h, 28)!;
  const logicalAt = u32le(h, 40)!;
  if (segment < 1 || segments < segment || segments > 100_000) return undefined;
  const logical = logicalAt + 20 <= h.length && startsWith(h, LOGICAL, logicalAt);
  const version = logical ? u32le(h, logicalAt + 16)! : undefined;
  if (logical && version !== 3 && version !== 4) return undefined;
  return plain('analysable', {
    id: 'ad1',
    name: 'AccessData AD1 logical image',
    confidence: logical ? 0.96 : 0.9,
    code: 'AD1_SEGMENT_HEADER',
    message: `"ADSEGMENTEDFILE" header: segment ${segment} of ${segments}${logical ? `, "ADLOGICALIMAGE" header version ${version} at ${logicalAt}` : ''}. Not encrypted (FTK Imager's encryption wraps the whole file in an "ADCRYPT" header).`,
    figures: { segment, segments, logicalImageOffset: logicalAt, ...(version !== undefined ? { version } : {}) },
  });
}

export const accessdataDetector = defineDetector({
  meta: {
    id: 'accessdata',
    version: '1.0.0',
    title: 'AccessData (FTK Imager) AD1 logical images and AD-encrypted images',
    formats: [
      {
        id: 'ad1',
        name: 'AccessData AD1 logical image',
        status: 'analysable',
        how: 'header-field',
        extensions: ['ad1'],
      },
      {
        id: 'adcrypt',
        name: 'AccessData AD-encrypted image (FTK Imager)',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['e01', 'ad1', '001', 'dd', 'raw'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '4144435259505400' },
    { offset: 0, hex: '41445345474d454e54454446494c4500' },
  ],
  minSize: ADCRYPT_FIXED,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (startsWith(h, ADCRYPT)) return adcrypt(h);
    if (startsWith(h, SEGMENTED)) return ad1(h);
    return undefined;
  },
});
