/**
 * Files encrypted by the server-side encryption of Nextcloud and ownCloud (the "Default encryption module"), as a
 * server's data directory, a backup of it or a synced copy taken from the storage holds them.
 *
 * A user file starts with a clear header "HBEGIN:" key:value pairs ":HEND" (oc_encryption_module, cipher, signed,
 * encoding…) padded with '-' to 8192 bytes; then 8192-byte blocks, each the ciphertext (raw, or base64 before
 * Nextcloud 25), "00iv00" and a 16-byte IV, and when signed "00sig00" with a 64-hex-digit HMAC-SHA256, ended by
 * "xxx" ("xx" when unsigned). A user's or the master key's `.privateKey` is the same header without padding
 * (cipher, keyFormat) followed by one such block holding the PEM key. The header alone is text a note could quote,
 * so the padding and the block trailers (at the end of the first data block and of the file) must agree.
 * References: nextcloud/server apps/encryption/lib/Crypto/Crypt.php (generateHeader, concatIV, concatSig,
 * addPadding), lib/private/Encryption/Util.php (header size 8192, padding '-').
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { afterStructureEnd, ascii, locked, notingZeroPadding, probeBytes } from './util.js';

const START = 'HBEGIN:';
const END = ':HEND';
/** A header is a few short fields; the end marker must come early. */
const MAX_HEADER = 1024;
/** The header is padded to one PHP stream block, and so is every data block. */
const BLOCK = 8192;
const CIPHERS = new Set(['AES-256-CTR', 'AES-128-CTR', 'AES-256-CFB', 'AES-128-CFB']);
/** "00iv00" + 16-byte IV + "00sig00" + 64 hex digits + "xxx". */
const SIGNED_META = 6 + 16 + 7 + 64 + 3;
/** "00iv00" + 16-byte IV + "xx". */
const UNSIGNED_META = 6 + 16 + 2;

const KEY_GLOBS = [
  '**/files_encryption/OC_DEFAULT_MODULE/*.privateKey',
  '**/files_encryption/keys/**/OC_DEFAULT_MODULE/*',
];

/** The header's fields, or undefined when it is not a well-formed HBEGIN … HEND header. */
function headerFields(h: Uint8Array): { fields: Map<string, string>; end: number } | undefined {
  const text = ascii(h, 0, Math.min(h.length, MAX_HEADER));
  const at = text.indexOf(END);
  if (!text.startsWith(START) || at < 0) return undefined;
  const parts = text.slice(START.length, at).split(':');
  if (parts.length % 2 !== 0) return undefined;
  const fields = new Map<string, string>();
  for (let i = 0; i < parts.length; i += 2) {
    if (!/^[A-Za-z_]{1,40}$/.test(parts[i]!) || !/^[A-Za-z0-9_-]{1,64}$/.test(parts[i + 1]!)) return undefined;
    fields.set(parts[i]!, parts[i + 1]!);
  }
  return { fields, end: at + END.length };
}

type ProbeLike = Parameters<typeof probeBytes>[0];

/** Whether the bytes `b` (a block's last bytes) end with the IV (and signature) trailer. */
function blockTrailer(b: Uint8Array, signed: boolean): boolean {
  const need = signed ? SIGNED_META : UNSIGNED_META;
  if (b.length < need + 1) return false;
  const m = b.subarray(b.length - need);
  if (ascii(m, 0, 6) !== '00iv00') return false;
  if (!signed) return ascii(m, 22, 24) === 'xx';
  return ascii(m, 22, 29) === '00sig00' && /^[0-9a-f]{64}xxx$/.test(ascii(m, 29, need));
}

/** The signed/unsigned trailer of the block ending at `end`, read from the probe; undefined when not held. */
function trailerAt(probe: ProbeLike, end: number): 'signed' | 'unsigned' | 'none' | undefined {
  const tryOne = (signed: boolean) => {
    const n = signed ? SIGNED_META : UNSIGNED_META;
    const b = probeBytes(probe, end - n - 1, n + 1);
    return b ? blockTrailer(b, signed) : undefined;
  };
  const s = tryOne(true);
  if (s) return 'signed';
  const u = tryOne(false);
  if (u) return 'unsigned';
  return s === undefined && u === undefined ? undefined : 'none';
}

/** The most bytes after the last block's trailer that are looked past (a line feed, a note, slack to 4 KiB). */
const MAX_APPENDED = BLOCK;

/**
 * Where the last block's trailer ends: the file's end when a trailer ends it; else, in bytes read to the end of the
 * file, the end of the last trailer within MAX_APPENDED bytes of it followed only by NULs or only by text (a line
 * feed, a note, slack). Undefined when no trailer is found.
 */
function dataEnd(probe: ProbeLike & { complete: boolean }): number | undefined {
  const atEnd = trailerAt(probe, probe.size);
  if (atEnd === 'signed' || atEnd === 'unsigned') return probe.size;
  const bytes = probe.tail.length > 0 ? probe.tail : probe.complete ? probe.head : undefined;
  if (!bytes) return undefined;
  const base = probe.size - bytes.length;
  const marker = Buffer.from('00iv00', 'latin1');
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const floor = Math.max(1, bytes.length - MAX_APPENDED - SIGNED_META);
  for (let i = b.lastIndexOf(marker); i >= floor; i = i > 0 ? b.lastIndexOf(marker, i - 1) : -1) {
    for (const signed of [true, false]) {
      const end = i + (signed ? SIGNED_META : UNSIGNED_META);
      if (end < bytes.length && blockTrailer(bytes.subarray(0, end), signed) && appended(bytes.subarray(end)))
        return base + end;
    }
  }
  return undefined;
}

/** Bytes after a block that none of its own could be: all NULs (slack) or all text (a line feed, a note). */
function appended(b: Uint8Array): boolean {
  return b.every((x) => x === 0) || b.every((x) => x === 0x09 || x === 0x0a || x === 0x0d || (x >= 0x20 && x < 0x7f));
}

function keyHint(kind: 'file' | 'private-key', fields: Map<string, string>): KeyHint {
  if (kind === 'private-key') {
    return {
      description: `A Nextcloud/ownCloud private key (keyFormat ${fields.get('keyFormat') ?? 'password'}): a user's key opens with a key derived from the login password; the master, recovery and public-share keys with the instance's secret (config/config.php, 'secret').`,
      kind: 'password',
      present: 'unknown',
      lookFor: ['**/config/config.php'],
    };
  }
  return {
    description:
      "The file key in files_encryption/keys/<the file's path>/OC_DEFAULT_MODULE/ (fileKey and a .shareKey per user), wrapped by the user's or master key's .privateKey in files_encryption/OC_DEFAULT_MODULE/, which the login password or the instance secret in config/config.php opens.",
    kind: 'key-file',
    present: 'unknown',
    lookFor: [...KEY_GLOBS, '**/config/config.php'],
  };
}

export const nextcloudEncryptionDetector = defineDetector({
  meta: {
    id: 'nextcloud-encryption',
    version: '1.1.0',
    title: 'Nextcloud/ownCloud server-side encryption: encrypted user files and private keys',
    formats: [
      {
        id: 'nextcloud-encrypted-file',
        name: 'Nextcloud/ownCloud server-side encrypted file',
        status: 'encrypted',
        how: 'header-field',
      },
      {
        id: 'nextcloud-private-key',
        name: 'Nextcloud/ownCloud encrypted private key',
        status: 'encrypted',
        how: 'header-field',
        extensions: ['privateKey'],
      },
    ],
    indexPatterns: KEY_GLOBS,
  },
  signatures: [{ offset: 0, ascii: START }],
  minSize: START.length + END.length + UNSIGNED_META,
  priority: 20,
  detect(probe): Detection | undefined {
    const parsed = headerFields(probe.head);
    if (!parsed) return undefined;
    const { fields, end } = parsed;
    const cipher = fields.get('cipher')?.toUpperCase();
    if (!cipher || !CIPHERS.has(cipher)) return undefined;
    const padded = probe.size >= BLOCK && probe.head.length >= BLOCK && /^-*$/.test(ascii(probe.head, end, BLOCK));
    const module = fields.get('oc_encryption_module');
    const binary = fields.get('encoding') === 'binary';
    const figures = { cipher, module: module ?? 'none', encoding: binary ? 'binary' : 'base64' };
    // Bytes after the last block's trailer (a line feed, a note, slack) are set aside and named.
    const size = dataEnd(probe) ?? probe.size;
    if (padded) {
      // A user file: the header block, then data blocks whose trailers must be there (first block and last).
      const blocks = Math.ceil((size - BLOCK) / BLOCK);
      let trailer: string | undefined = 'empty';
      if (blocks > 0) {
        const first = trailerAt(probe, Math.min(size, 2 * BLOCK));
        const last = trailerAt(probe, size);
        if (first === 'none' || last === 'none' || (first ?? last) === undefined) return undefined;
        if (first && last && first !== last) return undefined;
        trailer = first ?? last;
      }
      const file = locked({
        id: 'nextcloud-encrypted-file',
        name: 'Nextcloud/ownCloud server-side encrypted file',
        confidence: 0.97,
        code: 'NEXTCLOUD_SSE_HEADER',
        message: `A file encrypted by Nextcloud/ownCloud server-side encryption: the "HBEGIN … HEND" header (${cipher}${module ? `, module ${module}` : ''}) padded with '-' to 8192 bytes, then ${blocks} data block${blocks === 1 ? '' : 's'}${blocks > 0 ? ` ending with the ${trailer} IV trailer` : ' (an empty file)'}.`,
        figures: { ...figures, blocks, trailer: trailer ?? 'empty' },
        scheme: `nextcloud-sse-${cipher.toLowerCase()}`,
        keyHint: keyHint('file', fields),
      });
      return notingZeroPadding(file, afterStructureEnd(probe, size), 'the header and blocks before them');
    }
    // A private key: the header, then one block (the PEM key's ciphertext) with its trailer ending the file.
    const keyEnd = size;
    if (fields.has('oc_encryption_module') || keyEnd > BLOCK) return undefined;
    const trailer = trailerAt(probe, keyEnd);
    if (trailer !== 'signed' && trailer !== 'unsigned') return undefined;
    if (keyEnd - end < (trailer === 'signed' ? SIGNED_META : UNSIGNED_META) + 64) return undefined;
    const key = locked({
      id: 'nextcloud-private-key',
      name: 'Nextcloud/ownCloud encrypted private key',
      confidence: 0.95,
      code: 'NEXTCLOUD_KEY_HEADER',
      message: `A private key of Nextcloud/ownCloud server-side encryption: the "HBEGIN … HEND" header (${cipher}, keyFormat ${fields.get('keyFormat') ?? 'password'}) and one ${trailer} block of ciphertext holding the PEM key.`,
      figures: { ...figures, keyFormat: fields.get('keyFormat') ?? 'password', trailer },
      scheme: `nextcloud-private-key-${cipher.toLowerCase()}`,
      keyHint: keyHint('private-key', fields),
    });
    return notingZeroPadding(key, afterStructureEnd(probe, keyEnd), 'the header and block before them');
  },
});
