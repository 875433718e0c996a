/**
 * Tells whether a password-encrypted PKCS#8 private key (EncryptedPrivateKeyInfo, DER or a PEM "ENCRYPTED
 * PRIVATE KEY" block) opens with the empty password, as keys exported with "no password" by tools that
 * always encrypt are (`openssl pkcs8 -topk8 -passout pass:`, test suites' "blank" keys). The key is derived
 * with the empty password and the ciphertext decrypted: it opens only when the CBC padding holds and the
 * plaintext is one whole PrivateKeyInfo (a SEQUENCE opening with its version INTEGER), which a wrong key
 * passes about 1 time in 10^9. Schemes: PBES2 (PBKDF2, AES or 3DES: pkcs12-pbes2.ts), PBES1 with DES
 * (MD5 or SHA-1: PBKDF1, then single DES run as 3DES with the key three times, since Node's OpenSSL loads no
 * single DES) and PKCS#12's 3DES PBEs (both encodings of the empty password). RC2, RC4 and scrypt are not
 * tried. Legacy PEM encryption (Proc-Type) is not tried: OpenSSL refuses to write it with an empty password.
 * References: RFC 5958 §3 (EncryptedPrivateKeyInfo), RFC 8018 §5.1, §6.1 (PBKDF1, PBES1), Appendix A.3;
 * RFC 7292 Appendix B (PKCS#12 KDF), Appendix C (pbeWithSHAAnd3-KeyTripleDES-CBC).
 */
import crypto from 'node:crypto';
import { defineParser, type ParseResult } from '@evtriage/core/contract';
import { berChildren, berNode, type BerNode } from './ber.js';
import { findPbes2Content, pbes2EmptyPasswordOpens } from './pkcs12-pbes2.js';
import { pkcs12Kdf } from './pkcs12-password.js';

/** Native PBKDF2: about 0.2 s a million SHA-256 iterations (as pkcs12-password.ts). */
const MAX_PBKDF2_ITERATIONS = 10_000_000;
/** PBKDF1 and the PKCS#12 KDF are hash loops in JavaScript, about 1 µs an iteration: writers use 2,048. */
const MAX_LOOP_ITERATIONS = 1_000_000;
/** A key is a few KiB; a PEM file holding one with a certificate chain a few more. */
const READ_BYTES = 256 * 1024;

const PBES1: Record<string, { hash: string; name: string }> = {
  '2a864886f70d010503': { hash: 'md5', name: 'PBES1 pbeWithMD5AndDES-CBC' },
  '2a864886f70d01050a': { hash: 'sha1', name: 'PBES1 pbeWithSHA1AndDES-CBC' },
};
const PKCS12_PBE: Record<string, { keyBytes: number; name: string }> = {
  '2a864886f70d010c0103': { keyBytes: 24, name: 'PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC' },
  '2a864886f70d010c0104': { keyBytes: 16, name: 'PKCS#12 pbeWithSHAAnd2-KeyTripleDES-CBC' },
};
const PBES2 = '2a864886f70d01050d';
const NOT_EPKI = 'not an EncryptedPrivateKeyInfo';

type Check =
  { opens: boolean; scheme: string; iterations: number; how?: string } | { skipped: string; scheme?: string };

/** The DER of the first "ENCRYPTED PRIVATE KEY" PEM block, or the bytes themselves when they are DER. */
function encryptedKeyDer(b: Buffer): Buffer | 'legacy' | undefined {
  if (b[0] === 0x30) return b;
  const text = b.toString('latin1');
  const m = /-----BEGIN ENCRYPTED PRIVATE KEY-----\r?\n([A-Za-z0-9+/=\s]+?)-----END ENCRYPTED PRIVATE KEY-----/.exec(
    text,
  );
  if (m) return Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  return /Proc-Type: 4,ENCRYPTED/.test(text) ? 'legacy' : undefined;
}

/** A PrivateKeyInfo's start: one whole SEQUENCE filling the plaintext, its first element the version INTEGER. */
function privateKeyInfo(plain: Buffer): boolean {
  const root = plain[0] === 0x30 ? berNode(plain, 0) : undefined;
  if (!root || root.end !== plain.length) return false;
  const [version, algorithm] = berChildren(plain, root);
  return version?.tag === 0x02 && version.contentEnd - version.start === 1 && algorithm?.tag === 0x30;
}

function decrypts(cipher: string, key: Buffer, iv: Buffer, ciphertext: Buffer): boolean {
  try {
    const d = crypto.createDecipheriv(cipher, key, iv);
    return privateKeyInfo(Buffer.concat([d.update(ciphertext), d.final()]));
  } catch {
    return false; // bad padding, or a ciphertext that is not whole blocks
  }
}

/** PBES1/PKCS#12 PBE parameters: SEQUENCE { salt OCTET STRING, iterationCount INTEGER }. */
function saltAndIterations(b: Buffer, params: BerNode | undefined): { salt: Buffer; iterations: number } | undefined {
  const [salt, iter] = params && params.tag === 0x30 ? berChildren(b, params) : [];
  if (!salt || salt.tag !== 0x04 || !iter || iter.tag !== 0x02 || iter.contentEnd - iter.start > 6) return undefined;
  if (iter.contentEnd <= iter.start) return undefined;
  const iterations = b.readUIntBE(iter.start, iter.contentEnd - iter.start);
  return iterations >= 1 ? { salt: b.subarray(salt.start, salt.contentEnd), iterations } : undefined;
}

/** The empty-password test on one EncryptedPrivateKeyInfo (exported for its fuzz test). */
export function pkcs8EmptyPasswordCheck(der: Buffer): Check {
  const root = berNode(der, 0);
  const [alg, data] = root ? berChildren(der, root) : [];
  const [oid, params] = alg && alg.tag === 0x30 ? berChildren(der, alg) : [];
  if (!oid || oid.tag !== 0x06 || !data || data.tag !== 0x04) return { skipped: NOT_EPKI };
  const oidHex = der.subarray(oid.start, oid.contentEnd).toString('hex');
  const ciphertext = der.subarray(data.start, data.contentEnd);
  if (oidHex === PBES2) {
    const content = findPbes2Content(der);
    if (!content) return { skipped: 'PBES2 with a key derivation or cipher not tried (scrypt, RC2, RC5)' };
    const scheme = `PBES2 PBKDF2-HMAC-${content.digest.toUpperCase()} ${content.cipher.toUpperCase()}`;
    if (content.iterations > MAX_PBKDF2_ITERATIONS)
      return { skipped: `${content.iterations} PBKDF2 iterations, above the ${MAX_PBKDF2_ITERATIONS} tried`, scheme };
    return { opens: pbes2EmptyPasswordOpens(content), scheme, iterations: content.iterations };
  }
  const pbes1 = PBES1[oidHex];
  const p12 = PKCS12_PBE[oidHex];
  if (!pbes1 && !p12) return { skipped: `algorithm ${oidHex} not tried (RC2, RC4 or unknown)` };
  const scheme = (pbes1 ?? p12)!.name;
  const sp = saltAndIterations(der, params);
  if (!sp) return { skipped: 'its salt and iteration count do not read', scheme };
  if (sp.iterations > MAX_LOOP_ITERATIONS)
    return { skipped: `${sp.iterations} iterations, above the ${MAX_LOOP_ITERATIONS} tried`, scheme };
  if (pbes1) {
    // PBKDF1 (RFC 8018 §5.1): T1 = H(P || S), Ti = H(Ti-1); key = T[0..8], IV = T[8..16].
    let t = crypto.createHash(pbes1.hash).update(sp.salt).digest();
    for (let i = 1; i < sp.iterations; i++) t = crypto.createHash(pbes1.hash).update(t).digest();
    const key = t.subarray(0, 8);
    // DES-EDE3 with one key three times is single DES: E_K(D_K(E_K(x))) = E_K(x).
    const opens = decrypts('des-ede3-cbc', Buffer.concat([key, key, key]), t.subarray(8, 16), ciphertext);
    return { opens, scheme, iterations: sp.iterations };
  }
  // PKCS#12 KDF with SHA-1: the empty password as a BMPString's terminator, and as no bytes at all.
  for (const [label, password] of [
    ['empty', Buffer.from([0, 0])],
    ['NULL', Buffer.alloc(0)],
  ] as const) {
    const k = pkcs12Kdf('sha1', 20, 64, password, sp.salt, 1, sp.iterations, p12!.keyBytes);
    const iv = pkcs12Kdf('sha1', 20, 64, password, sp.salt, 2, sp.iterations, 8);
    const key = k.length === 16 ? Buffer.concat([k, k.subarray(0, 8)]) : k;
    if (decrypts('des-ede3-cbc', key, iv, ciphertext))
      return { opens: true, scheme, iterations: sp.iterations, how: `the ${label} password` };
  }
  return { opens: false, scheme, iterations: sp.iterations };
}

export const pkcs8EmptyPasswordParser = defineParser({
  meta: {
    id: 'pkcs8-empty-password',
    version: '1.0.0',
    title: 'Encrypted PKCS#8 private keys: does the empty password open it?',
    formats: ['pkcs8-encrypted-der', 'pem-key-encrypted'],
    diagnostics: { PKCS8_UNREADABLE: 'No whole EncryptedPrivateKeyInfo could be read: {reason}.' },
  },
  priority: 20,
  async parse(ctx): Promise<ParseResult | undefined> {
    const der = encryptedKeyDer(await ctx.read(0, READ_BYTES));
    if (der === 'legacy')
      return { details: { emptyPasswordCheck: 'not made', why: 'legacy PEM encryption (Proc-Type)' } };
    let result: Check;
    try {
      result = der ? pkcs8EmptyPasswordCheck(der) : { skipped: NOT_EPKI };
    } catch (err) {
      result = { skipped: `its fields could not be used (${(err as Error).message})` };
    }
    if ('skipped' in result && result.skipped === NOT_EPKI) {
      ctx.report({
        code: 'PKCS8_UNREADABLE',
        severity: 'info',
        message: `No whole EncryptedPrivateKeyInfo could be read (cut short, or no complete "ENCRYPTED PRIVATE KEY" block): the empty password was not tried.`,
      });
      return undefined;
    }
    if ('skipped' in result)
      return {
        details: {
          emptyPasswordCheck: 'not made',
          why: result.skipped,
          ...(result.scheme ? { scheme: result.scheme } : {}),
        },
      };
    if (!result.opens)
      return { details: { emptyPasswordCheck: 'fails', scheme: result.scheme, iterations: result.iterations } };
    return {
      details: { emptyPasswordCheck: 'opens', scheme: result.scheme, iterations: result.iterations },
      reclassify: {
        status: 'analysable',
        confidence: 0.97,
        reasons: [
          {
            code: 'PKCS8_EMPTY_PASSWORD_OPENS',
            message: `The PKCS#8 key (${result.scheme}, ${result.iterations} iterations) decrypts with ${result.how ?? 'the empty password'} to a whole PrivateKeyInfo, its padding intact: the key opens without a secret.`,
            figures: { scheme: result.scheme, iterations: result.iterations },
          },
        ],
      },
    };
  },
});
