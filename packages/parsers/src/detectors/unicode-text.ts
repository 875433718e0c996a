/**
 * UTF-16 and UTF-32 text without a byte-order mark (Windows and Java programs
 * write UTF-16 so; so do phones' exports). Without the mark the encoding and
 * byte order are read from the code units themselves: text in either order is made of the blocks scripts
 * live in (Latin, Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, kana, CJK,
 * hangul, punctuation, full-width forms) with spaces or line breaks and no
 * control character. Random or binary 16-bit units land outside those blocks
 * about half the time and hit a control within a few units, so a file must
 * keep that up over every unit read.
 */

/** At least this many code units: shorter runs are too easily matched. */
const MIN_UNITS = 6;
/** Units read (the sniff runs on every binary file; a control character usually ends it within a few). */
const MAX_UNITS = 2048;

/** Code-point ranges of the writing systems' letters, punctuation and symbols. */
const TEXT_BLOCKS: ReadonlyArray<readonly [number, number]> = [
  [0x0020, 0x007e], // ASCII printable
  [0x00a0, 0x024f], // Latin-1 supplement, Latin extended A and B
  [0x0250, 0x036f], // IPA, spacing modifiers, combining marks
  [0x0370, 0x052f], // Greek, Cyrillic
  [0x0530, 0x06ff], // Armenian, Hebrew, Arabic
  [0x0900, 0x0dff], // Indic scripts
  [0x0e00, 0x0eff], // Thai, Lao
  [0x1e00, 0x1fff], // Latin extended additional, Greek extended
  [0x2000, 0x206f], // general punctuation
  [0x20a0, 0x20cf], // currency
  [0x2100, 0x27bf], // letter-like, arrows, maths, box drawing, shapes, dingbats
  [0x3000, 0x30ff], // CJK punctuation, hiragana, katakana
  [0x3100, 0x33ff], // bopomofo, compatibility jamo, enclosed CJK
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xac00, 0xd7a3], // hangul syllables
  [0xff00, 0xffef], // half-width and full-width forms
];

function isTextUnit(c: number): boolean {
  if (c === 9 || c === 10 || c === 13) return true;
  for (const [lo, hi] of TEXT_BLOCKS) if (c >= lo && c <= hi) return true;
  return false;
}

/** The byte order in which `bytes` read as BOM-less UTF-16 text, or undefined. */
export function bomlessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const units = Math.min(bytes.length >> 1, MAX_UNITS);
  if (units < MIN_UNITS) return undefined;
  if (readsAsText(bytes, units, true)) return 'utf-16le';
  if (readsAsText(bytes, units, false)) return 'utf-16be';
  return undefined;
}

/** The byte order in which `bytes` read as BOM-less UTF-32 text (4-byte code points), or undefined. */
export function bomlessUtf32(bytes: Uint8Array): 'utf-32le' | 'utf-32be' | undefined {
  const units = Math.min(bytes.length >> 2, MAX_UNITS);
  if (units < MIN_UNITS) return undefined;
  for (const littleEndian of [true, false]) {
    let spaces = 0;
    let i = 0;
    for (; i < units; i++) {
      const c = codePoint32(bytes, 4 * i, littleEndian);
      if (!isTextUnit(c) && !(c >= 0x10000 && c <= 0x10ffff)) break;
      if (c === 0x20 || c === 10 || c === 13 || c === 9 || c === 0x3000) spaces++;
    }
    if (i === units && spaces > 0) return littleEndian ? 'utf-32le' : 'utf-32be';
  }
  return undefined;
}

/** The UTF-32 code point at `at` (the bytes are in range). */
export function codePoint32(b: Uint8Array, at: number, littleEndian: boolean): number {
  return littleEndian
    ? (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0
    : ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function readsAsText(bytes: Uint8Array, units: number, littleEndian: boolean): boolean {
  let spaces = 0;
  for (let i = 0; i < units; i++) {
    const lo = bytes[2 * i]!;
    const hi = bytes[2 * i + 1]!;
    const c = littleEndian ? lo | (hi << 8) : (lo << 8) | hi;
    if (c >= 0xd800 && c <= 0xdbff) {
      // A high surrogate must be followed by a low one (emoji and rare ideographs); the probe may cut the pair.
      if (i + 1 === units) break;
      const n = littleEndian
        ? bytes[2 * i + 2]! | (bytes[2 * i + 3]! << 8)
        : (bytes[2 * i + 2]! << 8) | bytes[2 * i + 3]!;
      if (n < 0xdc00 || n > 0xdfff) return false;
      i++;
      continue;
    }
    if (!isTextUnit(c)) return false;
    if (c === 0x20 || c === 10 || c === 13 || c === 9 || c === 0x3000) spaces++;
  }
  return spaces > 0;
}
