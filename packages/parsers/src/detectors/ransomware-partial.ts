/**
 * Documents partly encrypted by ransomware, whatever the family. To go fast, most families encrypt only
 * the start of a file (LockBit, BlackCat's "HeadOnly", Conti and Babuk above a size, STOP's first
 * 150 KiB) or stripes of it, and many append their wrapped key after it. What stays is the file's own
 * end: a PDF's `startxref` and `%%EOF`, a ZIP's (DOCX, XLSX, ODT...) central directory and end record,
 * a JPEG's end-of-image marker, a PNG's IEND chunk. A document whose end is intact while its first 4 KiB, where its own
 * header belongs, are uniformly random bytes was not damaged: it was encrypted from the start. Without
 * the file's own header the PDF, ZIP and JPEG readers salvage the intact part and call it readable, and
 * the statistics call it compressed. Checks, all needed:
 * - one of the name's extensions (`report.pdf.lockbit`, `q3.xlsx.id[1A2B].[mail].phobos`, `photo.jpg`)
 *   names the format whose end structure is found;
 * - that end structure, within the last 4 KiB of the file (a ransom footer may follow it): for a PDF
 *   `%%EOF` with `startxref` and a number before it; for a ZIP the end record whose central directory
 *   size and offset end exactly at it, its first entry "PK\1\2" where the probe holds it; for a JPEG
 *   ff d9; for a PNG the 12-byte IEND chunk with its fixed CRC;
 * - the first 4 KiB (and every following 4 KiB window counted, to report how far) are uniformly random
 *   by the statistics' own test (entropy, chi-square, deflate ratio) and do not start with the format's magic.
 * Encrypted, partial scope; the family is not known from the bytes (ID Ransomware names it from the
 * extension, the ransom note and the footer). Fixtures: fixtures/ransomware-partial/generate.sh.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';
import { isRandom } from './statistics-figures.js';
import { ascii, endOfFile, locked, u16le, u32le } from './util.js';

const WINDOW = 4096;
const FOOTER_ALLOWANCE = 4096;
const FORMAT = {
  id: 'ransomware-partially-encrypted',
  name: 'Document partly encrypted by ransomware (random start, intact end)',
};

const ZIP_NAMES = new Set(['zip', 'docx', 'xlsx', 'pptx', 'docm', 'xlsm', 'pptm', 'odt', 'ods', 'odp', 'epub', 'jar']);
const PDF_NAMES = new Set(['pdf']);
const JPEG_NAMES = new Set(['jpg', 'jpeg']);
const PNG_NAMES = new Set(['png']);
/** PNG's last chunk: length 0, "IEND", its CRC. */
const IEND = Uint8Array.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** Every extension in the name: `q3.xlsx.id[1A2B].[a@b.c].phobos` gives xlsx, id[1a2b], [a@b, c], phobos. */
const extensions = (name: string) => new Set(name.toLowerCase().split('.').slice(1));

interface Trailer {
  format: 'PDF' | 'ZIP' | 'JPEG' | 'PNG';
  /** File offset where the intact structure ends; what follows is an appended footer. */
  endsAt: number;
  what: string;
}

function pdfTrailer(probe: Probe): Trailer | undefined {
  const { bytes, at } = endOfFile(probe);
  const window = ascii(bytes.subarray(Math.max(0, bytes.length - FOOTER_ALLOWANCE - 1024)));
  const eof = window.lastIndexOf('%%EOF');
  if (eof < 0) return undefined;
  const m = /startxref\s+(\d+)\s+$/.exec(window.slice(Math.max(0, eof - 64), eof));
  if (!m) return undefined;
  const xref = Number(m[1]);
  let offset = at + (bytes.length - window.length) + eof + 5;
  // The end of line after %%EOF is the PDF's own.
  for (let k = 0; k < 2 && (bytes[offset - at] === 0x0d || bytes[offset - at] === 0x0a); k++) offset++;
  if (xref <= 0 || xref >= offset) return undefined;
  return { format: 'PDF', endsAt: offset, what: `"startxref ${xref}" and "%%EOF"` };
}

function zipTrailer(probe: Probe): Trailer | undefined {
  const { bytes, at } = endOfFile(probe);
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - FOOTER_ALLOWANCE - 0xffff); i--) {
    if (bytes[i] !== 0x50 || bytes[i + 1] !== 0x4b || bytes[i + 2] !== 5 || bytes[i + 3] !== 6) continue;
    const entries = u16le(bytes, i + 10) ?? 0;
    const cdSize = u32le(bytes, i + 12) ?? 0;
    const cdOffset = u32le(bytes, i + 16) ?? 0;
    const comment = u16le(bytes, i + 20) ?? 0;
    const eocd = at + i;
    // Encrypted from the start, not moved: the central directory ends where the end record begins.
    if (entries === 0 || cdOffset + cdSize !== eocd || eocd + 22 + comment > probe.size) continue;
    const local = cdOffset - at;
    if (local >= 0 && (bytes[local] !== 0x50 || bytes[local + 1] !== 0x4b || bytes[local + 2] !== 1)) continue;
    return {
      format: 'ZIP',
      endsAt: eocd + 22 + comment,
      what: `the end record of a ${entries}-entry central directory at ${cdOffset}`,
    };
  }
  return undefined;
}

function jpegTrailer(probe: Probe): Trailer | undefined {
  const { bytes, at } = endOfFile(probe);
  for (let i = bytes.length - 2; i >= Math.max(0, bytes.length - 2 - FOOTER_ALLOWANCE); i--) {
    if (bytes[i] !== 0xff || bytes[i + 1] !== 0xd9) continue;
    // An end-of-image marker ending the file, or followed by a footer that is not JPEG data (no ff xx marker run).
    return { format: 'JPEG', endsAt: at + i + 2, what: 'the end-of-image marker ff d9' };
  }
  return undefined;
}

function pngTrailer(probe: Probe): Trailer | undefined {
  const { bytes, at } = endOfFile(probe);
  for (let i = bytes.length - IEND.length; i >= Math.max(0, bytes.length - IEND.length - FOOTER_ALLOWANCE); i--) {
    if (IEND.every((v, k) => bytes[i + k] === v))
      return { format: 'PNG', endsAt: at + i + IEND.length, what: 'the IEND chunk (with its CRC)' };
  }
  return undefined;
}

const MAGIC: Record<Trailer['format'], (h: Uint8Array) => boolean> = {
  PDF: (h) => ascii(h.subarray(0, 1024)).includes('%PDF-'),
  ZIP: (h) => h[0] === 0x50 && h[1] === 0x4b,
  JPEG: (h) => h[0] === 0xff && h[1] === 0xd8,
  PNG: (h) => h[0] === 0x89 && h[1] === 0x50 && h[2] === 0x4e && h[3] === 0x47,
};

/** How many bytes from the start are uniformly random, in whole windows, within the head. */
function uniformPrefix(head: Uint8Array, limit: number): number {
  let n = 0;
  while (n + WINDOW <= Math.min(head.length, limit) && isRandom(randomnessFigures([head.subarray(n, n + WINDOW)])))
    n += WINDOW;
  return n;
}

export const ransomwarePartialDetector = defineDetector({
  meta: {
    id: 'ransomware-partial',
    version: '1.0.0',
    title: 'Documents partly encrypted by ransomware: a random start before an intact PDF, ZIP, JPEG or PNG end',
    formats: [{ ...FORMAT, status: 'encrypted', how: 'structure' }],
  },
  minSize: 2 * WINDOW,
  priority: 10,
  signatures: [
    { offset: 0, fromEnd: true, within: FOOTER_ALLOWANCE + 1024, ascii: '%%EOF' },
    { offset: 0, fromEnd: true, within: 16_384, hex: '504b0506' },
    { offset: 0, fromEnd: true, within: FOOTER_ALLOWANCE, hex: 'ffd9' },
    { offset: 0, fromEnd: true, within: FOOTER_ALLOWANCE, hex: '49454e44ae426082' },
  ],
  detect(probe): Detection | undefined {
    const names = extensions(probe.name);
    const trailer =
      ([...names].some((e) => PDF_NAMES.has(e)) ? pdfTrailer(probe) : undefined) ??
      ([...names].some((e) => ZIP_NAMES.has(e)) ? zipTrailer(probe) : undefined) ??
      ([...names].some((e) => JPEG_NAMES.has(e)) ? jpegTrailer(probe) : undefined) ??
      ([...names].some((e) => PNG_NAMES.has(e)) ? pngTrailer(probe) : undefined);
    if (!trailer || MAGIC[trailer.format](probe.head)) return undefined;
    // The intact part must read as the format, not as more random bytes: a file random throughout (encrypted
    // whole by another tool) whose last bytes happen to hold ff d9 is no partly encrypted JPEG.
    const { bytes, at } = endOfFile(probe);
    const before = bytes.subarray(Math.max(0, trailer.endsAt - at - WINDOW), trailer.endsAt - at);
    if (before.length < WINDOW / 2 || isRandom(randomnessFigures([before]))) return undefined;
    const random = uniformPrefix(probe.head, trailer.endsAt - WINDOW);
    if (random < WINDOW) return undefined;
    const footer = probe.size - trailer.endsAt;
    const reach = random >= probe.head.length - (probe.head.length % WINDOW);
    return locked({
      ...FORMAT,
      confidence: 0.93,
      code: 'RANSOMWARE_RANDOM_START_INTACT_END',
      message: `Partly encrypted, as ransomware leaves documents: the name says ${trailer.format} and the file still ends with ${trailer.what}${footer > 0 ? `, followed by ${footer} appended bytes (the family's footer, often the wrapped key)` : ''}, but ${reach ? 'at least ' : ''}its first ${random} bytes, where the ${trailer.format} header belongs, are uniformly random (an app that encrypts only file headers leaves the same pattern; the name's appended extension and a ransom note in the folder tell which).`,
      figures: { uniformStartBytes: random, appendedBytes: footer, format: trailer.format },
      scheme: 'ransomware-unknown-family',
      scope: 'partial',
      keyHint: {
        description:
          "The ransomware operators' private key: the file key is wrapped with their public key; nothing in the extraction opens it. Name the family at ID Ransomware (the extension, the ransom note, this file) and look for a decryptor at nomoreransom.org.",
        kind: 'unknown',
        present: 'no',
      },
    });
  },
});
