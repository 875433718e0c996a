/**
 * Personal-finance documents whose files say in clear whether a password
 * locks them.
 *
 * Grisbi (`.gsb`) writes its XML in clear unless the user sets a password;
 * an encrypted file starts with a 22-byte marker naming the layout
 * (gsb_file_util / plugins/openssl in Grisbi's source):
 * - "Grisbi encrypted file " (v1, Grisbi < 0.6): DES-CBC, key = the first
 *   8 bytes of the password;
 * - "Grisbi encryption v2: ": DES-CBC, key from DES_string_to_key(password),
 *   the marker repeated inside the ciphertext as the password check;
 * - "Grisbi encryption v3: " (Grisbi 1.2+): AES-128-CBC, key = the first
 *   16 bytes of SHA-256(password), fixed IV "1234567887654321", PKCS#7
 *   padding, the marker repeated inside as the check.
 *
 * Skrooge (`.skg`) files start with "SKROOGE" and a mode marker that
 * SKGServices::cryptFile writes (the strings are in libskgbasemodeler):
 * "_DECRYPTE3-" / "_ENCRYPTE3-" before a SQLCipher database (Skrooge 2.x),
 * "_DECRYPTED-" / "_ENCRYPTED-" before the older QCA AES-128 layout. A
 * document without a password is still scrambled, but under Skrooge's
 * built-in key "DEFAULTPASSWORD" (sqlcipher opens a skroogeconvert-made
 * file with it): the key is published, so that file is analysable; the
 * ENCRYPT markers mean the user's password.
 *
 * QuickBooks backups (`.qbb`) and portable company files (`.qbm`) open with
 * a chain of records, each magic 0x8645, a type, a data length and a flag
 * (1 in a portable file); the type-2 record holds the size of the payload
 * after the chain and the company's name, so chain + payload is the file
 * (PhotoRec's file_qbb.c). The payload is QuickBooks' own packing of the
 * company file, not password-encrypted: opaque, named.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { locked, passwordHint, plain, u32le } from './util.js';

const GRISBI_MARKERS = [
  {
    marker: 'Grisbi encrypted file ',
    version: 1,
    scheme: 'grisbi-v1-des-cbc',
    cipher: 'DES-CBC keyed by the first 8 bytes of the password (Grisbi before 0.6)',
  },
  {
    marker: 'Grisbi encryption v2: ',
    version: 2,
    scheme: 'grisbi-v2-des-cbc',
    cipher: 'DES-CBC keyed by DES_string_to_key(password), the marker repeated inside as the password check',
  },
  {
    marker: 'Grisbi encryption v3: ',
    version: 3,
    scheme: 'grisbi-v3-aes128-cbc',
    cipher:
      'AES-128-CBC keyed by SHA-256(password) (first 16 bytes) with a fixed IV, the marker repeated inside as the password check',
  },
] as const;
const GRISBI_MARKER_BYTES = 22;

const SKROOGE = 'SKROOGE';
const SKROOGE_MODES: Record<string, { locked: boolean; sqlcipher: boolean }> = {
  _DECRYPTE3: { locked: false, sqlcipher: true },
  _ENCRYPTE3: { locked: true, sqlcipher: true },
  _DECRYPTED: { locked: false, sqlcipher: false },
  _ENCRYPTED: { locked: true, sqlcipher: false },
};
/** "SKROOGE", a 10-byte mode and "-". */
const SKROOGE_HEADER_BYTES = 18;

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, Math.min(to, b.length)));
}

/**
 * Share of bytes in the window that plain text never has (C0 controls other than tab/CR/LF, and bytes
 * over 0x7f): ciphertext gives about 0.56, an XML or text body almost none.
 */
function binaryShare(b: Uint8Array): number {
  let n = 0;
  for (const x of b) if (x >= 0x80 || (x < 0x20 && x !== 9 && x !== 10 && x !== 13)) n++;
  return b.length === 0 ? 0 : n / b.length;
}

/** At least 16 bytes follow the marker and look like ciphertext, not the clear document. */
function cipherFollows(h: Uint8Array, at: number): boolean {
  const body = h.subarray(at, at + 256);
  return body.length >= 16 && binaryShare(body) >= 0.25;
}

function grisbi(probe: { head: Uint8Array; size: number; complete: boolean }): Detection | undefined {
  const h = probe.head;
  const marker = ascii(h, 0, GRISBI_MARKER_BYTES);
  const kind = GRISBI_MARKERS.find((m) => m.marker === marker);
  if (!kind || !cipherFollows(h, GRISBI_MARKER_BYTES)) return undefined;
  const body = probe.size - GRISBI_MARKER_BYTES;
  // v3 writes whole AES blocks (PKCS#7), v2 whole DES blocks; how Grisbi < 0.6 sized v1's output is not known, so no check.
  const block = kind.version === 3 ? 16 : kind.version === 2 ? 8 : 1;
  if (probe.complete && body % block !== 0) return undefined;
  return locked({
    id: 'grisbi-encrypted',
    name: 'Grisbi accounts file, password-encrypted',
    confidence: 0.97,
    code: 'GRISBI_ENCRYPTION_MARKER',
    message: `Grisbi encryption marker "${kind.marker.trim()}" (layout v${kind.version}) followed by ${body} bytes of ciphertext: ${kind.cipher}.`,
    figures: { layoutVersion: kind.version, ciphertextBytes: body },
    scheme: kind.scheme,
    keyHint: passwordHint(
      'The Grisbi file password (asked when the file is opened; Grisbi keeps no copy of it). Decrypting the first block and finding the marker again (v2, v3) or "<?xml" (v1) checks a guess.',
    ),
  });
}

function skrooge(probe: { head: Uint8Array; size: number; complete: boolean }): Detection | undefined {
  const h = probe.head;
  if (ascii(h, 0, SKROOGE.length) !== SKROOGE || h[SKROOGE_HEADER_BYTES - 1] !== 0x2d) return undefined;
  const modeName = ascii(h, SKROOGE.length, SKROOGE_HEADER_BYTES - 1);
  const mode = SKROOGE_MODES[modeName];
  if (!mode || !cipherFollows(h, SKROOGE_HEADER_BYTES)) return undefined;
  const body = probe.size - SKROOGE_HEADER_BYTES;
  // A SQLCipher database is whole pages (512 bytes to 64 KiB, powers of two): at least 512-byte multiples.
  if (mode.sqlcipher && probe.complete && body % 512 !== 0) return undefined;
  const payload = mode.sqlcipher
    ? `a SQLCipher database (${body} bytes, whole pages)`
    : `the SQLite database encrypted whole with AES-128 through QCA (${body} bytes; the layout before SQLCipher)`;
  const figures = { mode: modeName.slice(1), payloadBytes: body, sqlcipher: mode.sqlcipher };
  if (!mode.locked)
    return plain('analysable', {
      id: 'skrooge-document',
      name: 'Skrooge document',
      confidence: 0.95,
      code: 'SKROOGE_DEFAULT_KEY',
      message: `Skrooge header "SKROOGE${modeName}-": no password set; ${payload} under Skrooge's built-in key "DEFAULTPASSWORD" (published in its source; sqlcipher and skroogeconvert open it without a secret).`,
      figures,
    });
  return locked({
    id: 'skrooge-encrypted',
    name: 'Skrooge document, password-protected',
    confidence: 0.96,
    code: 'SKROOGE_PASSWORD_MODE',
    message: `Skrooge header "SKROOGE${modeName}-": the document has a password; ${payload} keyed by it.`,
    figures,
    scheme: mode.sqlcipher ? 'skrooge-sqlcipher' : 'skrooge-qca-aes128',
    keyHint: passwordHint(
      mode.sqlcipher
        ? 'The Skrooge document password: it is the SQLCipher key of the database after the 18-byte header (PRAGMA key).'
        : 'The Skrooge document password (older layout: the whole SQLite file encrypted with AES-128 under a key from it).',
    ),
  });
}

const QB_RECORD_MAGIC = 0x8645;

function u16le(b: Uint8Array, at: number): number | undefined {
  return at + 2 <= b.length ? b[at]! | (b[at + 1]! << 8) : undefined;
}

/** A QuickBooks backup's record chain, and the payload size its type-2 record gives, when both hold. */
function quickbooksBackup(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  let at = 0;
  let records = 0;
  let payload: number | undefined;
  let title = '';
  while (records < 64 && u16le(h, at) === QB_RECORD_MAGIC) {
    const type = u16le(h, at + 2);
    const length = u16le(h, at + 4);
    if (type === undefined || length === undefined) return undefined;
    if (type === 2) {
      payload = u32le(h, at + 14);
      const titleLength = u16le(h, at + 28) ?? 0;
      if (payload === undefined || 30 + titleLength > 8 + length) return undefined;
      title = String.fromCharCode(...h.subarray(at + 30, at + 30 + titleLength));
      if ([...title].some((c) => c < ' ' || c > '~')) return undefined;
    }
    records++;
    at += 8 + length;
  }
  // The chain must be read to its end, and chain + payload must be the file.
  if (records < 2 || !payload || at > h.length || at + payload !== probe.size) return undefined;
  const portable = u16le(h, 6) === 1;
  return plain('opaque', {
    id: portable ? 'quickbooks-portable' : 'quickbooks-backup',
    name: portable ? 'QuickBooks portable company file' : 'QuickBooks backup',
    confidence: 0.9,
    code: 'QUICKBOOKS_BACKUP_RECORDS',
    message: `QuickBooks ${portable ? 'portable company file' : 'backup'}: ${records} header records (magic 0x8645) whose type-2 record gives a ${payload}-byte payload that ends the file exactly${title ? `, company "${title}"` : ''}. The payload is QuickBooks' own packing of the company file (not password-encrypted); QuickBooks restores it.`,
    figures: { records, payloadBytes: payload, ...(title ? { company: title } : {}) },
  });
}

export const financeDocumentsDetector = defineDetector({
  meta: {
    id: 'finance-documents',
    version: '1.0.0',
    title: 'Personal-finance and accounting documents (Grisbi, Skrooge, QuickBooks backups)',
    formats: [
      {
        id: 'grisbi-encrypted',
        name: 'Grisbi accounts file, password-encrypted',
        status: 'encrypted',
        how: 'signature',
        extensions: ['gsb'],
      },
      {
        id: 'skrooge-encrypted',
        name: 'Skrooge document, password-protected',
        status: 'encrypted',
        how: 'signature',
        extensions: ['skg'],
      },
      {
        id: 'skrooge-document',
        name: 'Skrooge document',
        status: 'analysable',
        how: 'signature',
        extensions: ['skg'],
      },
      {
        id: 'quickbooks-backup',
        name: 'QuickBooks backup',
        status: 'opaque',
        how: 'header-field',
        extensions: ['qbb'],
      },
      {
        id: 'quickbooks-portable',
        name: 'QuickBooks portable company file',
        status: 'opaque',
        how: 'header-field',
        extensions: ['qbm'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'Grisbi encry' },
    { offset: 0, ascii: SKROOGE },
    { offset: 0, hex: '45860000' },
  ],
  minSize: GRISBI_MARKER_BYTES + 16,
  priority: 20,
  detect(probe): Detection | undefined {
    return grisbi(probe) ?? skrooge(probe) ?? quickbooksBackup(probe);
  },
});
