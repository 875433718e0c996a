/**
 * UTF-16 and UTF-32 text without a byte-order mark (Windows and Java programs
 * write UTF-16 so; so do phones' exports). Without the mark the encoding and
 * byte order are read from the code units themselves: text in either order is made of the blocks scripts
 * live in (Latin, Greek, Cyrillic, Georgian, Hebrew, Arabic, Indic, Thai, Tibetan, Ethiopic, kana, CJK,
 * hangul, punctuation, full-width forms) with separators (spaces, line breaks, or the ideographic
 * full stop and commas of Chinese and Japanese, which use no spaces) and next to no control character.
 * Random or binary 16-bit units land outside those blocks about a third of the time and hit a control
 * within a few units, so a file must keep that up over every unit read. The separators counted are
 * units no 8-bit text can produce (each holds a NUL, a C0 control or 0xFF), so a legacy code page's text
 * misread two bytes at a time (Shift_JIS reads as CJK ideographs in UTF-16BE) never finds one.
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

/**
 * Blocks of less used scripts and forms, believed only over MIN_UNITS_FOR_PUNCTUATION units or more: with them
 * about 72 % of random units are in a block instead of 60 %, too many for a run of a dozen units.
 */
const MORE_TEXT_BLOCKS: ReadonlyArray<readonly [number, number]> = [
  [0x0700, 0x08ff], // Syriac, Thaana, N'Ko, Samaritan, Arabic extended
  [0x0f00, 0x10ff], // Tibetan, Myanmar, Georgian
  [0x1200, 0x139f], // Ethiopic
  [0x1780, 0x18af], // Khmer, Mongolian
  [0x1d00, 0x1dff], // phonetic extensions, combining marks supplement
  [0x2c00, 0x2e7f], // Glagolitic, Latin extended C, Coptic, Georgian supplement, supplemental punctuation
  [0x2e80, 0x2fdf], // CJK and Kangxi radicals
  [0xa640, 0xa69f], // Cyrillic extended B
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfb00, 0xfdcf], // alphabetic and Arabic presentation forms A
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xfe70, 0xfefc], // Arabic presentation forms B
];
/** Tab, line feed, carriage return, form feed and escape: text uses them (ANSI colours in logs, page breaks). */
function isTextControl(c: number): boolean {
  return c === 9 || c === 10 || c === 13 || c === 12 || c === 27;
}

/**
 * Separators of words or sentences: spaces and line breaks, the ideographic space, comma and full stop,
 * the full-width comma, full stop, colon, semicolon, question and exclamation marks, and Arabic's comma,
 * question mark and full stop. Each code unit holds a NUL, a C0 control byte or 0xFF in both byte orders.
 */
function isSeparator(c: number): boolean {
  return (
    isSpace(c) ||
    (c >= 0x3000 && c <= 0x3002) ||
    c === 0xff01 ||
    c === 0xff0c ||
    c === 0xff0e ||
    c === 0xff1a ||
    c === 0xff1b ||
    c === 0xff1f ||
    c === 0x060c ||
    c === 0x061f ||
    c === 0x06d4
  );
}

/** Below this many units only spaces and line breaks count as separators (random units hit the punctuation marks). */
const MIN_UNITS_FOR_PUNCTUATION = 32;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 10 || c === 13 || c === 9;
}

/** No unit above ASCII may be more than one in this many of the units read. */
const MAX_REPEAT_SHARE_INVERSE = 2;

/** Units not in a text block a text may hold: one in this many (a stray symbol, a private-use glyph), none when short. */
const ODD_UNIT_RATIO = 128;

function isTextUnit(c: number, long: boolean): boolean {
  if (isTextControl(c)) return true;
  for (const [lo, hi] of TEXT_BLOCKS) if (c >= lo && c <= hi) return true;
  if (long) for (const [lo, hi] of MORE_TEXT_BLOCKS) if (c >= lo && c <= hi) return true;
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
      if (!isTextUnit(c, units >= MIN_UNITS_FOR_PUNCTUATION) && !(c >= 0x10000 && c <= 0x10ffff)) break;
      if (isSeparator(c)) spaces++;
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
  const unit = (i: number): number =>
    littleEndian ? bytes[2 * i]! | (bytes[2 * i + 1]! << 8) : (bytes[2 * i]! << 8) | bytes[2 * i + 1]!;
  const long = units >= MIN_UNITS_FOR_PUNCTUATION;
  let separators = 0;
  let odd = 0;
  const maxOdd = Math.floor(units / ODD_UNIT_RATIO);
  // How often each unit above ASCII occurs: text varies, a repeated byte pair (tabs read two at a time as
  // U+0909, a run of 0x11 bytes as U+1111) does not.
  const seen = new Map<number, number>();
  let most = 0;
  for (let i = 0; i < units; i++) {
    const c = unit(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      // A high surrogate must be followed by a low one (emoji and rare ideographs); the probe may cut the pair.
      if (i + 1 === units) break;
      const n = unit(i + 1);
      if (n < 0xdc00 || n > 0xdfff) return false;
      i++;
      continue;
    }
    if (isSeparator(c)) {
      if (long || isSpace(c)) separators++;
    } else if (!isTextUnit(c, long) && ++odd > maxOdd) return false;
    if (c > 0x7f) {
      const count = (seen.get(c) ?? 0) + 1;
      seen.set(c, count);
      if (count > most) most = count;
    }
  }
  return separators > 0 && most * MAX_REPEAT_SHARE_INVERSE <= units;
}
