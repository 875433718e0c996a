/**
 * NSS key databases (Firefox, Thunderbird, certutil): whether the private
 * keys are locked by a master password, decided by decrypting NSS's own
 * "password-check" entry with the empty password. The entry opens with the
 * empty password when no master password is set: the keys are then readable
 * (analysable), otherwise they need the master password (encrypted).
 * key3.db (legacy, Berkeley DB 1.85 hash) is read here from the probe; key4.db
 * (SQLite, metaData row 'password') is checked by the firefox-key4 parser with
 * the same helpers.
 * References: NSS lib/softoken/legacydb/keydb.c (global-salt, password-check,
 * SEC_PKCS5 PBE with SHA-1 and 3DES) and lib/softoken/sftkpwd.c (key4
 * metaData "password" row, PBES2); Berkeley DB 1.85 hash/page.h (page layout);
 * firefox_decrypt and JtR mozilla2john (entry layout, read for facts).
 */
import crypto from 'node:crypto';
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { derTlv, locked, plain, u16be, u16le, u32be, type Tlv } from './util.js';

export const MASTER_PASSWORD_HINT: KeyHint = {
  description: 'The Firefox/Thunderbird primary (master) password of the profile.',
  kind: 'password',
  present: 'unknown',
};

/** NSS's PKCS#5 v1-like PBE with SHA-1 and 3DES (pbeWithSha1AndTripleDES-CBC), as the legacy key3.db and old key4.db use. */
export function decryptSha1TripleDes(
  globalSalt: Buffer,
  password: Buffer,
  entrySalt: Buffer,
  data: Buffer,
): Buffer | undefined {
  if (data.length === 0 || data.length % 8 !== 0 || entrySalt.length > 20) return undefined;
  const sha1 = (b: Buffer) => crypto.createHash('sha1').update(b).digest();
  const hmac = (key: Buffer, b: Buffer) => crypto.createHmac('sha1', key).update(b).digest();
  const hp = sha1(Buffer.concat([globalSalt, password]));
  const pes = Buffer.concat([entrySalt, Buffer.alloc(20 - entrySalt.length)]);
  const chp = sha1(Buffer.concat([hp, entrySalt]));
  const k1 = hmac(chp, Buffer.concat([pes, entrySalt]));
  const tk = hmac(chp, pes);
  const k2 = hmac(chp, Buffer.concat([tk, entrySalt]));
  const k = Buffer.concat([k1, k2]);
  const d = crypto.createDecipheriv('des-ede3-cbc', k.subarray(0, 24), k.subarray(k.length - 8));
  d.setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

function derChildren(b: Buffer, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = t.start; at < t.end && out.length < 8;) {
    const c = derTlv(b.subarray(0, t.end), at);
    if (!c) break;
    out.push(c);
    at = c.end;
  }
  return out;
}

const oidOf = (b: Buffer, t: Tlv | undefined) =>
  t && t.tag === 0x06 ? b.subarray(t.start, t.end).toString('hex') : '';
const OID_3DES_PBE = '2a864886f70d010c050103';
const OID_PBES2 = '2a864886f70d01050d';
const OID_HMAC_SHA256 = '2a864886f70d0209';
/** Largest PBKDF2 iteration count tried (Firefox uses 10,000); bounded work per file. */
const MAX_ITERATIONS = 1_000_000;

export type CheckResult = { opens: boolean; scheme: string } | { unsupported: string };

/**
 * Decrypts a key4.db `item2` (DER: AlgorithmIdentifier + ciphertext) with the
 * empty password and says whether it yields "password-check".
 */
export function emptyPasswordOpensKey4(globalSalt: Buffer, item2: Buffer): CheckResult {
  const top = derTlv(item2, 0);
  if (!top || top.tag !== 0x30) return { unsupported: 'item2 is not a DER sequence' };
  const [alg, ct] = derChildren(item2, top);
  if (!alg || !ct || ct.tag !== 0x04) return { unsupported: 'item2 has no algorithm and ciphertext' };
  const [oid, params] = derChildren(item2, alg);
  const data = item2.subarray(ct.start, ct.end);
  const algorithm = oidOf(item2, oid);
  if (algorithm === OID_3DES_PBE && params) {
    const [salt] = derChildren(item2, params);
    if (!salt || salt.tag !== 0x04) return { unsupported: '3DES parameters without a salt' };
    const plain = decryptSha1TripleDes(globalSalt, Buffer.alloc(0), item2.subarray(salt.start, salt.end), data);
    return { opens: plain?.subarray(0, 14).toString('latin1') === 'password-check', scheme: 'nss-sha1-3des' };
  }
  if (algorithm === OID_PBES2 && params) {
    const [kdf, enc] = derChildren(item2, params);
    const [, kdfParams] = kdf ? derChildren(item2, kdf) : [];
    const [salt, iter, keyLen, prf] = kdfParams ? derChildren(item2, kdfParams) : [];
    const [encOid, ivT] = enc ? derChildren(item2, enc) : [];
    if (!salt || !iter || !ivT || salt.tag !== 0x04 || iter.tag !== 0x02)
      return { unsupported: 'PBES2 parameters incomplete' };
    const iterations = item2.subarray(iter.start, iter.end).reduce((n, x) => n * 256 + x, 0);
    if (iterations < 1 || iterations > MAX_ITERATIONS)
      return { unsupported: `PBKDF2 iteration count ${iterations} out of the checked range` };
    const bits =
      keyLen && keyLen.tag === 0x02 ? item2.subarray(keyLen.start, keyLen.end).reduce((n, x) => n * 256 + x, 0) : 32;
    const prfOid = prf && prf.tag === 0x30 ? oidOf(item2, derChildren(item2, prf)[0]) : '';
    const digest = prfOid === '' || prfOid === OID_HMAC_SHA256 ? 'sha256' : undefined;
    const cipher = oidOf(item2, encOid) === '60864801650304012a' ? 'aes-256-cbc' : undefined;
    if (!digest || !cipher || bits !== 32) return { unsupported: 'PBES2 with an unexpected PRF or cipher' };
    const pw = crypto.createHash('sha1').update(globalSalt).digest(); // SHA-1(global salt + empty password)
    const key = crypto.pbkdf2Sync(pw, item2.subarray(salt.start, salt.end), iterations, 32, digest);
    let iv = item2.subarray(ivT.start, ivT.end);
    if (iv.length === 14) iv = Buffer.concat([Buffer.from([0x04, 0x0e]), iv]); // NSS stores the IV's DER header with it
    if (iv.length !== 16 || data.length % 16 !== 0 || data.length === 0)
      return { unsupported: 'AES IV or data of the wrong size' };
    const d = crypto.createDecipheriv(cipher, key, iv);
    d.setAutoPadding(false);
    const out = Buffer.concat([d.update(data), d.final()]);
    return {
      opens: out.subarray(0, 14).toString('latin1') === 'password-check',
      scheme: `nss-pbes2-pbkdf2-sha256-aes-256-cbc`,
    };
  }
  return { unsupported: `algorithm ${algorithm || 'missing'}` };
}

/** Key/data pairs of a Berkeley DB 1.85 hash file (bounded), by key as latin1. */
function dbmPairs(b: Uint8Array): Map<string, Buffer> | undefined {
  const bigEndianHeader = u32be(b, 0) === 0x00061561;
  if (!bigEndianHeader && u32be(b, 0) !== 0x61150600) return undefined;
  const u32 = (at: number) =>
    bigEndianHeader ? u32be(b, at) : ((b[at + 3]! << 24) >>> 0) + (b[at + 2]! << 16) + (b[at + 1]! << 8) + b[at]!;
  const lorder = u32(8);
  const bsize = u32(12) ?? 0;
  if ((lorder !== 1234 && lorder !== 4321) || bsize < 256 || bsize > 65536 || (bsize & (bsize - 1)) !== 0)
    return undefined;
  const u16 = lorder === 1234 ? u16le : u16be;
  const pairs = new Map<string, Buffer>();
  for (let page = bsize; page + bsize <= b.length && pairs.size < 256; page += bsize) {
    const n = u16(b, page) ?? 0;
    if (n === 0 || n % 2 !== 0 || n > bsize / 4) continue;
    let end = bsize;
    for (let i = 0; i < n; i += 2) {
      const keyOff = u16(b, page + 2 + i * 2)!;
      const dataOff = u16(b, page + 4 + i * 2)!;
      if (keyOff < 4 || dataOff < 4 || keyOff > end || dataOff > keyOff) break; // overflow pages: not needed here
      pairs.set(
        Buffer.from(b.subarray(page + keyOff, page + end)).toString('latin1'),
        Buffer.from(b.subarray(page + dataOff, page + keyOff)),
      );
      end = dataOff;
    }
  }
  return pairs;
}

export const nssKeydbDetector = defineDetector({
  meta: {
    id: 'nss-keydb',
    version: '1.0.0',
    title: 'NSS key3.db (Firefox, Thunderbird): master password set or not',
    formats: [
      {
        id: 'firefox-key3-db',
        name: 'NSS key3.db (Berkeley DB), master password set',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['db'],
      },
      {
        id: 'firefox-key3-db-open',
        name: 'NSS key3.db (Berkeley DB), no master password',
        status: 'analysable',
        how: 'header-field',
        extensions: ['db'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '00061561' },
    { offset: 0, hex: '61150600' },
  ],
  minSize: 512,
  priority: 25,
  detect(probe): Detection | undefined {
    const pairs = dbmPairs(probe.head);
    const check = pairs?.get('password-check');
    const globalSalt = pairs?.get('global-salt');
    if (!check || !globalSalt || check.length < 3 + 16) return undefined;
    const saltLen = check[1]!;
    const entrySalt = check.subarray(3, 3 + saltLen);
    const opened = decryptSha1TripleDes(globalSalt, Buffer.alloc(0), entrySalt, check.subarray(check.length - 16));
    const figures = { globalSaltBytes: globalSalt.length, entrySaltBytes: saltLen };
    if (opened?.subarray(0, 14).toString('latin1') === 'password-check') {
      return plain('analysable', {
        id: 'firefox-key3-db-open',
        name: 'NSS key3.db (Berkeley DB), no master password',
        confidence: 0.96,
        code: 'NSS_KEY3_EMPTY_PASSWORD_OPENS',
        message:
          'NSS key3.db (Berkeley DB 1.85 hash): its "password-check" entry decrypts with the empty password (SHA-1/3DES PBE with the global salt), so no master password protects the keys.',
        figures,
      });
    }
    return locked({
      id: 'firefox-key3-db',
      name: 'NSS key3.db (Berkeley DB), master password set',
      confidence: 0.95,
      code: 'NSS_KEY3_MASTER_PASSWORD',
      message:
        'NSS key3.db (Berkeley DB 1.85 hash): its "password-check" entry does not decrypt with the empty password, so a master password protects the stored keys (and the saved logins they unlock).',
      figures,
      scheme: 'nss-sha1-3des',
      keyHint: MASTER_PASSWORD_HINT,
    });
  },
});
