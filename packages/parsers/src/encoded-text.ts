/**
 * Binary data written out as text: base16 (hex, `xxd -p`), base32 and base64
 * (`base64`, `openssl enc -a`, MIME and PEM bodies without their armour), a
 * whole file of one encoded stream. The encoded-text detector recognises the
 * file; the encoded-text container decodes it, so that the decoded bytes are
 * an item of their own, identified by every detector (a ZIP, a ciphertext, a
 * text). Reference: RFC 4648 (alphabets, padding; §10 test vectors).
 *
 * What counts as one encoded stream, so that text which happens to use the
 * alphabet is not taken for one:
 * - nothing but the alphabet and line breaks, padding only at the very end;
 * - wrapped lines of one length (the last may be shorter), at least
 *   `MIN_LINE_LENGTH` and a multiple of the group for base64 (4 characters):
 *   how encoders wrap (a column of short hex codes is a table);
 * - the alphabet's character classes mixed as encoded bytes mix them (hex:
 *   digits and letters, one case; base32: letters and digits; base64: upper
 *   and lower case and digits);
 * - at least `MIN_DECODED_BYTES` decoded (shorter ones are tokens, keys, ids);
 * - hex lines of a digest's length (32, 40, 56, 64, 96, 128) are a list of
 *   hashes, not one stream.
 */
import { trailingRunLength, trimEndOf } from './text-ends.js';

export type EncodingId = 'base16' | 'base32' | 'base64';

export interface EncodedText {
  encoding: EncodingId;
  /** base64 only: the URL-safe alphabet (`-_` for `+/`, RFC 4648 §5). */
  urlSafe?: boolean;
  /** Characters per wrapped line; undefined for one unwrapped line. */
  lineLength?: number;
  /** Lines seen (of the whole text, or of the part given). */
  lines: number;
  /** Alphabet characters seen, padding excluded. */
  digits: number;
}

/** Below this many decoded bytes an encoded line is a token, a key or an id, not a file's worth of data. */
export const MIN_DECODED_BYTES = 128;

/** Encoders wrap at 60 (`xxd -p`), 64 (PEM, OpenSSL) or 76 (MIME, coreutils) characters; shorter lines are a table. */
const MIN_LINE_LENGTH = 16;

/** Lengths of hex digests (MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512): lines of these list hashes. */
const DIGEST_HEX_LENGTHS = new Set([32, 40, 56, 64, 96, 128]);

const BASE16 = /^(?:[0-9a-f]+|[0-9A-F]+)$/;
const BASE32 = /^[A-Z2-7]+$/;
const BASE64 = /^[A-Za-z0-9+/]+$/;
const BASE64_URL = /^[A-Za-z0-9_-]+$/;

/** 1 for the bytes an encoded stream may hold: every alphabet's characters, padding, line breaks. */
const STREAM_BYTE = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-=\r\n')
  STREAM_BYTE[c.charCodeAt(0)] = 1;

/** Decoded bytes per encoded character. */
const BITS: Record<EncodingId, number> = { base16: 4, base32: 5, base64: 6 };

/** The decoded size of `digits` alphabet characters. */
export function decodedSize(encoding: EncodingId, digits: number): number {
  return Math.floor((digits * BITS[encoding]) / 8);
}

/**
 * Whether `bytes` are one encoded stream (see the module comment). `complete`: the bytes are the whole file;
 * otherwise they are its head, whose last line may be cut and whose end proves nothing about padding.
 */
export function recogniseEncodedText(bytes: Uint8Array, complete: boolean): EncodedText | undefined {
  // Any byte outside the alphabets, padding and line breaks rules it out, before any string is built: this runs
  // on every file of a scan, and other text fails at its first space or punctuation mark.
  for (let i = 0; i < bytes.length; i++) if (STREAM_BYTE[bytes[i]!] === 0) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  const lines = text.split(/\r?\n/);
  if (complete) {
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  } else if (lines.length > 1) lines.pop(); // the head may end inside a line
  if (lines.length === 0 || lines.some((l) => l === '')) return undefined;
  const first = lines[0]!.length;
  const last = lines[lines.length - 1]!;
  const wrapped = lines.length > 1;
  if (wrapped && (first < MIN_LINE_LENGTH || lines.slice(0, -1).some((l) => l.length !== first) || last.length > first))
    return undefined;
  const body = lines.join('');
  const padding = trailingRunLength(body, '=');
  const digitsText = body.slice(0, body.length - padding);
  const found = classify(digitsText, padding, complete, wrapped ? first : undefined);
  if (!found) return undefined;
  const digits = digitsText.length;
  // A head gives at least this much; the whole file exactly this much.
  if (decodedSize(found.encoding, digits) < MIN_DECODED_BYTES) return undefined;
  return { ...found, ...(wrapped ? { lineLength: first } : {}), lines: lines.length, digits };
}

const recognisedHeads = new WeakMap<Uint8Array, EncodedText | null>();

/**
 * recogniseEncodedText over a probe's head, once per head: the encoded-text and ciphertext-payload detectors
 * ask about the same bytes in the same thread.
 */
export function recogniseProbeHead(head: Uint8Array, complete: boolean): EncodedText | undefined {
  let found = recognisedHeads.get(head);
  if (found === undefined) {
    found = recogniseEncodedText(head, complete) ?? null;
    recognisedHeads.set(head, found);
  }
  return found ?? undefined;
}

function classify(
  digits: string,
  padding: number,
  complete: boolean,
  lineLength: number | undefined,
): Pick<EncodedText, 'encoding' | 'urlSafe'> | undefined {
  if (padding === 0 && BASE16.test(digits) && /[0-9]/.test(digits) && /[a-fA-F]/.test(digits)) {
    if (lineLength !== undefined && (lineLength % 2 !== 0 || DIGEST_HEX_LENGTHS.has(lineLength))) return undefined;
    if (complete && digits.length % 2 !== 0) return undefined;
    return { encoding: 'base16' };
  }
  if (BASE32.test(digits) && /[A-Z]/.test(digits) && /[2-7]/.test(digits)) {
    // Padded to 8-character groups; unpadded, a group never ends after 1, 3 or 6 characters (RFC 4648 §6).
    if (
      padding > 6 ||
      (complete && (padding > 0 ? (digits.length + padding) % 8 !== 0 : [1, 3, 6].includes(digits.length % 8)))
    )
      return undefined;
    return { encoding: 'base32' };
  }
  const urlSafe = !BASE64.test(digits) && BASE64_URL.test(digits);
  if (!urlSafe && !BASE64.test(digits)) return undefined;
  if (!/[A-Z]/.test(digits) || !/[a-z]/.test(digits) || !/[0-9]/.test(digits)) return undefined;
  if (lineLength !== undefined && lineLength % 4 !== 0) return undefined;
  if (padding > 2 || (complete && (padding > 0 ? (digits.length + padding) % 4 !== 0 : digits.length % 4 === 1)))
    return undefined;
  return urlSafe ? { encoding: 'base64', urlSafe } : { encoding: 'base64' };
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes the alphabet characters of `text` (line breaks and padding dropped); `text` must be recognised first. */
export function decodeEncodedText(text: string, found: Pick<EncodedText, 'encoding' | 'urlSafe'>): Buffer {
  const digits = trimEndOf(text.replace(/[\r\n]/g, ''), '=');
  if (found.encoding === 'base16') return Buffer.from(digits.slice(0, digits.length - (digits.length % 2)), 'hex');
  if (found.encoding === 'base64') return Buffer.from(digits, found.urlSafe ? 'base64url' : 'base64');
  // Base32: Node has no decoder; five bits a character, most significant first (RFC 4648 §6).
  const out = Buffer.alloc(decodedSize('base32', digits.length));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < digits.length; i++) {
    value = ((value << 5) | BASE32_ALPHABET.indexOf(digits[i]!)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      if (at < out.length) out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

/** Names for an encoding, as messages say them. */
export const ENCODING_NAMES: Record<EncodingId, string> = {
  base16: 'Base16 (hex) text',
  base32: 'Base32 text',
  base64: 'Base64 text',
};

/** The format id of an encoding whose decoded bytes are ciphertext (the ciphertext-payload detector's). */
export const CIPHERTEXT_OF: Record<EncodingId, string> = {
  base16: 'base16-ciphertext',
  base32: 'base32-ciphertext',
  base64: 'base64-ciphertext',
};

/** The encoding of a format id: an encoding's own, or a `*-ciphertext` id (opened the same way). */
export function encodingOfFormat(formatId: string): EncodingId | undefined {
  return (Object.keys(CIPHERTEXT_OF) as EncodingId[]).find((e) => e === formatId || CIPHERTEXT_OF[e] === formatId);
}
