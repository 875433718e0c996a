/**
 * The empty password tried on the first bytes of a PKCS#12 store cut short (its MAC is lost with the end of the
 * file): an encrypted element's first cipher blocks are decrypted (CBC needs no more than the blocks and the IV)
 * and the plaintext must open as its DER content does: a PrivateKeyInfo (SEQUENCE, INTEGER 0) for a shrouded
 * key bag, SafeContents (SEQUENCE of SEQUENCE) for encryptedData. Both in long form (a key or a certificate is over 127 bytes): random plaintext does so about once in 2^29.
 * PBES2 (PBKDF2, AES or 3DES) and PKCS#12 PBE with 3DES are tried; RC2 and RC4 are not (Node's OpenSSL 3 has no
 * legacy provider), and neither is a key derivation of more than MAX_ITERATIONS.
 * References: RFC 7292 appendix B (PKCS#12 key derivation), C (PBE OIDs); RFC 8018 §6.2 (PBES2).
 */
import crypto from 'node:crypto';
import type { EncryptedPrefix } from '../detectors/pkcs12-cut-short.js';
import { berChildren, berNode } from './ber.js';
import { pkcs12Kdf } from './pkcs12-password.js';
import { pbes2Params } from './pkcs12-pbes2.js';

const PBE_SHA1_3DES = '2a864886f70d010c0103';
const MAX_ITERATIONS = 1_000_000;

export type TrialResult = { opens: boolean; how: string } | undefined;

/** Whether the empty password opens the prefix of this element; undefined when it cannot be tried. */
export function emptyPasswordOnPrefix(e: EncryptedPrefix): TrialResult {
  const b = Buffer.from(e.algorithm);
  const alg = berNode(b, 0);
  if (!alg) return undefined;
  const [oid, params] = berChildren(b, alg);
  if (!oid || oid.tag !== 0x06) return undefined;
  const blocks = (n: number) => Buffer.from(e.ciphertext.subarray(0, e.ciphertext.length - (e.ciphertext.length % n)));
  if (b.subarray(oid.start, oid.contentEnd).toString('hex') === PBE_SHA1_3DES) {
    // pbeParams: SEQUENCE { salt OCTET STRING, iterations INTEGER }
    const [salt, iter] = params ? berChildren(b, params) : [];
    if (!salt || salt.tag !== 0x04 || !iter || iter.tag !== 0x02 || iter.contentEnd - iter.start > 4) return undefined;
    const iterations = b.readUIntBE(iter.start, iter.contentEnd - iter.start);
    if (iterations < 1 || iterations > MAX_ITERATIONS) return undefined;
    const saltBytes = b.subarray(salt.start, salt.contentEnd);
    // The empty password is a BMPString's terminator (00 00), or none at all (the NULL password some tools use).
    for (const [label, password] of [
      ['empty', Buffer.from([0, 0])],
      ['NULL', Buffer.alloc(0)],
    ] as const) {
      const key = pkcs12Kdf('sha1', 20, 64, password, saltBytes, 1, iterations, 24);
      const iv = pkcs12Kdf('sha1', 20, 64, password, saltBytes, 2, iterations, 8);
      if (looksLikeContent(decrypt('des-ede3-cbc', key, iv, blocks(8))))
        return { opens: true, how: `pbeWithSHAAnd3-KeyTripleDES-CBC, ${iterations} iterations, ${label} password` };
    }
    return { opens: false, how: `pbeWithSHAAnd3-KeyTripleDES-CBC, ${iterations} iterations` };
  }
  const p = pbes2Params(b, alg);
  if (!p || p.iterations > MAX_ITERATIONS) return undefined;
  const key = crypto.pbkdf2Sync(Buffer.alloc(0), p.salt, p.iterations, p.keyLength, p.digest);
  const block = p.cipher.startsWith('aes') ? 16 : 8;
  const how = `PBES2 (PBKDF2-HMAC-${p.digest.toUpperCase()}, ${p.iterations} iterations, ${p.cipher.toUpperCase()})`;
  return { opens: looksLikeContent(decrypt(p.cipher, key, p.iv, blocks(block))), how };
}

function decrypt(cipher: string, key: Buffer, iv: Buffer, data: Buffer): Buffer | undefined {
  try {
    const d = crypto.createDecipheriv(cipher, key, iv).setAutoPadding(false);
    return Buffer.concat([d.update(data), d.final()]);
  } catch {
    return undefined; // a key or IV of the wrong length
  }
}

/** SEQUENCE { INTEGER 0 ... } (PrivateKeyInfo) or SEQUENCE { SEQUENCE ... } (SafeContents), in long-form DER. */
function looksLikeContent(p: Buffer | undefined): boolean {
  if (!p || p.length < 8 || p[0] !== 0x30) return false;
  const n = p[1]! - 0x80;
  if (n < 1 || n > 3) return false;
  const at = 2 + n;
  const version0 = p[at] === 0x02 && p[at + 1] === 0x01 && p[at + 2] === 0x00;
  const inner = p[at + 1] ?? 0xff;
  const bag = p[at] === 0x30 && inner >= 0x81 && inner <= 0x83;
  return version0 || bag;
}
