/**
 * A PDF cut short (carved, partly downloaded, truncated) loses its end: the
 * trailer, and with it the `/Encrypt` reference, and often the encryption
 * dictionary itself. What is left is judged two ways:
 * - the encryption dictionary found by its own keys in the body: the standard
 *   handler's `/Filter /Standard` with `/O`, `/U` and `/P`, or a public-key
 *   handler (`/Filter /Adobe.PubSec`, `/SubFilter /adbe.pkcs7.s3|s4|s5`);
 * - the streams: a stream declared `/FlateDecode` holds a zlib stream in a
 *   clear PDF, so it starts with a valid zlib header and inflates; encrypted,
 *   its bytes are RC4 or AES output (AES: a 16-byte IV and whole blocks) that
 *   never inflate and are uniformly random. Cross-reference streams are never
 *   encrypted and metadata may be left clear, so neither is judged.
 * Reference: ISO 32000-2 §7.6.2-7.6.3 (what is encrypted), §7.6.4-7.6.5
 * (standard and public-key handlers), §7.4.4 (FlateDecode, RFC 1950).
 */
import zlib from 'node:zlib';
import type { Probe } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';
import { probeWindows } from './util.js';

export interface CutPdfStreams {
  /** Streams declared /FlateDecode whose data (part of it at least) is in the bytes read. */
  judged: number;
  inflating: number;
  /** Judged streams whose length, as far as it is there, is whole AES blocks after a 16-byte IV. */
  aesShaped: number;
  bytes: number;
  chiSquareP: number;
}

/** First bytes of a stream tried: enough for zlib to reject random bytes at once, or to inflate a first block. */
const TRIED = 2048;
const MIN_STREAM_BYTES = 16;

/**
 * The standard or public-key handler's dictionary, found by its own keys, as "Standard" or the handler name.
 * `cutShort`: the text ends where the file was cut; a Standard dictionary still open at that end (no ">>" after
 * /Filter) needs only its owner-password string /O in sight (then /U and /P may be past the cut: ISO 32000-2
 * §7.6.4.4 makes /O, /U and /P required, and /O's 32 or 48 bytes are in no other dictionary beside
 * /Filter /Standard).
 */
export function encryptionDictionaryByKeys(text: string, cutShort = false): string | undefined {
  for (const m of text.matchAll(/\/Filter\s*\/(Standard|Adobe\.PubSec|[\w.]+)\b/g)) {
    const open = text.lastIndexOf('<<', m.index);
    const close = text.indexOf('>>', m.index);
    if (open < 0 || m.index - open > 4096) continue;
    const dict = text.slice(open, close < 0 ? m.index + 4096 : Math.min(close + 2, m.index + 4096));
    if (m[1] === 'Standard' && /\/O\s*[(<]/.test(dict) && /\/U\s*[(<]/.test(dict) && /\/P\s+-?\d/.test(dict))
      return 'Standard';
    // Cut inside the dictionary: /O's whole string (hex: 64 or 96 digits; literal: at least 32 bytes) before the end.
    if (m[1] === 'Standard' && cutShort && close < 0 && text.length - m.index <= 4096)
      if (/\/O\s*(?:<(?:[0-9A-Fa-f]\s*){64}(?:(?:[0-9A-Fa-f]\s*){32})?>|\([\s\S]{32,}?\))/.test(dict))
        return 'Standard';
    if (/\/SubFilter\s*\/adbe\.pkcs7\.s[345]\b|\/Recipients\s*\[/.test(dict) && /\/V\s+\d/.test(dict)) return m[1];
  }
  return undefined;
}

/** Whether the first bytes of a stream are a zlib stream that inflates (a cut end is allowed). */
function inflates(data: Uint8Array): boolean {
  if (data.length < 2 || (data[0]! & 0x0f) !== 8 || ((data[0]! << 8) | data[1]!) % 31 !== 0) return false;
  try {
    const out = zlib.inflateSync(data.subarray(0, TRIED), {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      maxOutputLength: 1 << 20,
    });
    return out.length > 0;
  } catch (e) {
    // More output than the cap is a stream that inflates.
    return (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
  }
}

/** The /FlateDecode streams in the bytes read, and how many inflate. */
export function judgeStreams(probe: Probe): CutPdfStreams {
  let judged = 0;
  let inflating = 0;
  let aesShaped = 0;
  const sampled: Uint8Array[] = [];
  for (const w of probeWindows(probe)) {
    const text = Buffer.from(w.bytes.buffer, w.bytes.byteOffset, w.bytes.byteLength).toString('latin1');
    for (const m of text.matchAll(/>>\s*stream(\r\n|\n|\r)/g)) {
      const start = m.index + m[0].length;
      const dictStart = text.lastIndexOf(' obj', m.index);
      const dict = text.slice(Math.max(dictStart, m.index - 2048, 0), m.index);
      if (!/\/Filter\s*\[?\s*\/FlateDecode\b/.test(dict) || /\/Type\s*\/(XRef|Metadata)\b/.test(dict)) continue;
      if (/\/DecodeParms[^>]*\/Crypt\b|\/Filter\s*\[[^\]]*\/Crypt\b/.test(dict)) continue; // its own crypt filter
      const declared = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
      const endstream = text.indexOf('endstream', start);
      let end = declared ? start + Number(declared[1]) : endstream < 0 ? text.length : endstream;
      end = Math.min(end, text.length);
      if (end - start < MIN_STREAM_BYTES) continue;
      const data = w.bytes.subarray(start, end);
      judged++;
      if (inflates(data)) inflating++;
      else sampled.push(data.subarray(0, TRIED));
      const whole = declared && start + Number(declared[1]) <= text.length;
      if (whole && Number(declared[1]) >= 32 && Number(declared[1]) % 16 === 0) aesShaped++;
    }
  }
  const figures = randomnessFigures(sampled);
  return { judged, inflating, aesShaped, bytes: figures.sampledBytes, chiSquareP: figures.chiSquareP };
}

/**
 * Encrypted streams: at least one /FlateDecode stream judged, none inflating, and their bytes uniform
 * (chi-square p above 0.001: deflate output that failed to inflate for damage is far less even on the whole).
 */
export function streamsLookEncrypted(s: CutPdfStreams): boolean {
  return s.judged > 0 && s.inflating === 0 && s.bytes >= 64 && s.chiSquareP > 0.001;
}

/** The file is cut short when its last bytes hold no end-of-file marker nor a startxref. */
export function pdfEndMissing(endText: string): boolean {
  return !/%%EOF|\bstartxref\b/.test(endText.slice(-2048));
}
