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
 * a strict decode in one of the WHATWG CJK decoders, or ISO-2022 designations.
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

/** `encodings`: the CJK code pages that decode it strictly (several may), or the single-byte family. */
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
  // Text has spaces or line breaks; bytes all from 0x80 up (not text in any code page) have none.
  if (space === 0) return undefined;
  if (bytes.length >= MIN_CJK_BYTES) {
    const cjk = CJK.filter((label) => decodesStrictly(label, bytes));
    if (cjk.length > 0) return { encodings: cjk, asciiShare };
  } else {
    // Short: a strict decode alone is too likely by chance, but text is made of the common characters.
    const cjk = CJK.filter((label) => mostlyCommonCharacters(label, bytes) && decodesStrictly(label, bytes));
    if (cjk.length > 0) return { encodings: cjk, asciiShare };
  }
  const minShare = bytes.length >= MIN_CJK_BYTES ? MIN_ASCII_SHARE : MIN_ASCII_SHARE_SHORT;
  if (asciiShare >= minShare) return { encodings: ['single-byte (ISO-8859, windows-125x)'], asciiShare };
  // Johab, JIS X 0213 and other code pages without a decoder here.
  if (bytes.length >= MIN_ANY_BYTES) return { encodings: ['a code page not decoded here'], asciiShare };
  return undefined;
}

/** Whether the double-byte characters (read as pairs from each high lead byte) are nearly all common ones. */
function mostlyCommonCharacters(label: (typeof CJK)[number], bytes: Uint8Array): boolean {
  const ranges = COMMON[label];
  let pairs = 0;
  let common = 0;
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i]!;
    if (lead < 0x80) continue;
    // Shift_JIS's half-width katakana are single bytes.
    if (label === 'shift_jis' && lead >= 0xa1 && lead <= 0xdf) continue;
    const trail = bytes[++i];
    if (trail === undefined) break;
    pairs++;
    if (ranges.some(([l0, l1, t0, t1]) => lead >= l0 && lead <= l1 && trail >= t0 && trail <= t1)) common++;
  }
  return pairs >= MIN_SHORT_PAIRS && common >= MIN_COMMON_SHARE * pairs;
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
