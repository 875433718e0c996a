/**
 * Tells whether a PKCS#12 store is protected by a real password. Where its
 * content is PBES2-encrypted, the empty password is tried on that content
 * (pkcs12-pbes2.ts); otherwise (the legacy PKCS#12 PBE algorithms) the MAC
 * over the authenticated safe is recomputed with the empty password (as a
 * BMPString with its terminator, and as the zero-length "NULL" password) and
 * compared. A store that opens with no password is analysable; one with no
 * encrypted bag at all is too.
 * References: RFC 7292 §5.1 and Appendix B.2 (PKCS#12 key derivation, ID 3
 * for MAC keys), Appendix C (password formatting).
 */
import crypto from 'node:crypto';
import { defineParser, type ParseResult } from '@evtriage/core/contract';
import { indexOf, type Tlv } from '../detectors/util.js';
import { pkcs12Prefix } from '../detectors/pkcs12-cut-short.js';
import { berChildren, berNode, berOctets } from './ber.js';
import { emptyPasswordOnPrefix } from './pkcs12-cut-short-trial.js';
import { findPbes2Content, pbes2EmptyPasswordOpens, type Pbes2Content } from './pkcs12-pbes2.js';

const HASHES: Record<string, [string, number, number]> = {
  '2b0e03021a': ['sha1', 20, 64],
  '608648016503040201': ['sha256', 32, 64],
  '608648016503040202': ['sha384', 48, 128],
  '608648016503040203': ['sha512', 64, 128],
  '608648016503040204': ['sha224', 28, 64],
};
const ENCRYPTED_DATA = Buffer.from('2a864886f70d010706', 'hex');
const SHROUDED_KEY_BAG = Buffer.from('2a864886f70d010c0a0102', 'hex');
/** PBES2 content: native PBKDF2, about 0.2 s (SHA-256) to 0.6 s (SHA-512) a million iterations here. */
const MAX_ITERATIONS = 10_000_000;
/**
 * The MAC key's KDF (RFC 7292 B.2) is a loop of one hash a call, about 1 µs an iteration, and two passwords are
 * tried: a store that OpenSSL wrote with `-iter 10000000` held the parser 20 s, past its 10-second budget
 * (ITEM_TIMEOUT). Writers use 2,000 (Windows) to 2,048 (OpenSSL), 10,000 or 100,000 (keytool): a million is ample.
 */
const MAX_MAC_ITERATIONS = 1_000_000;
/** What unlocks a store whose empty password does not. */
const PKCS12_PASSWORD = {
  scheme: 'pkcs12',
  scope: 'full',
  keyHint: { description: 'The PKCS#12 import/export password.', kind: 'password', present: 'unknown' },
} as const;

/** RFC 7292 Appendix B.2 key derivation. */
export function pkcs12Kdf(
  hash: string,
  u: number,
  v: number,
  password: Buffer,
  salt: Buffer,
  id: number,
  iterations: number,
  n: number,
): Buffer {
  const fill = (src: Buffer) => {
    if (src.length === 0) return Buffer.alloc(0);
    const len = v * Math.ceil(src.length / v);
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const d = Buffer.alloc(v, id);
  const i = Buffer.concat([fill(salt), fill(password)]);
  const out: Buffer[] = [];
  for (let c = 0; c < Math.ceil(n / u); c++) {
    let a = crypto.createHash(hash).update(d).update(i).digest();
    for (let k = 1; k < iterations; k++) a = crypto.hash(hash, a, 'buffer');
    out.push(a);
    const b = Buffer.alloc(v);
    for (let k = 0; k < v; k++) b[k] = a[k % u]!;
    for (let j = 0; j < i.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = i[j + k]! + b[k]! + carry;
        i[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, n);
}

/** The children of a DER or BER element, as DER-style ranges of their contents. */
function children(b: Buffer, t: Tlv): Tlv[] {
  return berChildren(b, { tag: t.tag, start: t.start, contentEnd: t.end, end: t.end }).map((c) => ({
    tag: c.tag,
    start: c.start,
    end: c.contentEnd,
  }));
}

/** The verdict of the empty-password test on PBES2-encrypted content. */
function pbes2Verdict(content: Pbes2Content): ParseResult {
  const how = `PBKDF2-HMAC-${content.digest.toUpperCase()}, ${content.iterations} iterations, ${content.cipher.toUpperCase()}`;
  const figures = { iterations: content.iterations, kdf: `pbkdf2-${content.digest}`, cipher: content.cipher };
  const details = {
    encryptedBags: true,
    checkedBy: 'pbes2',
    kdf: `pbkdf2-${content.digest}`,
    iterations: content.iterations,
    cipher: content.cipher,
  };
  if (pbes2EmptyPasswordOpens(content)) {
    return {
      details: { ...details, opensWith: 'empty' },
      reclassify: {
        status: 'analysable',
        confidence: 0.97,
        reasons: [
          {
            code: 'PKCS12_EMPTY_PASSWORD',
            message: `The PBES2-encrypted content (${how}) decrypts with the empty password to a well-formed DER structure: the store opens without a secret.`,
            figures,
          },
        ],
      },
    };
  }
  return {
    details,
    reclassify: {
      status: 'encrypted',
      confidence: 0.97,
      reasons: [
        {
          code: 'PKCS12_PASSWORD_REQUIRED',
          message: `The PBES2-encrypted content (${how}) does not decrypt with an empty password: the store needs its password.`,
          figures,
        },
      ],
    },
    encryption: PKCS12_PASSWORD,
  };
}

/**
 * A store cut short has lost its MAC: the empty password is tried on the first cipher blocks of its encrypted
 * elements instead (`pkcs12-cut-short-trial.ts`). No verdict when none can be tried (RC2, RC4, too few bytes).
 */
function cutShortTrial(trials: Parameters<typeof emptyPasswordOnPrefix>[0][]): ParseResult {
  for (const trial of trials) {
    const result = emptyPasswordOnPrefix(trial);
    if (!result) continue;
    if (result.opens)
      return {
        details: { cutShort: true, encryptedBags: true, opensWith: 'empty' },
        reclassify: {
          status: 'analysable',
          confidence: 0.9,
          reasons: [
            {
              code: 'PKCS12_CUT_SHORT_EMPTY_PASSWORD',
              message: `The store is cut short (its MAC is lost); the first cipher blocks of an encrypted element decrypt with the empty password (${result.how}) to the DER structure they hold: the store opens without a secret.`,
              figures: { trial: result.how },
            },
          ],
        },
      };
    return {
      details: { cutShort: true, encryptedBags: true },
      reclassify: {
        status: 'encrypted',
        confidence: 0.9,
        reasons: [
          {
            code: 'PKCS12_CUT_SHORT_PASSWORD_REQUIRED',
            message: `The store is cut short (its MAC is lost); the first cipher blocks of an encrypted element do not decrypt with the empty password (${result.how}) to a DER structure: the store needs its password.`,
            figures: { trial: result.how },
          },
        ],
      },
      encryption: PKCS12_PASSWORD,
    };
  }
  return { details: { cutShort: true, emptyPasswordTried: false } };
}

export const pkcs12PasswordParser = defineParser({
  meta: {
    id: 'pkcs12-password',
    version: '1.1.0',
    title: 'PKCS#12: is the password empty?',
    formats: ['pkcs12'],
    diagnostics: { PKCS12_UNREADABLE: 'The PKCS#12 structure could not be read: {reason}.' },
  },
  requires: { maxSize: 16 * 1024 * 1024 },
  priority: 20,
  async parse(ctx): Promise<ParseResult | undefined> {
    const b = await ctx.readAll();
    const cut = pkcs12Prefix(b, b.length);
    if (cut) return cutShortTrial(cut.trials);
    // DER, or BER with indefinite lengths and chunked OCTET STRINGs (as NSS and Firefox write it).
    const pfx = berNode(b, 0);
    const parts = pfx ? children(b, { tag: pfx.tag, start: pfx.start, end: pfx.contentEnd }) : [];
    const [, authSafe, macData] = parts;
    const explicit = authSafe ? children(b, authSafe)[1] : undefined;
    const octets = explicit ? berChildren(b, { ...explicit, contentEnd: explicit.end })[0] : undefined;
    const safe = octets ? berOctets(b, octets) : undefined;
    if (!authSafe || !safe) {
      ctx.report({ code: 'PKCS12_UNREADABLE', severity: 'warning', data: { reason: 'no id-data authenticated safe' } });
      return undefined;
    }
    const hasEncrypted = indexOf(safe, ENCRYPTED_DATA) >= 0 || indexOf(safe, SHROUDED_KEY_BAG) >= 0;
    if (!hasEncrypted) {
      return {
        details: { encryptedBags: false },
        reclassify: {
          status: 'analysable',
          confidence: 0.9,
          reasons: [
            {
              code: 'PKCS12_NO_ENCRYPTED_BAGS',
              message:
                'The authenticated safe holds no encrypted data and no shrouded key bag: keys and certificates are in clear.',
            },
          ],
        },
      };
    }
    // The content itself, where it is PBES2 (OpenSSL 3, NSS): what must be read, and native PBKDF2 is fast.
    const content = findPbes2Content(safe);
    if (content && content.iterations <= MAX_ITERATIONS) return pbes2Verdict(content);
    if (!macData) return { details: { encryptedBags: true, mac: false } };
    const [digestInfo, macSalt, iterTlv] = children(b, macData);
    const [alg, digest] = digestInfo ? children(b, digestInfo) : [];
    const oid = alg ? children(b, alg)[0] : undefined;
    const hashInfo = oid ? HASHES[b.subarray(oid.start, oid.end).toString('hex')] : undefined;
    if (!hashInfo || !digest || !macSalt) return { details: { encryptedBags: true, mac: 'unsupported' } };
    let iterations = 1;
    if (iterTlv && iterTlv.tag === 0x02)
      iterations = Number.parseInt(b.subarray(iterTlv.start, iterTlv.end).toString('hex'), 16);
    if (!(iterations >= 1 && iterations <= MAX_ITERATIONS))
      return { details: { encryptedBags: true, mac: 'iterations-out-of-range' } };
    if (iterations > MAX_MAC_ITERATIONS)
      return {
        details: { encryptedBags: true, mac: 'not-checked', iterations, checkedUpTo: MAX_MAC_ITERATIONS },
        reclassify: {
          status: 'encrypted',
          confidence: 0.85,
          reasons: [
            {
              code: 'PKCS12_MAC_NOT_CHECKED',
              message: `The store holds encrypted bags; its ${hashInfo[0].toUpperCase()} MAC key takes ${iterations} KDF iterations, more than the ${MAX_MAC_ITERATIONS} recomputed here: whether an empty password opens it was not checked.`,
              figures: { iterations, checkedUpTo: MAX_MAC_ITERATIONS },
            },
          ],
        },
        encryption: PKCS12_PASSWORD,
      };
    const [hash, u, v] = hashInfo;
    const salt = b.subarray(macSalt.start, macSalt.end);
    const expected = b.subarray(digest.start, digest.end);
    for (const [label, password] of [
      ['empty', Buffer.from([0, 0])],
      ['NULL', Buffer.alloc(0)],
    ] as const) {
      const key = pkcs12Kdf(hash, u, v, password, salt, 3, iterations, u);
      if (crypto.createHmac(hash, key).update(safe).digest().equals(expected)) {
        return {
          details: { encryptedBags: true, macHash: hash, iterations, opensWith: label },
          reclassify: {
            status: 'analysable',
            confidence: 0.97,
            reasons: [
              {
                code: 'PKCS12_EMPTY_PASSWORD',
                message: `The ${hash.toUpperCase()} MAC verifies with the ${label} password (${iterations} iterations): the store opens without a secret.`,
                figures: { iterations, mac: hash },
              },
            ],
          },
        };
      }
    }
    return {
      details: { encryptedBags: true, macHash: hash, iterations },
      reclassify: {
        status: 'encrypted',
        confidence: 0.97,
        reasons: [
          {
            code: 'PKCS12_PASSWORD_REQUIRED',
            message: `The ${hash.toUpperCase()} MAC does not verify with an empty password (${iterations} iterations): the store needs its password.`,
            figures: { iterations, mac: hash },
          },
        ],
      },
      encryption: PKCS12_PASSWORD,
    };
  },
});
