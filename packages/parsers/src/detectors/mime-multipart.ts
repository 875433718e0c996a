/**
 * MIME multipart bodies whose parts hold binary data: an HTTP response or upload kept whole (a camera's
 * `multipart/x-mixed-replace` motion-JPEG stream, ffmpeg's `mpjpeg`, a browser's saved form post), or a body
 * cut from a message. The file starts with a delimiter line ("--" and a boundary of 1–70 characters, RFC 2046
 * §5.1.1), then each part's header lines, an empty line and the part's bytes, up to the next delimiter.
 * A match needs the first part's headers to be MIME header fields and its end to be found: the delimiter again
 * right after the bytes a Content-Length header counts, or within the bytes read, or (a binary part larger than the
 * bytes read: a browser's upload of a photo) the closing delimiter "--boundary--" in the file's last bytes. Bodies
 * whose parts are all text
 * are left to the text detector; the parts' content is what a MIME reader (or any tool that splits on the
 * boundary) opens, so analysable.
 */
import { isUtf8 } from 'node:buffer';
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain } from './util.js';

const FORMAT = { id: 'mime-multipart', name: 'MIME multipart body with binary parts' } as const;

/** RFC 2046 bchars: digits, letters and '()+_,-./:=? and space (not last). */
const DELIMITER = /^--([0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?])\r?\n/;
/** A header field: a name of printable characters other than the colon, then a colon. */
const FIELD = /^[!-9;-~]+:[ \t]?/;
/** Header lines of the first part read at most (a part's headers are a few lines). */
const MAX_HEADER_BYTES = 4096;

interface Part {
  headers: Map<string, string>;
  bodyAt: number;
}

/** The delimiter line at the start (after an optional CRLF): its boundary and where the first part starts. */
function openingDelimiter(h: Uint8Array): { boundary: string; at: number } | undefined {
  const start = h[0] === 0x0d && h[1] === 0x0a ? 2 : 0;
  const d = DELIMITER.exec(ascii(h, start, start + 80));
  return d ? { boundary: d[1]!, at: start + d[0].length } : undefined;
}

/** The header fields of the part at `at` (MIME fields, at least one Content-*), and where its bytes start. */
function partAt(h: Uint8Array, at: number): Part | undefined {
  const headers = new Map<string, string>();
  const block = ascii(h, at, at + MAX_HEADER_BYTES);
  let i = 0;
  for (;;) {
    const eol = block.indexOf('\n', i);
    if (eol < 0) return undefined;
    const line = block.slice(i, eol).replace(/\r$/, '');
    i = eol + 1;
    if (line === '') break;
    // A folded line continues the field before it.
    if (/^[ \t]/.test(line) && headers.size > 0) continue;
    if (!FIELD.test(line)) return undefined;
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  if (![...headers.keys()].some((k) => k.startsWith('content-'))) return undefined;
  // Latin-1 text has one character a byte, so string offsets are byte offsets.
  return { headers, bodyAt: at + i };
}

/**
 * Where the part's bytes end (before "\r\n--boundary" or "\n--boundary") and where the next part starts, when the
 * head shows it. A Content-Length that the head covers must land on the delimiter.
 */
function partEnd(
  h: Uint8Array,
  part: Part,
  delimiter: Buffer,
): { end: number; next: number; byLength: boolean } | undefined {
  const bytes = Buffer.from(h.buffer, h.byteOffset, h.length);
  const delimiterAt = (end: number) => end + (h[end] === 0x0d && h[end + 1] === 0x0a ? 2 : h[end] === 0x0a ? 1 : 0);
  const length = Number(part.headers.get('content-length') ?? NaN);
  let end: number;
  let byLength = false;
  if (Number.isInteger(length) && length >= 0 && part.bodyAt + length + 2 + delimiter.length <= h.length) {
    end = part.bodyAt + length;
    const at = delimiterAt(end);
    if (at === end || bytes.indexOf(delimiter, at) !== at) return undefined;
    byLength = true;
  } else {
    const found = bytes.indexOf(delimiter, part.bodyAt);
    if (found < 0 || h[found - 1] !== 0x0a) return undefined;
    end = found - (h[found - 2] === 0x0d ? 2 : 1);
  }
  const after = delimiterAt(end) + delimiter.length;
  // "--boundary--" closes the body; "--boundary" and a line end starts the next part.
  if (h[after] === 0x2d && h[after + 1] === 0x2d) return { end, next: -1, byLength };
  const next = after + (h[after] === 0x0d && h[after + 1] === 0x0a ? 2 : h[after] === 0x0a ? 1 : 0);
  return { end, next: next === after ? -1 : next, byLength };
}

/** Parts followed through the head at most: enough for the text fields a form puts before its files. */
const MAX_PARTS = 32;

/** The closing delimiter ("--boundary--" on a line of its own) within the file's last bytes. */
function closesInTail(tail: Uint8Array, delimiter: Buffer): boolean {
  const bytes = Buffer.from(tail.buffer, tail.byteOffset, tail.length);
  const at = bytes.lastIndexOf(Buffer.concat([Buffer.from('\n'), delimiter, Buffer.from('--')]));
  return at >= 0 && /^(\r?\n)*$/.test(bytes.subarray(at + delimiter.length + 3).toString('latin1'));
}

interface BinaryPart {
  boundary: string;
  part: Part;
  /** The part's length, or undefined when it runs past the bytes read (the body closes in the file's last bytes). */
  bytes: number | undefined;
  index: number;
  byLength: boolean;
}

function firstBinaryPart(h: Uint8Array, tail: Uint8Array): BinaryPart | undefined {
  const opening = openingDelimiter(h);
  if (!opening) return undefined;
  const delimiter = Buffer.from(`--${opening.boundary}`, 'latin1');
  for (let at = opening.at, index = 0; at >= 0 && index < MAX_PARTS; index++) {
    const part = partAt(h, at);
    if (!part) return undefined;
    const end = partEnd(h, part, delimiter);
    if (!end) {
      // A part longer than the head: binary up to the head's end (less a character the cut may split), and the
      // body's closing delimiter at the file's end.
      const seen = h.subarray(part.bodyAt, Math.max(part.bodyAt, h.length - 3));
      if (tail.length === 0 || seen.length < 64 || isUtf8(seen) || !closesInTail(tail, delimiter)) return undefined;
      return { boundary: opening.boundary, part, bytes: undefined, index, byLength: false };
    }
    // Text parts throughout make a text file, which the text detector names.
    if (!isUtf8(h.subarray(part.bodyAt, end.end)))
      return { boundary: opening.boundary, part, bytes: end.end - part.bodyAt, index, byLength: end.byLength };
    at = end.next;
  }
  return undefined;
}

export const mimeMultipartDetector = defineDetector({
  meta: {
    id: 'mime-multipart',
    version: '1.1.0',
    title: 'MIME multipart bodies with binary parts (motion-JPEG streams, saved HTTP bodies)',
    formats: [{ ...FORMAT, status: 'analysable', how: 'structure', extensions: ['mjpg', 'mjpeg', 'mpjpeg'] }],
  },
  minSize: 16,
  priority: 45,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h[0] !== 0x2d && h[0] !== 0x0d) return undefined;
    const found = firstBinaryPart(h, probe.tail);
    if (!found) return undefined;
    const { boundary, part, bytes, index, byLength } = found;
    const type = part.headers.get('content-type') ?? 'none given';
    return plain('analysable', {
      ...FORMAT,
      confidence: 0.85,
      code: 'MIME_MULTIPART_BODY',
      message:
        `A MIME multipart body: delimiter "--${boundary}"; part ${index + 1} has ${part.headers.size} header ` +
        `field${part.headers.size > 1 ? 's' : ''} (Content-Type: ${type}) and ` +
        (bytes === undefined
          ? `binary data past the ${h.length} bytes read; the body's closing delimiter "--${boundary}--" ends the file.`
          : `${bytes} bytes of binary data that end at the next delimiter${byLength ? ', where its Content-Length says' : ''}.`),
      figures: {
        binaryPart: index + 1,
        ...(bytes === undefined ? { closedAtEnd: true } : { binaryPartBytes: bytes }),
        headerFields: part.headers.size,
      },
    });
  },
});
