/**
 * A whole file of base16, base32 or base64 text (encoded-text.ts says what
 * counts as one stream). The file itself is readable (an encoding needs no
 * key); the encoded-text container decodes it, and the decoded bytes are
 * identified as an item of their own: a ZIP, a text, or ciphertext that the
 * statistics then judge on the bytes themselves rather than on their letters.
 * Formats with their own armour or prefix (PEM, OpenSSL's `U2FsdGVkX1`,
 * DPAPI's `AQAAANCMnd8B`) are claimed by their detectors with more confidence.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { decodedSize, ENCODING_NAMES, recogniseProbeHead, type EncodingId } from '../encoded-text.js';

/** Above text (0.75), below every detector of a format that is encoded text with a marker of its own. */
const CONFIDENCE = 0.85;

const FORMATS: ReadonlyArray<{ id: EncodingId; extensions: string[] }> = [
  { id: 'base16', extensions: ['hex', 'b16', 'base16', 'txt'] },
  { id: 'base32', extensions: ['b32', 'base32', 'txt'] },
  { id: 'base64', extensions: ['b64', 'base64', 'b64url', 'txt', 'asc'] },
];

export const encodedTextDetector = defineDetector({
  meta: {
    id: 'encoded-text',
    version: '1.0.0',
    title: 'Base16, base32 and base64 text (a whole file of one encoded stream)',
    formats: FORMATS.map((f) => ({
      id: f.id,
      name: ENCODING_NAMES[f.id],
      status: 'analysable' as const,
      how: 'structure' as const,
      mime: 'text/plain',
      extensions: f.extensions,
    })),
  },
  minSize: 128,
  priority: 80,
  detect(probe): Detection | undefined {
    const found = recogniseProbeHead(probe.head, probe.complete);
    if (!found) return undefined;
    // A file larger than the head: its tail must be the same alphabet, ending as the encoding ends.
    if (!probe.complete && probe.tail.length > 0 && !tailAgrees(probe.tail, found.encoding)) return undefined;
    const decoded = decodedSize(found.encoding, found.digits);
    const layout =
      found.lineLength === undefined
        ? 'one unwrapped line'
        : `${probe.complete ? found.lines : `${found.lines}+`} lines of ${found.lineLength} characters`;
    const alphabet = found.urlSafe ? ' (URL-safe alphabet)' : '';
    return {
      format: { id: found.encoding, name: ENCODING_NAMES[found.encoding], mime: 'text/plain' },
      status: 'analysable',
      confidence: CONFIDENCE,
      reasons: [
        {
          code: 'ENCODED_TEXT',
          message:
            `${probe.complete ? 'The whole file is' : 'The file starts and ends as'} ${found.encoding}${alphabet} text, ${layout}: ` +
            `${probe.complete ? '' : 'at least '}${decoded} bytes encoded, an encoding (no key). The decoded bytes are identified as its member.`,
          figures: {
            encoding: found.encoding,
            ...(found.lineLength !== undefined ? { lineLength: found.lineLength } : {}),
            decodedBytes: decoded,
          },
        },
      ],
    };
  },
});

/** The tail of a large file: the same alphabet and line breaks (its first line may be cut, padding at its end). */
function tailAgrees(tail: Uint8Array, encoding: EncodingId): boolean {
  const text = Buffer.from(tail.buffer, tail.byteOffset, tail.length).toString('latin1');
  const alphabet =
    encoding === 'base16'
      ? /^[0-9a-fA-F\r\n]*$/
      : encoding === 'base32'
        ? /^[A-Z2-7\r\n]*=*\s*$/
        : /^[A-Za-z0-9+/_\r\n-]*=*\s*$/;
  return alphabet.test(text);
}
