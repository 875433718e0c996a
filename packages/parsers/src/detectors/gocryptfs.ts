/**
 * gocryptfs encrypted files and long-name files. A gocryptfs file starts with
 * a header (u16 big-endian version 2, then a random 16-byte file ID) followed
 * by blocks of at most 4096 plaintext bytes, each stored as nonce + ciphertext
 * + 16-byte tag: 12- or 16-byte nonces for AES-GCM, 16 for AES-SIV, 24 for
 * XChaCha20-Poly1305. So the size is 18 + n full blocks + a shorter last one,
 * and everything after the version is random. A `gocryptfs.longname.<hash>.name`
 * file holds the base64url of an encrypted file name, and `<hash>` is the
 * base64url SHA-256 of that text: when it matches, the name proves the
 * content (structure); a renamed copy is known by its name alone (path). Both
 * need the master key in gocryptfs.conf, unlocked by the password.
 * References: gocryptfs Documentation/file-format.md (header, block layout)
 * and its "long file names" section.
 */
import { createHash } from 'node:crypto';
import { defineDetector, type Detection, type Probe, type KeyHint } from '@evtriage/core/contract';
import { spreadLikeRandom } from './statistics-figures.js';
import { appendedAfterCiphertext, ascii, locked, notingZeroPadding, textInfo, u16be } from './util.js';

const HEADER = 18;
const TAG = 16;
const NONCES = [12, 16, 24];
const BLOCK = 4096;

const CONF_FILES = ['**/gocryptfs.conf', '**/.gocryptfs.reverse.conf'];
const confHint: KeyHint = {
  description:
    'The gocryptfs password, which unlocks the master key in gocryptfs.conf (or the master key printed at init).',
  kind: 'password',
  present: 'unknown',
  lookFor: CONF_FILES,
};

/** The nonce sizes for which `size` is a possible gocryptfs file length. */
function layoutsFor(size: number): number[] {
  return NONCES.filter((nonce) => {
    const overhead = nonce + TAG;
    const rest = (size - HEADER) % (BLOCK + overhead);
    return size > HEADER + overhead && (rest === 0 || rest > overhead);
  });
}

/**
 * Whether the bytes look like ciphertext: about as many distinct values as random bytes of that
 * length and, from 1 KiB on, a byte histogram that passes a chi-square test against uniform
 * (compressed data has high entropy but fails it: chi-square above 255 + 2.4 * 22.6).
 */
function looksLikeCiphertext(b: Uint8Array): boolean {
  if (b.length < 24) return false;
  if (!spreadLikeRandom(b)) return false;
  if (b.length < 1024) return true;
  const counts = new Array<number>(256).fill(0);
  for (const x of b) counts[x]!++;
  const e = b.length / 256;
  const chi = counts.reduce((sum, c) => sum + (c - e) ** 2 / e, 0);
  return chi < 310; // 255 dof: random data stays below about 2.4 sigma; deflate output of text lands above
}

export const gocryptfsDetector = defineDetector({
  meta: {
    id: 'gocryptfs',
    version: '1.1.0',
    title: 'gocryptfs encrypted files and long-name files',
    formats: [
      { id: 'gocryptfs-file', name: 'gocryptfs encrypted file', status: 'encrypted', how: 'header-field' },
      {
        id: 'gocryptfs-longname',
        name: 'gocryptfs long file name (encrypted name)',
        status: 'encrypted',
        how: 'path',
        extensions: ['name'],
      },
    ],
    indexPatterns: CONF_FILES,
  },
  minSize: 8,
  priority: 35,
  detect(probe): Detection | undefined {
    // Text detectors judge text followed by NUL padding on the text alone (textInfo); the answer says so.
    return notingZeroPadding(judgeGocryptfsProbe(probe), textInfo(probe.head));
  },
});

function judgeGocryptfsProbe(probe: Probe): Detection | undefined {
  const h = probe.head;
  const longName = /^gocryptfs\.longname\.([A-Za-z0-9_-]{43})\.name$/.exec(probe.name);
  if (longName) {
    const info = textInfo(h);
    const raw = info?.text ?? '';
    const text = raw.trim();
    if (!/^[A-Za-z0-9_-]{16,}={0,2}$/.test(text)) return undefined;
    // EME encrypts the padded name in 16-byte blocks.
    const blocks = Buffer.from(text, 'base64url').length % 16 === 0;
    // The hash covers the text gocryptfs wrote; a line end a text tool appended (LF or CR LF) is not part of it.
    const content = h.subarray(0, h.length - (info?.zeroPadding ?? 0));
    const hashOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64url');
    const lineEnd = content.at(-1) === 0x0a ? (content.at(-2) === 0x0d ? 2 : 1) : 0;
    const exact = probe.size === h.length && hashOf(content) === longName[1];
    const appended =
      !exact &&
      lineEnd > 0 &&
      probe.size === h.length &&
      hashOf(content.subarray(0, content.length - lineEnd)) === longName[1]
        ? lineEnd
        : 0;
    const hashMatches = exact || appended > 0;
    const detection = locked({
      id: 'gocryptfs-longname',
      name: 'gocryptfs long file name (encrypted name)',
      confidence: hashMatches && blocks ? 0.97 : 0.8,
      code: hashMatches ? 'GOCRYPTFS_LONGNAME_HASH' : 'GOCRYPTFS_LONGNAME',
      message: hashMatches
        ? `"gocryptfs.longname.<hash>.name" file whose name is the SHA-256 of its ${text.length} characters of base64url${blocks ? ' (whole 16-byte blocks)' : ''}: the EME-encrypted full name of a file whose name was too long.`
        : `"gocryptfs.longname.<hash>.name" file holding ${text.length} characters of base64url (the name's hash does not match its content: known by its name): the EME-encrypted full name of a file whose name was too long.`,
      figures: { characters: text.length, hashMatches, wholeBlocks: blocks },
      scheme: 'gocryptfs-eme-names',
      keyHint: confHint,
    });
    const noted = notingZeroPadding(
      detection,
      appended ? { trailingBytes: appended } : undefined,
      'the name before it',
    );
    // A verified hash is structure: it outranks the text detector's reading of base64 as plain text.
    return hashMatches && blocks ? { ...noted, basis: 'structure' } : noted;
  }
  if (u16be(h, 0) !== 2) return undefined;
  // Bytes a file held whole ends in that no ciphertext block ends in by chance are set aside before the layout and
  // the body are judged: text appended (a note, a carve that ran on into a log) or NUL padding (slack).
  const end = appendedAfterCiphertext(probe);
  const size = probe.size - (end ? ('zeroPadding' in end ? end.zeroPadding : end.trailingBytes) : 0);
  const layouts = layoutsFor(size);
  if (layouts.length === 0) return undefined;
  const fileId = h.subarray(2, HEADER);
  if (new Set(fileId).size < 12) return undefined; // 16 random bytes rarely repeat more than a few values
  const body = h.subarray(2, Math.min(size, h.length, HEADER + 4096));
  if (!looksLikeCiphertext(body) || ascii(h, 2, Math.min(64, size)).includes('\0\0\0\0')) return undefined;
  const nameLike = /^[A-Za-z0-9_-]{22}(==)?$/.test(probe.name);
  const detection = locked({
    id: 'gocryptfs-file',
    name: 'gocryptfs encrypted file',
    confidence: nameLike ? 0.9 : 0.82,
    code: 'GOCRYPTFS_FILE_HEADER',
    message: `gocryptfs file header (version 2, random 16-byte file ID) and a size of ${size} bytes that fits its block layout (nonce ${layouts.join('/')} + 16-byte tag per 4 KiB block)${nameLike ? '; the name is a base64url encrypted name' : ''}; the rest is ciphertext.`,
    figures: { size, nonceBytes: layouts.join('/'), encryptedName: nameLike },
    scheme: 'gocryptfs',
    keyHint: confHint,
  });
  return notingZeroPadding(detection, end, 'the gocryptfs header and blocks before them');
}
