/**
 * Text in a legacy code page: Latin-1/Windows-1252, the double-byte CJK code
 * pages (EUC-KR/CP949, Big5/HKSCS, Shift_JIS, EUC-JP, GBK/GB18030, Johab) and
 * 7-bit ISO-2022 with shift codes. Such bytes are not UTF-8, so the UTF-8
 * sniffer rejects them; libmagic knows them only when no chance magic matched
 * first (CPython's cp949 test text was "DOS executable (COM)", its Johab one
 * "OpenPGP Public Key").
 *
 * The evidence is what binary data lacks: no NUL and no C0 control character
 * other than tab, line feed, carriage return, form feed and escape (random,
 * compressed or encrypted bytes hold one in nine), plus a positive sign of
 * text: mostly printable ASCII with a few high bytes (a European code page),
 * words of high bytes between spaces and punctuation (Cyrillic, Greek, Arabic,
 * Hebrew or Thai in a single-byte code page), a strict decode in one of the
 * WHATWG CJK decoders (made mostly of each code page's common characters when
 * the text has no space, as Chinese and Japanese need none), or ISO-2022 designations.
 */

/** The CJK decoders tried, each a superset of its family (euc-kr is CP949, big5 includes HKSCS). */
const CJK = ['euc-kr', 'big5', 'shift_jis', 'euc-jp', 'gb18030'] as const;

/** A short text is believed from this many double-byte characters, nearly all common ones. */
const MIN_SHORT_PAIRS = 6;
const MIN_COMMON_SHARE = 0.9;

/**
 * Lead and trail byte ranges of each code page's most used characters: the
 * symbol rows, kana, hangul, and the first level of hanzi/kanji (GB 2312
 * level 1, Big5's frequent characters, JIS X 0208 level 1, KS X 1001 hangul).
 * Random pairs fall there about one time in five.
 */
const COMMON: Record<(typeof CJK)[number], Array<[number, number, number, number]>> = {
  gb18030: [
    [0xa1, 0xa9, 0xa1, 0xfe],
    [0xb0, 0xd7, 0xa1, 0xfe],
  ],
  big5: [
    [0xa1, 0xa3, 0x40, 0xfe],
    [0xa4, 0xc6, 0x40, 0xfe],
  ],
  shift_jis: [
    [0x81, 0x83, 0x40, 0xfc],
    [0x88, 0x98, 0x40, 0xfc],
  ],
  'euc-jp': [
    [0xa1, 0xa5, 0xa1, 0xfe],
    [0xb0, 0xcf, 0xa1, 0xfe],
  ],
  'euc-kr': [
    [0xa1, 0xa3, 0xa1, 0xfe],
    [0xb0, 0xc8, 0xa1, 0xfe],
  ],
};

/** Under this many bytes a control-free run is too likely by chance (1 in 10 for 20 random bytes). */
const MIN_BYTES = 12;
/** A double-byte decode is believed from this many bytes on (a random run this long almost never avoids controls). */
const MIN_CJK_BYTES = 64;
/** From this many control-free bytes on, the absence of controls alone tells text (random: 1 in 10^12 at 256 bytes). */
const MIN_ANY_BYTES = 256;
/** Single-byte code pages under MIN_CJK_BYTES need more ASCII (12 random bytes pass 0.1% of the time). */
const MIN_ASCII_SHARE_SHORT = 0.8;
/** Share of printable ASCII for single-byte (European) code pages: text there is mostly ASCII. */
const MIN_ASCII_SHARE = 0.6;

/**
 * Share of high bytes next to another high byte in a mostly-ASCII text read as CJK. Chinese, Japanese and
 * Korean characters follow one another (uchardet's and enca's test texts: over 80 %, Big5's ASCII-range
 * trail bytes included); European accents sit alone between ASCII letters (under 20 %).
 */
const MIN_PAIRED_HIGH = 0.5;
/**
 * A short single-byte text in a non-Latin script: at least this many bytes and spaces or line breaks (random
 * bytes: 3 in 24 about one time in 8,000, and control-free one time in 30), and this many words of high bytes
 * (Belarusian in enca's test data: 25 bytes, 4 words).
 */
const MIN_WORDS_BYTES = 20;
const MIN_WORD_SPACES = 3;
const MIN_HIGH_WORDS = 3;
/** Share of letter runs that are not all high bytes allowed in such a text, and of runs that mix both kinds (random runs often mix). */
const MAX_OTHER_SHARE = 0.25;

const NON_LATIN = 'single-byte, non-Latin script (ISO-8859, windows-125x, KOI8, DOS)';

/**
 * CJK text without a space or line break is believed from this many bytes (16 characters) on, and when its
 * byte pairs vary (fuzzing inputs of 12–16 repeated high bytes decode as Shift_JIS or GB18030).
 */
const MIN_UNSPACED_BYTES = 32;

/** Whether the byte pairs (aligned from the start) vary: four different ones at least, none a third of them. */
function variedPairs(bytes: Uint8Array): boolean {
  const counts = new Map<number, number>();
  let most = 0;
  let pairs = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2, pairs++) {
    const pair = (bytes[i]! << 8) | bytes[i + 1]!;
    const count = (counts.get(pair) ?? 0) + 1;
    counts.set(pair, count);
    most = Math.max(most, count);
  }
  return counts.size >= 4 && most * 3 <= pairs;
}

/** `encodings`: the CJK code pages that decode it strictly (several may, likeliest first), or the single-byte family. */
export type LegacyText = { encodings: string[]; asciiShare: number };

export function legacyText(bytes: Uint8Array): LegacyText | undefined {
  if (bytes.length < MIN_BYTES) return undefined;
  // ESC $ designates a multi-byte set (ISO 2022): then SO/SI switch to and from it.
  const iso2022 = indexOfEscDollar(bytes) >= 0;
  let ascii = 0;
  let high = 0;
  let space = 0;
  for (const b of bytes) {
    if (b === 0x20 || b === 9 || b === 10 || b === 13) space++;
    if (b >= 0x80) high++;
    else if ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13) ascii++;
    else if (b === 12 || b === 27) continue;
    else if (iso2022 && (b === 0x0e || b === 0x0f)) continue;
    else return undefined;
  }
  const asciiShare = ascii / bytes.length;
  if (iso2022 && high === 0) return { encodings: ['iso-2022'], asciiShare };
  if (high === 0) return undefined; // plain ASCII is UTF-8, read elsewhere
  // Without spaces or line breaks only Chinese or Japanese text made of common characters is believed:
  // bytes all from 0x80 up (not text in any code page) decode as GB18030 pairs nearly always.
  if (space === 0) {
    if (bytes.length < MIN_UNSPACED_BYTES || !variedPairs(bytes)) return undefined;
    const cjk = CJK.filter((label) => mostlyCommonCharacters(label, bytes) && decodesStrictly(label, bytes));
    return cjk.length > 0 ? { encodings: byCommonShare(cjk, bytes), asciiShare } : undefined;
  }
  const minShare = bytes.length >= MIN_CJK_BYTES ? MIN_ASCII_SHARE : MIN_ASCII_SHARE_SHORT;
  if (bytes.length >= MIN_CJK_BYTES) {
    // Mostly ASCII with a few accented letters also decodes as CJK pairs (an accent and the ASCII letter after
    // it): a European code page, unless the high bytes come in runs, as CJK characters do.
    const european = asciiShare >= minShare && pairedHighShare(bytes) < MIN_PAIRED_HIGH;
    const cjk = european ? [] : CJK.filter((label) => decodesStrictly(label, bytes));
    if (cjk.length > 0) return { encodings: byCommonShare(cjk, bytes), asciiShare };
  } else {
    // Short: a strict decode alone is too likely by chance, but text is made of the common characters.
    const cjk = CJK.filter((label) => mostlyCommonCharacters(label, bytes) && decodesStrictly(label, bytes));
    if (cjk.length > 0) return { encodings: byCommonShare(cjk, bytes), asciiShare };
  }
  if (asciiShare >= minShare) return { encodings: ['single-byte (ISO-8859, windows-125x)'], asciiShare };
  if (space >= MIN_WORD_SPACES && bytes.length >= MIN_WORDS_BYTES && wordShaped(bytes))
    return { encodings: [NON_LATIN], asciiShare };
  // Johab, JIS X 0213 and other code pages without a decoder here.
  if (bytes.length >= MIN_ANY_BYTES) return { encodings: ['a code page not decoded here'], asciiShare };
  return undefined;
}

/**
 * Whether the letter runs (split at ASCII spaces, digits and punctuation) are words of one kind: all high
 * bytes (a non-Latin script in a single-byte code page) or all ASCII letters, at least MIN_HIGH_WORDS of
 * them high. Random bytes mix the two kinds within nearly every run.
 */
function wordShaped(bytes: Uint8Array): boolean {
  let highWords = 0;
  let mixed = 0;
  let words = 0;
  let hasHigh = false;
  let hasAscii = false;
  let length = 0;
  const close = (): void => {
    if (length >= 2) {
      words++;
      if (hasHigh && hasAscii) mixed++;
      else if (hasHigh) highWords++;
    }
    hasHigh = hasAscii = false;
    length = 0;
  };
  for (const b of bytes) {
    if (b >= 0x80) hasHigh = true;
    else if ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) hasAscii = true;
    else {
      close();
      continue;
    }
    length++;
  }
  close();
  return highWords >= MIN_HIGH_WORDS && words - highWords <= MAX_OTHER_SHARE * words && mixed <= Math.floor(words / 50);
}

/** The share of bytes from 0x80 up that have a neighbour from 0x80 up. */
function pairedHighShare(bytes: Uint8Array): number {
  let high = 0;
  let paired = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! < 0x80) continue;
    high++;
    if ((i > 0 && bytes[i - 1]! >= 0x80) || (i + 1 < bytes.length && bytes[i + 1]! >= 0x80)) paired++;
  }
  return high === 0 ? 0 : paired / high;
}

/**
 * The most frequent characters of each code page's language, as its byte pairs: function words and particles
 * (Chinese 的一是不了…, Japanese の に は を…, Korean 이 다 는 의…). In real text they are one character in six
 * or more; read in another code page the same pairs are rare characters. They name the code page, where the
 * decoders alone cannot (most CJK text decodes strictly in three or four of them).
 */
const FREQUENT: Record<(typeof CJK)[number], ReadonlySet<number>> = {
  gb18030: new Set([
    0xb5c4, 0xd2bb, 0xcac7, 0xb2bb, 0xc1cb, 0xd4da, 0xc8cb, 0xd3d0, 0xced2, 0xcbfb, 0xd5e2, 0xb8f6, 0xc3c7, 0xd6d0,
    0xc0b4, 0xc9cf, 0xb4f3, 0xceaa, 0xbacd, 0xb9fa,
  ]),
  big5: new Set([
    0xaaba, 0xa440, 0xac4f, 0xa4a3, 0xa446, 0xa662, 0xa448, 0xa6b3, 0xa7da, 0xa54c, 0xb36f, 0xadd3, 0xadcc, 0xa4a4,
    0xa8d3, 0xa457, 0xa46a, 0xacb0, 0xa94d, 0xb0ea,
  ]),
  'euc-jp': new Set([
    0xa4ce, 0xa4cb, 0xa4cf, 0xa4f2, 0xa4bf, 0xa4ac, 0xa4c7, 0xa4c6, 0xa4c8, 0xa4b7, 0xa4a4, 0xa4eb, 0xa4ab, 0xa4ca,
    0xa4c3,
  ]),
  shift_jis: new Set([
    0x82cc, 0x82c9, 0x82cd, 0x82f0, 0x82bd, 0x82aa, 0x82c5, 0x82c4, 0x82c6, 0x82b5, 0x82a2, 0x82e9, 0x82a9, 0x82c8,
    0x82c1,
  ]),
  'euc-kr': new Set([
    0xc0cc, 0xb4d9, 0xb4c2, 0xc0c7, 0xbfa1, 0xc7cf, 0xb0a1, 0xb0ed, 0xc0bb, 0xc1f6, 0xb1e2, 0xb7ce, 0xbcad, 0xc7d1,
    0xc0d6,
  ]),
};

/** The code pages ordered by the share of their language's frequent characters, then of common ones: likeliest first. */
function byCommonShare(labels: Array<(typeof CJK)[number]>, bytes: Uint8Array): string[] {
  return labels
    .map((label, order) => ({ label, order, ...commonShare(label, bytes) }))
    .sort((a, b) => b.frequent - a.frequent || b.share - a.share || a.order - b.order)
    .map((e) => e.label);
}

/** Whether the double-byte characters (read as pairs from each high lead byte) are nearly all common ones. */
function mostlyCommonCharacters(label: (typeof CJK)[number], bytes: Uint8Array): boolean {
  const { pairs, share } = commonShare(label, bytes);
  return pairs >= MIN_SHORT_PAIRS && share >= MIN_COMMON_SHARE;
}

/**
 * The double-byte characters read as pairs from each high lead byte, the share that are common ones, and the
 * share that are the language's most frequent characters.
 */
function commonShare(
  label: (typeof CJK)[number],
  bytes: Uint8Array,
): { pairs: number; share: number; frequent: number } {
  const ranges = COMMON[label];
  const frequentSet = FREQUENT[label];
  let pairs = 0;
  let common = 0;
  let frequent = 0;
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i]!;
    if (lead < 0x80) continue;
    // Shift_JIS's half-width katakana are single bytes.
    if (label === 'shift_jis' && lead >= 0xa1 && lead <= 0xdf) continue;
    const trail = bytes[++i];
    if (trail === undefined) break;
    // GB18030's four-byte sequences (a digit as second byte) are one character, not two pairs.
    if (label === 'gb18030' && trail >= 0x30 && trail <= 0x39) {
      i += 2;
      pairs++;
      continue;
    }
    pairs++;
    if (frequentSet.has((lead << 8) | trail)) frequent++;
    if (ranges.some(([l0, l1, t0, t1]) => lead >= l0 && lead <= l1 && trail >= t0 && trail <= t1)) common++;
  }
  return pairs === 0 ? { pairs, share: 0, frequent: 0 } : { pairs, share: common / pairs, frequent: frequent / pairs };
}

function indexOfEscDollar(bytes: Uint8Array): number {
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0x1b && bytes[i + 1] === 0x24) return i;
  return -1;
}

/** A strict decode, allowing the probe edges to cut one double-byte character. */
function decodesStrictly(label: (typeof CJK)[number], bytes: Uint8Array): boolean {
  const decoder = new TextDecoder(label, { fatal: true });
  for (const [start, end] of [
    [0, bytes.length],
    [0, bytes.length - 1],
    [1, bytes.length],
    [1, bytes.length - 1],
  ] as const) {
    try {
      decoder.decode(bytes.subarray(start, end));
      return true;
    } catch {
      // not this alignment
    }
  }
  return false;
}
