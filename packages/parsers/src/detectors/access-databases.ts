/**
 * Microsoft Access databases: Jet 3/Jet 4 (.mdb) and ACE (.accdb). Page 0
 * starts with 00 01 00 00 and the engine name ("Standard Jet DB" or "Standard
 * ACE DB"); the version is at 0x14. Bytes from 0x18 are XOR-masked with a
 * fixed RC4 keystream (key C7 DA 39 6B: 126 bytes for Jet 3, 128 after), and
 * the database encoding key sits at 0x3E under that mask.
 * - A blank key: pages in clear (a Jet "database password" is only a masked
 *   field of this header that Access checks; it hides nothing).
 * - Jet 3/Jet 4 with a key: pages RC4-"encoded" with that 32-bit key, which is
 *   in the file: tools (mdbtools, Jackcess) read them without a password, so
 *   the database is analysable, like a PDF that opens with the empty password.
 * - ACE with a key and an encryption-provider structure at 0x299 (length,
 *   then an MS-OFFCRYPTO EncryptionInfo version: 4.4 agile, (2|3|4).2
 *   standard AES or RC4 CryptoAPI, 1.1 Office binary RC4, (3|4).3 extensible):
 *   "Encrypt with Password", pages encrypted with a key derived from the
 *   password.
 * - Microsoft Money files ("MSISAM Database", Jet 4 pages): the flags byte at
 *   0x298 says whether the pages are RC4-encrypted the old way (key from the
 *   header: analysable) or with a key hashed (MD5, or SHA-1 when bit 0x20 is
 *   set) from the upper-cased password and the 8-byte salt at 0x72 (under the
 *   mask). Four check bytes at 0x2E9 + salt[0] decrypt to the salt's first
 *   four bytes under the right key: tried with the empty password, so a file
 *   without a password is told apart from a protected one.
 * References: Jackcess/jackcess-encrypt (JetFormat OFFSET_ENCODING_KEY 0x3E,
 * BASE_HEADER_MASK, OfficeCryptCodecHandler CRYPT_STRUCTURE_OFFSET 0x299,
 * MSISAMCryptCodecHandler SALT_OFFSET, ENCRYPTION_FLAGS_OFFSET,
 * CRYPT_CHECK_START, createPasswordDigest; JtR run/money2john.py);
 * mdbtools HACKING (header page, RC4 header key 0x6b39dac7); [MS-OFFCRYPTO]
 * 2.3.4.5 and 2.3.4.10 (EncryptionInfo versions, agile XML descriptor).
 */
import { createHash } from 'node:crypto';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, locked, plain, u16le, u32le, rc4Keystream } from './util.js';

const HEADER_KEY = Buffer.from('c7da396b', 'hex');
const CRYPT_STRUCTURE = 0x299;
const VERSIONS: Record<number, string> = {
  0: 'Jet 3',
  1: 'Jet 4',
  2: 'ACE 12 (Access 2007)',
  3: 'ACE 14 (Access 2010)',
  4: 'ACE 15 (Access 2013)',
  5: 'ACE 16 (Access 2016)',
  6: 'ACE 17 (Access 2019)',
};

const MASK = rc4Keystream(HEADER_KEY, 128);

/** The header bytes [from, to) with the mask removed. */
function unmasked(h: Uint8Array, from: number, to: number, maskLength: number): Uint8Array {
  const out = Uint8Array.from(h.subarray(from, to));
  for (let i = 0; i < out.length; i++) {
    const m = from + i - 0x18;
    if (m >= 0 && m < maskLength) out[i]! ^= MASK[m]!;
  }
  return out;
}

const MONEY_SALT = 0x72;
const MONEY_FLAGS = 0x298;
const MONEY_CHECK = 0x2e9;

/** A Money (MSISAM) header: how its pages are encrypted, and whether the empty password opens it. */
function moneyDetection(h: Uint8Array, version: string): Detection | undefined {
  const flags = h[MONEY_FLAGS];
  const salt = unmasked(h, MONEY_SALT, MONEY_SALT + 8, 128);
  const checkAt = MONEY_CHECK + salt[0]!;
  if (flags === undefined || checkAt + 4 > h.length) return undefined;
  const base = { engine: 'MSISAM Database', version, flags };
  const name = 'Microsoft Money file (MSISAM)';
  if ((flags & 0x06) === 0)
    return plain('analysable', {
      id: 'money-db',
      name,
      confidence: 0.93,
      code: 'MONEY_KEY_IN_HEADER',
      message: `MSISAM header (${version}), encryption flags 0x${flags.toString(16)} without the password bits: the pages are RC4-encoded with a key derived from the header itself; readers decode them without a password.`,
      figures: base,
    });
  const hash = flags & 0x20 ? 'sha1' : 'md5';
  const check = h.subarray(checkAt, checkAt + 4);
  // The empty password: 40 zero bytes hashed, 16 bytes kept, then the salt: the RC4 key of the check bytes.
  const digest = createHash(hash).update(new Uint8Array(40)).digest().subarray(0, 16);
  const stream = rc4Keystream(Buffer.concat([digest, salt]), 4);
  const opens = check.every((b) => b === 0) || check.every((b, i) => (b ^ stream[i]!) === salt[i]);
  if (opens)
    return plain('analysable', {
      id: 'money-db',
      name,
      confidence: 0.93,
      code: 'MONEY_EMPTY_PASSWORD',
      message: `MSISAM header (${version}), pages RC4-encrypted with a ${hash.toUpperCase()} password key, and the check bytes at 0x${checkAt.toString(16)} decrypt to the salt under the empty password: no password is set, readers decode the pages.`,
      figures: { ...base, hash },
    });
  return locked({
    id: 'money-db-encrypted',
    name: 'Microsoft Money file (MSISAM), password-protected',
    confidence: 0.95,
    code: 'MONEY_PASSWORD',
    message: `MSISAM header (${version}), encryption flags 0x${flags.toString(16)}: pages RC4-encrypted with a key from the ${hash.toUpperCase()} of the password and the header salt; the check bytes at 0x${checkAt.toString(16)} do not open with the empty password.`,
    figures: { ...base, hash },
    scheme: `msisam-rc4-${hash}`,
    keyHint: {
      description: 'The Money file password (case-insensitive: it is upper-cased before hashing).',
      kind: 'password',
      present: 'unknown',
    },
  });
}

interface OfficeProvider {
  scheme: string;
  label: string;
  figures: Record<string, string | number>;
}

/** The ACE encryption provider at 0x299, when it names a known EncryptionInfo version. */
function officeProvider(h: Uint8Array): OfficeProvider | undefined {
  const length = u16le(h, CRYPT_STRUCTURE) ?? 0;
  const at = CRYPT_STRUCTURE + 2;
  if (length < 8 || at + length > h.length) return undefined;
  const major = u16le(h, at) ?? 0;
  const minor = u16le(h, at + 2) ?? 0;
  const version = `${major}.${minor}`;
  if (major === 4 && minor === 4) {
    const xml = ascii(h, at + 8, at + length);
    if (!xml.includes('<encryption')) return undefined;
    const attr = (name: string) => new RegExp(`<keyData[^>]*\\b${name}="([^"]+)"`).exec(xml)?.[1] ?? '?';
    const spin = /\bspinCount="(\d+)"/.exec(xml)?.[1] ?? '?';
    const cipher = `${attr('cipherAlgorithm').toLowerCase()}-${attr('keyBits')}`;
    return {
      scheme: `access-agile-${cipher}`,
      label: `agile encryption (${attr('cipherAlgorithm')} ${attr('keyBits')}-bit, ${attr('hashAlgorithm')}, ${spin} spins)`,
      figures: { version, cipher, hash: attr('hashAlgorithm'), spinCount: spin },
    };
  }
  if ([2, 3, 4].includes(major) && minor === 2) {
    const flags = u32le(h, at + 4) ?? 0;
    if (!(flags & 0x04)) return undefined; // fCryptoAPI: both standard AES and RC4 CryptoAPI set it
    const aes = (flags & 0x20) !== 0;
    return {
      scheme: aes ? 'access-standard-aes' : 'access-rc4-cryptoapi',
      label: aes ? 'standard encryption (AES, SHA-1)' : 'RC4 CryptoAPI encryption',
      figures: { version, flags },
    };
  }
  if (major === 1 && minor === 1)
    return { scheme: 'access-rc4', label: 'Office binary RC4 encryption', figures: { version } };
  if ([3, 4].includes(major) && minor === 3) {
    return { scheme: 'access-extensible', label: 'extensible (third-party) encryption', figures: { version } };
  }
  return undefined;
}

export const accessDatabasesDetector = defineDetector({
  meta: {
    id: 'access-databases',
    version: '1.1.0',
    title: 'Microsoft Access databases (Jet .mdb, ACE .accdb), Microsoft Money files (MSISAM) and their encryption',
    formats: [
      {
        id: 'access-db',
        name: 'Microsoft Access database',
        status: 'analysable',
        how: 'header-field',
        mime: 'application/x-msaccess',
        extensions: ['mdb', 'accdb', 'mde', 'accde', 'mdw', 'accdt'],
      },
      {
        id: 'access-db-encrypted',
        name: 'Microsoft Access database, encrypted with a password',
        status: 'encrypted',
        how: 'header-field',
        mime: 'application/x-msaccess',
        extensions: ['accdb', 'accde', 'mdb'],
      },
      {
        id: 'money-db',
        name: 'Microsoft Money file (MSISAM)',
        status: 'analysable',
        how: 'header-field',
        extensions: ['mny', 'mbf'],
      },
      {
        id: 'money-db-encrypted',
        name: 'Microsoft Money file (MSISAM), password-protected',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['mny', 'mbf'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '00010000' + Buffer.from('Standard Jet DB').toString('hex') },
    { offset: 0, hex: '00010000' + Buffer.from('Standard ACE DB').toString('hex') },
    { offset: 0, hex: '00010000' + Buffer.from('MSISAM Database').toString('hex') },
  ],
  minSize: 0x80,
  priority: 20,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const engine = ascii(h, 4, 19);
    const versionId = u32le(h, 0x14) ?? 99;
    const version = VERSIONS[versionId];
    if (!version || (engine === 'Standard ACE DB') !== versionId >= 2) return undefined;
    if (engine === 'MSISAM Database') return moneyDetection(h, version);
    if (engine !== 'Standard Jet DB' && engine !== 'Standard ACE DB') return undefined;
    const maskLength = versionId === 0 ? 126 : 128;
    const key = unmasked(h, 0x3e, 0x42, maskLength);
    const keyHex = Buffer.from(key).toString('hex');
    const blank = key.every((b) => b === 0);
    const base = { engine, version, encodingKey: blank ? 'none' : keyHex };
    if (!blank && versionId >= 2) {
      const provider = officeProvider(h);
      if (provider) {
        return locked({
          id: 'access-db-encrypted',
          name: 'Microsoft Access database, encrypted with a password',
          mime: 'application/x-msaccess',
          confidence: 0.96,
          code: 'ACCESS_ACE_ENCRYPTED',
          message: `${engine} header (${version}) with an encoding key and an encryption provider at 0x299: ${provider.label}. Every page after the header is encrypted with a key derived from the database password.`,
          figures: { ...base, ...provider.figures },
          scheme: provider.scheme,
          keyHint: {
            description: 'The database password (Access "Encrypt with Password").',
            kind: 'password',
            present: 'unknown',
          },
        });
      }
    }
    if (!blank) {
      return plain('analysable', {
        id: 'access-db',
        name: 'Microsoft Access database',
        mime: 'application/x-msaccess',
        confidence: 0.93,
        code: 'ACCESS_ENCODED_KEY_IN_HEADER',
        message: `${engine} header (${version}): pages are RC4-encoded with the 32-bit key ${keyHex} stored in the header itself${versionId >= 2 ? ' and no encryption provider is declared' : ''}; readers decode them without a password.`,
        figures: base,
      });
    }
    return plain('analysable', {
      id: 'access-db',
      name: 'Microsoft Access database',
      mime: 'application/x-msaccess',
      confidence: 0.95,
      code: 'ACCESS_HEADER',
      message: `${engine} header (${version}), no encoding key: the pages are in clear (a Jet database password, if any, is only checked by Access).`,
      figures: base,
    });
  },
});
