/**
 * Password verifiers of encrypted Office files, checked with node:crypto for
 * one candidate password (Excel's built-in default "VelvetSweatshop"): a file
 * that opens with a password everyone knows is not locked. Covers ECMA-376
 * Agile (XML EncryptionInfo), ECMA-376 Standard (AES, CryptoAPI key
 * derivation), and the Excel 97-2003 FILEPASS record with RC4 (MD5 key
 * derivation) or RC4 CryptoAPI (SHA-1). Work is bounded by MAX_SPIN.
 * References: [MS-OFFCRYPTO] §2.3.4.7-2.3.4.13 (Standard and Agile
 * verifiers), §2.3.5 (RC4 CryptoAPI), §2.3.6 (Office binary RC4), §2.3.4.11
 * (key derivation, 0x36/0x5C padding); [MS-XLS] §2.4.117 (FilePass).
 */
import crypto from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { rc4 } from '../detectors/util.js';

/** Excel encrypts "read-only recommended"/protected workbooks with this password when the user gives none. */
export const EXCEL_DEFAULT_PASSWORD = 'VelvetSweatshop';
/** Largest hash spin count tried (Office uses 100,000). */
const MAX_SPIN = 200_000;

const utf16 = (s: string) => Buffer.from(s, 'utf16le');
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

/** H0 = H(salt + password), then `spin` rounds of H(iterator + H); yields to the event loop between slices so other items progress. */
async function spunHash(alg: string, salt: Buffer, password: string, spin: number): Promise<Buffer> {
  const h = crypto.createHash(alg).update(salt).update(utf16(password)).digest();
  // One buffer holds iterator + H for every round: a one-shot hash of it, no hash object per round.
  const round = Buffer.alloc(4 + h.length);
  h.copy(round, 4);
  for (let i = 0; i < spin; i++) {
    round.writeUInt32LE(i, 0);
    crypto.hash(alg, round, 'buffer').copy(round, 4);
    if (i % 10000 === 9999) await nextTurn();
  }
  return round.subarray(4);
}

function decrypt(cipher: string, key: Buffer, iv: Buffer | null, data: Buffer): Buffer {
  const d = crypto.createDecipheriv(cipher, key, iv);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

const HASHES: Record<string, string> = {
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA384: 'sha384',
  SHA512: 'sha512',
  MD5: 'md5',
};

export type VerifierResult = { opens: boolean; scheme: string; spin: number } | { skipped: string };

/** ECMA-376 Agile: the password key encryptor's verifier hash input/value. */
export async function agileOpens(info: Buffer, password: string): Promise<VerifierResult> {
  const xml = info.subarray(8).toString('utf8');
  const enc = /<(?:\w+:)?encryptedKey\b([^<>]*)>/.exec(xml)?.[1];
  if (!enc) return { skipped: 'no password key encryptor' };
  const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(enc)?.[1];
  const spin = Number(attr('spinCount'));
  const hash = HASHES[attr('hashAlgorithm') ?? ''];
  const keyBits = Number(attr('keyBits'));
  const cipherAlg = attr('cipherAlgorithm');
  const chaining = attr('cipherChaining');
  const salt = Buffer.from(attr('saltValue') ?? '', 'base64');
  const input = Buffer.from(attr('encryptedVerifierHashInput') ?? '', 'base64');
  const value = Buffer.from(attr('encryptedVerifierHashValue') ?? '', 'base64');
  if (!hash || cipherAlg !== 'AES' || chaining !== 'ChainingModeCBC' || ![128, 192, 256].includes(keyBits))
    return { skipped: 'an unsupported cipher or hash' };
  if (!(spin >= 0 && spin <= MAX_SPIN)) return { skipped: `spin count ${spin} out of the checked range` };
  if (salt.length !== 16 || input.length % 16 !== 0 || value.length % 16 !== 0 || input.length === 0)
    return { skipped: 'malformed verifier' };
  const h = await spunHash(hash, salt, password, spin);
  const keyFor = (block: number[]) => {
    const k = crypto.createHash(hash).update(h).update(Buffer.from(block)).digest();
    return k.length >= keyBits / 8
      ? k.subarray(0, keyBits / 8)
      : Buffer.concat([k, Buffer.alloc(keyBits / 8 - k.length, 0x36)]);
  };
  const cipher = `aes-${keyBits}-cbc`;
  const verifier = decrypt(cipher, keyFor([0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79]), salt, input).subarray(
    0,
    salt.length,
  );
  const expected = decrypt(cipher, keyFor([0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e]), salt, value);
  const actual = crypto.createHash(hash).update(verifier).digest();
  return { opens: expected.subarray(0, actual.length).equals(actual), scheme: `agile-${hash}-aes${keyBits}`, spin };
}

/** CryptoAPI key derivation ([MS-OFFCRYPTO] §2.3.4.7): SHA-1 padded with 0x36/0x5C to 64 bytes, hashed, concatenated. */
function cryptDeriveKey(h: Buffer, bytes: number): Buffer {
  const pad = (c: number) => {
    const b = Buffer.alloc(64, c);
    for (let i = 0; i < h.length; i++) b[i]! ^= h[i]!;
    return crypto.createHash('sha1').update(b).digest();
  };
  return Buffer.concat([pad(0x36), pad(0x5c)]).subarray(0, bytes);
}

type CryptoApiHeader = { algId: number; keyBits: number; salt: Buffer; verifier: Buffer; verifierHash: Buffer };

/** EncryptionHeader + EncryptionVerifier, starting at the header-size field. */
function cryptoApiHeader(b: Buffer, at: number): CryptoApiHeader | undefined {
  if (at + 4 > b.length) return undefined;
  const headerSize = b.readUInt32LE(at);
  const h = at + 4;
  const v = h + headerSize;
  if (headerSize < 32 || v + 4 + 16 + 16 + 4 > b.length) return undefined;
  const algId = b.readUInt32LE(h + 8);
  const keyBits = b.readUInt32LE(h + 16);
  const saltSize = b.readUInt32LE(v);
  if (saltSize !== 16) return undefined;
  const salt = b.subarray(v + 4, v + 20);
  const verifier = b.subarray(v + 20, v + 36);
  const hashSize = b.readUInt32LE(v + 36);
  const verifierHash = b.subarray(v + 40, v + 40 + (algId === 0x6801 ? hashSize : 32));
  if (hashSize !== 20 || verifierHash.length < 20) return undefined;
  return { algId, keyBits: keyBits || 40, salt, verifier, verifierHash };
}

/** ECMA-376 Standard encryption (EncryptionInfo 3.2/4.2, AES-ECB, 50,000 SHA-1 rounds). */
export async function standardOpens(info: Buffer, password: string): Promise<VerifierResult> {
  const hdr = cryptoApiHeader(info, 8);
  if (!hdr || ![0x660e, 0x660f, 0x6610].includes(hdr.algId))
    return { skipped: 'not an AES Standard encryption header' };
  if (![128, 192, 256].includes(hdr.keyBits)) return { skipped: `an AES key size of ${hdr.keyBits} bits` };
  const h = crypto
    .createHash('sha1')
    .update(await spunHash('sha1', hdr.salt, password, 50000))
    .update(u32(0))
    .digest();
  const key = cryptDeriveKey(h, hdr.keyBits / 8);
  const cipher = `aes-${hdr.keyBits}-ecb`;
  const verifier = decrypt(cipher, key, null, hdr.verifier);
  const expected = decrypt(cipher, key, null, hdr.verifierHash.subarray(0, 32));
  return {
    opens: crypto.createHash('sha1').update(verifier).digest().equals(expected.subarray(0, 20)),
    scheme: `standard-aes${hdr.keyBits}`,
    spin: 50000,
  };
}

/** Excel 97-2003 FILEPASS payload (after the record header): RC4 (1.1) or RC4 CryptoAPI (x.2). */
export function xlsFilepassOpens(filepass: Buffer, password: string): VerifierResult {
  if (filepass.length < 6 || filepass.readUInt16LE(0) !== 1) return { skipped: 'not RC4 encryption' };
  const major = filepass.readUInt16LE(2);
  const minor = filepass.readUInt16LE(4);
  if (major === 1 && minor === 1) {
    if (filepass.length < 6 + 48) return { skipped: 'short RC4 header' };
    const salt = filepass.subarray(6, 22);
    const md5 = (b: Buffer) => crypto.createHash('md5').update(b).digest();
    const h0 = md5(utf16(password)).subarray(0, 5);
    const buf = Buffer.concat(Array.from({ length: 16 }, () => Buffer.concat([h0, salt])));
    const base = md5(buf).subarray(0, 5);
    const key = md5(Buffer.concat([base, u32(0)]));
    const plain = rc4(key, filepass.subarray(22, 54));
    return { opens: md5(plain.subarray(0, 16)).equals(plain.subarray(16, 32)), scheme: 'rc4-md5', spin: 0 };
  }
  if ((major === 2 || major === 3 || major === 4) && minor === 2) {
    const hdr = cryptoApiHeader(filepass, 10);
    if (!hdr || hdr.algId !== 0x6801) return { skipped: 'not an RC4 CryptoAPI header' };
    if (hdr.keyBits < 40 || hdr.keyBits > 128 || hdr.keyBits % 8 !== 0)
      return { skipped: `an RC4 key size of ${hdr.keyBits} bits` };
    const h = crypto.createHash('sha1').update(hdr.salt).update(utf16(password)).digest();
    let key = crypto
      .createHash('sha1')
      .update(h)
      .update(u32(0))
      .digest()
      .subarray(0, hdr.keyBits / 8);
    if (hdr.keyBits === 40) key = Buffer.concat([key, Buffer.alloc(11)]);
    const plain = rc4(key, Buffer.concat([hdr.verifier, hdr.verifierHash.subarray(0, 20)]));
    return {
      opens: crypto.createHash('sha1').update(plain.subarray(0, 16)).digest().equals(plain.subarray(16, 36)),
      scheme: `rc4-cryptoapi-${hdr.keyBits}`,
      spin: 0,
    };
  }
  return { skipped: `encryption version ${major}.${minor}` };
}
