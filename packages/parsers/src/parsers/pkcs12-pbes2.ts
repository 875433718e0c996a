/**
 * The empty-password test on a PKCS#12 store's PBES2-encrypted content (a
 * shrouded key bag or an encrypted-data content, as OpenSSL 3 and NSS write
 * them): PBKDF2 derives the key (native, where the store's MAC needs the
 * PKCS#12 KDF, a hash loop in JavaScript: ~5× slower at NSS's 600,000
 * rounds), the content is decrypted, and the empty password opens it only when
 * the CBC padding holds and the plaintext is one whole DER/BER element, as a
 * PrivateKeyInfo or SafeContents is (a wrong key passes both 1 time in
 * ~16 million). The content, not the MAC, is what must be read.
 * References: RFC 8018 §6.2 (PBES2), §5.2 (PBKDF2), Appendix A.2/A.4/B.2
 * (algorithm identifiers); RFC 7292 §4.2.2 (shrouded key bag), §4.1
 * (encrypted data content).
 */
import crypto from 'node:crypto';
import { berChildren, berNode, berOctets, type BerNode } from './ber.js';

const PBES2 = '2a864886f70d01050d';
const PBKDF2 = '2a864886f70d01050c';
const PRFS: Record<string, string> = {
  '2a864886f70d0207': 'sha1',
  '2a864886f70d0208': 'sha224',
  '2a864886f70d0209': 'sha256',
  '2a864886f70d020a': 'sha384',
  '2a864886f70d020b': 'sha512',
};
const CIPHERS: Record<string, [cipher: string, keyLength: number]> = {
  '608648016503040102': ['aes-128-cbc', 16],
  '608648016503040116': ['aes-192-cbc', 24],
  '60864801650304012a': ['aes-256-cbc', 32],
  '2a864886f70d0307': ['des-ede3-cbc', 24],
};
/** Elements looked at while searching the store: far more than a real store has, bounded for a hostile one. */
const MAX_NODES = 20_000;
const MAX_DEPTH = 24;

export interface Pbes2Content {
  digest: string;
  cipher: string;
  keyLength: number;
  iterations: number;
  salt: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
}

const hex = (b: Buffer, n: BerNode) => b.subarray(n.start, n.contentEnd).toString('hex');
const integer = (b: Buffer, n: BerNode | undefined) =>
  n && n.tag === 0x02 && n.contentEnd - n.start <= 6 ? b.readUIntBE(n.start, n.contentEnd - n.start) : undefined;

/** The PBES2 parameters of an AlgorithmIdentifier, or undefined when it is not PBES2 with PBKDF2 and a known cipher. */
export function pbes2Params(b: Buffer, alg: BerNode): Omit<Pbes2Content, 'ciphertext'> | undefined {
  const [oid, params] = berChildren(b, alg);
  if (!oid || oid.tag !== 0x06 || hex(b, oid) !== PBES2 || !params) return undefined;
  const [kdf, scheme] = berChildren(b, params);
  const [kdfOid, kdfParams] = kdf ? berChildren(b, kdf) : [];
  if (!kdfOid || hex(b, kdfOid) !== PBKDF2 || !kdfParams) return undefined;
  const fields = berChildren(b, kdfParams);
  const [saltNode, iterNode] = fields;
  const iterations = integer(b, iterNode);
  if (!saltNode || saltNode.tag !== 0x04 || iterations === undefined || iterations < 1) return undefined;
  // keyLength (INTEGER) and prf (AlgorithmIdentifier, default HMAC-SHA1) are optional.
  const prf = fields.slice(2).find((f) => f.tag === 0x30);
  const prfOid = prf ? berChildren(b, prf)[0] : undefined;
  const digest = prfOid ? PRFS[hex(b, prfOid)] : 'sha1';
  const [schemeOid, ivNode] = scheme ? berChildren(b, scheme) : [];
  const known = schemeOid ? CIPHERS[hex(b, schemeOid)] : undefined;
  if (!digest || !known || !ivNode || ivNode.tag !== 0x04) return undefined;
  return {
    digest,
    cipher: known[0],
    keyLength: known[1],
    iterations,
    salt: b.subarray(saltNode.start, saltNode.contentEnd),
    iv: b.subarray(ivNode.start, ivNode.contentEnd),
  };
}

/**
 * The first PBES2-encrypted content in a PKCS#12 authenticated safe: an AlgorithmIdentifier naming PBES2 followed
 * by its ciphertext (an OCTET STRING, or EncryptedContentInfo's [0] IMPLICIT one), searched through the
 * OCTET STRINGs that wrap SafeContents.
 */
export function findPbes2Content(safe: Buffer): Pbes2Content | undefined {
  let visited = 0;
  const search = (b: Buffer, node: BerNode, depth: number): Pbes2Content | undefined => {
    if (++visited > MAX_NODES || depth > MAX_DEPTH) return undefined;
    if (node.tag === 0x04 || node.tag === 0x24) {
      // A primitive string is read in place (nested ones must not copy the store at each level); chunks are joined.
      const inner = node.tag === 0x04 ? b.subarray(node.start, node.contentEnd) : berOctets(b, node);
      const root = inner && inner[0] === 0x30 ? berNode(inner, 0) : undefined;
      return root ? search(inner!, root, depth + 1) : undefined;
    }
    if ((node.tag & 0x20) === 0) return undefined;
    const children = berChildren(b, node);
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      const next = children[i + 1];
      if (child.tag === 0x30 && next && [0x04, 0x24, 0x80, 0xa0].includes(next.tag)) {
        const params = pbes2Params(b, child);
        // [0] IMPLICIT OCTET STRING: primitive, or constructed of OCTET STRING chunks.
        const ciphertext = params && berOctets(b, { ...next, tag: next.tag & 0x20 ? 0x24 : 0x04 });
        if (params && ciphertext) return { ...params, ciphertext };
      }
      const found = search(b, child, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  const root = berNode(safe, 0);
  return root ? search(safe, root, 0) : undefined;
}

/**
 * Whether the empty password decrypts the content to one whole DER/BER element. One derivation serves both
 * encodings of the empty password (none, or a BMPString's two-byte terminator): HMAC pads its key with zeros.
 */
export function pbes2EmptyPasswordOpens(content: Pbes2Content): boolean {
  const key = crypto.pbkdf2Sync(Buffer.alloc(0), content.salt, content.iterations, content.keyLength, content.digest);
  let plain: Buffer;
  try {
    const decipher = crypto.createDecipheriv(content.cipher, key, content.iv);
    plain = Buffer.concat([decipher.update(content.ciphertext), decipher.final()]);
  } catch {
    return false; // bad padding (or a ciphertext that is not whole blocks)
  }
  const element = plain[0] === 0x30 ? berNode(plain, 0) : undefined;
  return element?.end === plain.length;
}
