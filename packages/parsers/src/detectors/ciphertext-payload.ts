/**
 * Ciphertext carried as text: a whole file of base16, base32 or base64 text,
 * or a JSON or XML document whose substance is one encoded value, where the
 * decoded bytes are uniformly random and no format is found in them. The
 * wrapper is readable; what it carries needs a key. The class conventions say
 * so for base64 OpenSSL output and for vaults in JSON (shared/corpus README,
 * rule 3), and the same holds for any encoder and any app's field names: this
 * reads the shape, not a program's names (the named vaults of json-vaults.ts
 * and text-vaults.ts rank above it).
 *
 * Not claimed: a wrapper around readable bytes (a ZIP, a PNG, compressed
 * data: file-type's magic numbers, compressed-frame magic, a trial inflate or
 * Brotli decode), around a few random bytes (a key, a signature, an id: under
 * 1 KiB decoded), and a document with other substance beside one encrypted
 * field (rule 1: the encoded value must be at least half of it).
 * The decoded bytes pass the statistics' tests from their first byte on:
 * entropy, a chi-square over 256 values and over the 16 high nibbles, and
 * incompressibility (statistics-figures.ts).
 */
import { defineDetector, type Detection, type DetectorContext, type Probe } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';
import {
  CIPHERTEXT_OF,
  decodeEncodedText,
  ENCODING_NAMES,
  recogniseProbeHead,
  type EncodingId,
} from '../encoded-text.js';
import { compressedFrameAt } from './compressed-streams.js';
import { fileTypeFromBuffer } from './file-type.js';
import { isRandom, smallSampleTest } from './statistics-figures.js';
import { isBrotli, isRawDeflate, trialBrotli, trialInflate } from './trial-decode.js';
import { openpgpDetector } from './openpgp.js';
import { cmsDetector } from './cms.js';
import { ascii, locked } from './util.js';
import { trimEndOf } from '../text-ends.js';

/** Decoded bytes below this are a key, a signature or an id, not a message (RSA-4096 signatures are 512). */
export const MIN_PAYLOAD_BYTES = 1024;
/** Decoded bytes tested: enough for the chi-square to reject compressed data. */
const TESTED_BYTES = 8192;
/** The encoded value's share of the document, at the least: the rest is field names, an IV, a version. */
const MIN_SHARE = 0.5;
/** Above the encoded-text detector's 0.85 (the same structure, read further). */
const ENCODED_CONFIDENCE = 0.86;
/** Level with the text detector's JSON/XML readings (0.95); the tie goes to this more specific detector. */
const DOCUMENT_CONFIDENCE = 0.95;

interface Payload {
  /** What decides it, for the reason. */
  describe: string;
  figures: Record<string, number | string>;
}

/**
 * Whether decoded bytes are ciphertext-like: uniform from the first byte, no format's magic, no compressed stream.
 * `complete`: the bytes are the whole payload.
 */
export async function ciphertextPayload(bytes: Uint8Array, complete: boolean): Promise<Payload | undefined> {
  if (bytes.length < MIN_PAYLOAD_BYTES) return undefined;
  const tested = bytes.subarray(0, TESTED_BYTES);
  const e = randomnessFigures([tested]);
  if (!isRandom(e) || !smallSampleTest([tested]).uniform) return undefined;
  for (let at = 0; at <= 64; at++) if (compressedFrameAt(tested, at)) return undefined;
  const whole = complete && tested.length === bytes.length;
  if (isRawDeflate(trialInflate(tested, 'raw', whole))) return undefined;
  if ((tested[0]! & 0x0f) === 8 && ((tested[0]! << 8) | tested[1]!) % 31 === 0) {
    const z = trialInflate(tested, 'zlib', whole);
    if (z.ok && z.output >= z.input) return undefined;
  }
  if (isBrotli(trialBrotli(tested, whole))) return undefined;
  if (await (await fileTypeFromBuffer())(tested)) return undefined;
  return {
    describe: `entropy ${e.shannon} bits/byte, chi-square p=${e.chiSquareP}, deflate ratio ${e.compressionRatio} over the first ${tested.length} decoded bytes, and no format's magic number or compressed stream in them`,
    figures: {
      decodedShannon: e.shannon,
      decodedChiSquareP: e.chiSquareP,
      decodedCompressionRatio: e.compressionRatio ?? 0,
      decodedBytesTested: tested.length,
    },
  };
}

const UNKNOWN_KEY = {
  description:
    'Unknown scheme: nothing in the file names the cipher or the key (look for the app or tool that wrote it).',
  kind: 'unknown' as const,
  present: 'unknown' as const,
};

/** What a file carries, before the decoded bytes are judged: the detection to make if they are ciphertext-like. */
interface Candidate {
  decoded: Uint8Array;
  detect(payload: Payload): Detection;
  /** For a whole file of encoded text: the detection to make when the decoded bytes are an encrypted format. */
  detectStructure?(inner: Detection): Detection;
}

/** A whole file of encoded text: its decoded bytes (as far as read). */
function encodedCandidate(probe: Probe): Candidate | undefined {
  const found = recogniseProbeHead(probe.head, probe.complete);
  if (!found) return undefined;
  let text = Buffer.from(probe.head.buffer, probe.head.byteOffset, probe.head.length).toString('latin1');
  // A head may end inside a line, and a cut group decodes to wrong bytes: keep the whole lines only.
  if (!probe.complete) text = text.slice(0, Math.max(0, text.lastIndexOf('\n')));
  const decoded = decodeEncodedText(text, found);
  return {
    decoded,
    detect: (payload) =>
      locked({
        id: CIPHERTEXT_OF[found.encoding],
        name: `${ENCODING_NAMES[found.encoding]} of ciphertext (suspected)`,
        confidence: ENCODED_CONFIDENCE,
        code: 'ENCODED_CIPHERTEXT',
        message: `The ${probe.complete ? 'whole file' : 'file, as far as read,'} is ${found.encoding} text, and the bytes it encodes look like ciphertext (${payload.describe}): an encoding of encrypted data, which needs a key to read. The decoded bytes are identified as its member.`,
        scheme: 'unknown',
        keyHint: UNKNOWN_KEY,
        figures: { encoding: found.encoding, ...payload.figures },
      }),
    detectStructure: (inner) =>
      locked({
        id: CIPHERTEXT_OF[found.encoding],
        name: `${ENCODING_NAMES[found.encoding]} of ciphertext (suspected)`,
        confidence: ENCODED_CONFIDENCE,
        code: 'ENCODED_ENCRYPTED_FORMAT',
        message: `The ${probe.complete ? 'whole file' : 'file, as far as read,'} is ${found.encoding} text, and the bytes it encodes are ${inner.format.name} (${inner.reasons[0]?.message ?? 'encrypted'}): an encoding of encrypted data, which needs a key to read. The decoded bytes are identified as its member.`,
        scheme: inner.encryption?.scheme ?? 'unknown',
        keyHint: inner.encryption?.keyHint ?? UNKNOWN_KEY,
        figures: { encoding: found.encoding, decodedFormat: inner.format.id, decodedBytes: decoded.length },
      }),
  };
}

/** Bytes a base64 or hex value may hold inside a JSON string or an XML element (line breaks, PHP's "\/"). */
const VALUE_BYTE = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-\\\r\n')
  VALUE_BYTE[c.charCodeAt(0)] = 1;
/** 1 KiB decoded is 1,368 base64 characters at the least. */
const MIN_VALUE_CHARACTERS = 1368;

/** Whether the bytes hold a run of value characters long enough to carry 1 KiB: most documents fail here, with no string built. */
function hasLongValue(b: Uint8Array): boolean {
  let run = 0;
  for (let i = 0; i < b.length; i++) {
    if (VALUE_BYTE[b[i]!] === 0) run = 0;
    else if (++run >= MIN_VALUE_CHARACTERS) return true;
  }
  return false;
}

/**
 * JSON or XML by the first bytes after a UTF-8 byte-order mark and white space. XML starts with its declaration,
 * a comment or doctype, or an element; other "<?" and "<%" starts are server-side code (PHP, ASP, JSP), whose
 * encoded strings are the encoders' and packers' bodies (ionCube, webshells), not an XML document's value.
 */
function documentKind(b: Uint8Array): 'JSON' | 'XML' | undefined {
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || (b[i]! >= 0x09 && b[i]! <= 0x0d))) i++;
  if (b[i] === 0x7b || b[i] === 0x5b) return 'JSON';
  if (b[i] !== 0x3c) return undefined;
  const next = b[i + 1];
  if (next === 0x3f) return /^<\?xml[\s?]/i.test(ascii(b, i, i + 6)) ? 'XML' : undefined;
  if (next === 0x21) return 'XML';
  return next !== undefined && /[A-Za-z_:]/.test(String.fromCharCode(next)) ? 'XML' : undefined;
}

/**
 * The longest base64 or hex value in a JSON string or an XML element's text (line breaks allowed inside, as
 * XML Encryption's CipherValue wraps them; PHP's escaped "\/" undone), with its length as written.
 */
function longestEncodedValue(text: string): { value: string; encoded: number } | undefined {
  let best: { value: string; encoded: number } | undefined;
  // The value starts and ends on a character of the alphabet, each line break inside it followed by one: with
  // line breaks free at either end, the white space before and after it could trade them with the value, and
  // "<a>", 4,000 line breaks and "!" took 12 s (8,000 took 225 s).
  const runs = /["'>]\s*((?:[A-Za-z0-9+_-]|\\?\/)(?:[\r\n]*(?:[A-Za-z0-9+_-]|\\?\/)){1367,}={0,2})(?=\s*["'<]|\s*$)/g;
  for (let m = runs.exec(text); m; m = runs.exec(text)) {
    const encoded = m[1]!.length;
    if (!best || encoded > best.encoded)
      best = {
        value: trimEndOf(m[1]!.replace(/\\\//g, '/').replace(/[\r\n]+/g, ''), '='),
        encoded,
      };
  }
  return best;
}

/** A JSON or XML document whose substance is one encoded value: that value's decoded bytes. */
function documentCandidate(probe: Probe): Candidate | undefined {
  const kind = documentKind(probe.head);
  if (!kind || !hasLongValue(probe.head)) return undefined;
  const text = Buffer.from(probe.head.buffer, probe.head.byteOffset, probe.head.length).toString('latin1');
  if (kind === 'JSON' && probe.complete) {
    try {
      JSON.parse(Buffer.from(probe.head).toString('utf8'));
    } catch {
      return undefined;
    }
  }
  const run = longestEncodedValue(text);
  if (!run) return undefined;
  const share = run.encoded / text.length;
  // A head that ends inside the value: the value is at least that much of the file, and the rest was not read.
  const reachesEnd = !probe.complete && text.trimEnd().endsWith(run.value.slice(-16));
  if (share < MIN_SHARE && !reachesEnd) return undefined;
  const hex = /^[0-9a-fA-F]+$/.test(run.value);
  const urlSafe = !hex && /[_-]/.test(run.value);
  if (!hex && !/^[A-Za-z0-9+/_-]+$/.test(run.value)) return undefined;
  const digits = hex ? run.value.slice(0, run.value.length - (run.value.length % 2)) : run.value;
  const decoded = decodeEncodedText(digits, { encoding: hex ? 'base16' : 'base64', ...(urlSafe ? { urlSafe } : {}) });
  const percent = Math.round(Math.min(1, share) * 100);
  return {
    decoded,
    detect: (payload) =>
      locked({
        id: kind === 'JSON' ? 'json-ciphertext' : 'xml-ciphertext',
        name: `${kind} wrapping one ciphertext value (suspected)`,
        confidence: DOCUMENT_CONFIDENCE,
        code: 'DOCUMENT_CIPHERTEXT',
        message: `A ${kind} document whose substance is one ${hex ? 'hex' : 'base64'} value (${run.encoded} characters, ${percent} % of the ${probe.complete ? 'file' : 'bytes read'}) of ${decoded.length}${probe.complete ? '' : '+'} bytes that look like ciphertext (${payload.describe}): the document carries encrypted data, and reading it needs a key no field holds.`,
        scheme: 'unknown',
        keyHint: UNKNOWN_KEY,
        figures: {
          valueCharacters: run.encoded,
          valueShare: percent,
          decodedBytes: decoded.length,
          ...payload.figures,
        },
      }),
  };
}

/**
 * Formats whose own structure says "encrypted", looked for in the decoded bytes of any size: an OpenPGP message
 * in base64 without its armour lines (apps keep them so in JSON, XML and files of their own) is as locked as an
 * armoured one, though too short for the statistics; so is a CMS enveloped or encrypted message (an S/MIME
 * smime.p7m kept as plain base64).
 */
const ENCRYPTED_STRUCTURES = [openpgpDetector, cmsDetector];

const isList = (d: Detection | readonly Detection[]): d is readonly Detection[] => Array.isArray(d);

function encryptedStructure(bytes: Uint8Array, complete: boolean, ctx: DetectorContext): Detection | undefined {
  const probe: Probe = {
    path: 'decoded',
    logicalPath: 'decoded',
    name: 'decoded',
    extension: '',
    size: bytes.length,
    head: bytes,
    tail: new Uint8Array(0),
    samples: [],
    complete,
  };
  for (const d of ENCRYPTED_STRUCTURES) {
    if (bytes.length < (d.minSize ?? 0)) continue;
    // These detectors answer at once (no promise), with one detection or none.
    const found = d.detect(probe, ctx) as Detection | readonly Detection[] | undefined | Promise<unknown>;
    if (found === undefined || found instanceof Promise) continue;
    const one: Detection | undefined = isList(found) ? found[0] : found;
    if (one?.status === 'encrypted') return one;
  }
  return undefined;
}

async function judge(candidate: Candidate, complete: boolean, ctx: DetectorContext): Promise<Detection | undefined> {
  const inner = candidate.detectStructure && encryptedStructure(candidate.decoded, complete, ctx);
  if (inner) return candidate.detectStructure!(inner);
  const payload = await ciphertextPayload(candidate.decoded, complete);
  return payload ? candidate.detect(payload) : undefined;
}

export const ciphertextPayloadDetector = defineDetector({
  meta: {
    id: 'ciphertext-payload',
    version: '1.0.0',
    title: 'Ciphertext carried as text (base16/32/64 files, JSON and XML wrapping one encoded ciphertext value)',
    formats: [
      ...(Object.keys(CIPHERTEXT_OF) as EncodingId[]).map((e) => ({
        id: CIPHERTEXT_OF[e],
        name: `${ENCODING_NAMES[e]} of ciphertext (suspected)`,
        status: 'encrypted' as const,
        how: 'structure' as const,
        mime: 'text/plain',
      })),
      {
        id: 'json-ciphertext',
        name: 'JSON wrapping one ciphertext value (suspected)',
        status: 'encrypted',
        how: 'structure',
        mime: 'application/json',
        extensions: ['json'],
      },
      {
        id: 'xml-ciphertext',
        name: 'XML wrapping one ciphertext value (suspected)',
        status: 'encrypted',
        how: 'structure',
        mime: 'application/xml',
        extensions: ['xml'],
      },
    ],
  },
  // A whole file of encoded text is read from the encoded-text detector's smallest (an encrypted format in it
  // decides at any size); a document needs a value long enough to carry 1 KiB.
  minSize: 128,
  priority: 40,
  detect(probe, ctx): Detection | undefined | Promise<Detection | undefined> {
    const c = probe.head[0];
    // Text only: an encoding's alphabet, a JSON or XML start (or a byte-order mark, or white space before it).
    if (c === undefined || ((c < 0x09 || c > 0x7e) && c !== 0xef)) return undefined;
    // Synchronous until there is something to judge: most text files end here.
    const candidate =
      encodedCandidate(probe) ?? (probe.size >= MIN_VALUE_CHARACTERS ? documentCandidate(probe) : undefined);
    return candidate ? judge(candidate, probe.complete, ctx) : undefined;
  },
});
