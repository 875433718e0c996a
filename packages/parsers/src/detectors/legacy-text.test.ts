import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { legacyText } from './legacy-text.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/text/${name}`, import.meta.url));

describe('legacyText (fixtures converted by iconv, see fixtures/text/generate.sh)', () => {
  it('names the CJK decoder that reads a Shift_JIS text strictly', () => {
    expect(legacyText(fixture('japanese-sjis.txt'))?.encodings).toContain('shift_jis');
  });

  it('reads Korean CP949 and Johab (no Johab decoder here: another decoder or the absence of controls)', () => {
    expect(legacyText(fixture('korean-cp949.txt'))?.encodings.length).toBeGreaterThan(0);
    expect(legacyText(fixture('korean-johab.txt'))).toBeDefined();
  });

  it('from 256 control-free bytes on, text in a code page no decoder reads (CPython EUC-JIS X 0213 text)', () => {
    const jisx = fixture('cpython-euc_jisx0213.txt');
    expect(legacyText(jisx)?.encodings).toEqual(['a code page not decoded here']);
    // Its first 60 bytes: too short for the absence of controls alone, but made of EUC's common kana and
    // kanji, which EUC-JP decodes strictly (a short text is believed only from its common characters).
    expect(legacyText(jisx.subarray(0, 60))?.encodings).toContain('euc-jp');
    // The same 60 bytes with every lead byte moved out of the common rows: no longer believed as EUC-JP.
    // Words of high bytes between spaces remain, which is what a single-byte non-Latin text looks like.
    const rare = Buffer.from(jisx.subarray(0, 60).map((b) => (b >= 0xa1 && b <= 0xcf ? b + 0x30 : b)));
    expect(legacyText(rare)?.encodings).toEqual(['single-byte, non-Latin script (ISO-8859, windows-125x, KOI8, DOS)']);
    // Without its spaces it is not text at all.
    expect(legacyText(Buffer.from(rare.filter((b) => b !== 0x20 && b !== 0x0a)))).toBeUndefined();
  });

  it('accepts SO/SI only with an ISO-2022 designation (ESC $)', () => {
    const iso = fixture('korean-iso2022.txt');
    expect(legacyText(iso)?.encodings).toEqual(['iso-2022']);
    // The same bytes without the designation: SO/SI are then plain control characters.
    const at = iso.indexOf(Buffer.from([0x1b, 0x24]));
    const stripped = Buffer.concat([iso.subarray(0, at), iso.subarray(at + 4)]);
    expect(legacyText(stripped)).toBeUndefined();
  });

  it('calls a Latin-1 text single-byte', () => {
    expect(legacyText(fixture('latin1.txt'))?.encodings).toEqual(['single-byte (ISO-8859, windows-125x)']);
    expect(legacyText(fixture('short-latin1.py'))).toBeDefined();
  });

  it('rejects random bytes, top-bit-only bytes, a NUL, and text that is plain ASCII', () => {
    expect(legacyText(fixture('random.bin'))).toBeUndefined();
    expect(legacyText(fixture('high-bytes.bin'))).toBeUndefined();
    const withNul = Buffer.from(fixture('latin1.txt'));
    withNul[20] = 0;
    expect(legacyText(withNul)).toBeUndefined();
    expect(legacyText(Buffer.from('plain ASCII text\n'))).toBeUndefined();
  });

  it('needs more ASCII from a short single-byte run than from a long one', () => {
    // 16 bytes, 75% printable ASCII: accepted at 64 bytes and more, not below.
    const short = Buffer.from([...Buffer.from('abc def ghi '), 0xe9, 0xe8, 0xe0, 0xf4]);
    expect(legacyText(short)).toBeUndefined();
    expect(legacyText(Buffer.concat([short, short, short, short]))).toBeDefined();
  });

  it('names the likeliest CJK code page first, and a European text single-byte though Shift_JIS decodes it', () => {
    expect(legacyText(fixture('uchardet-zh-big5.txt'))?.encodings[0]).toBe('big5');
    expect(legacyText(fixture('japanese-sjis.txt'))?.encodings[0]).toBe('shift_jis');
    // Korean decodes strictly as EUC-JP, GB18030 and Big5 too: its particles (이 다 는 의…) name EUC-KR.
    const korean = legacyText(fixture('korean-cp949.txt'))?.encodings;
    expect(korean?.length).toBeGreaterThan(1);
    expect(korean?.[0]).toBe('euc-kr');
    expect(legacyText(fixture('uchardet-sl-windows-1250.txt'))?.encodings).toEqual([
      'single-byte (ISO-8859, windows-125x)',
    ]);
  });

  it('reads CJK text without spaces only when made of common characters', () => {
    const big5 = fixture('uchardet-zh-big5.txt');
    expect(big5.includes(0x20) || big5.includes(0x0a)).toBe(false);
    expect(legacyText(big5)).toBeDefined();
    // Every lead byte moved to Big5's rarely used rows: still a strict decode, no longer believed without spaces.
    const rare = Buffer.from(big5.map((b) => (b >= 0xa4 && b <= 0xc6 ? b + 0x20 : b)));
    expect(legacyText(rare)).toBeUndefined();
  });

  it('reads short Cyrillic and Arabic texts from their words of high bytes, not from random bytes', () => {
    expect(legacyText(fixture('enca-be-s.cp1251'))?.encodings[0]).toMatch(/non-Latin/);
    expect(legacyText(fixture('uchardet-ar-iso-8859-6.txt'))?.encodings[0]).toMatch(/non-Latin/);
    // Letters scattered: the same bytes with ASCII letters inside the words are not text.
    const mixed = Buffer.from(fixture('enca-be-s.cp1251').map((b, i) => (b >= 0x80 && i % 3 === 0 ? 0x61 : b)));
    expect(legacyText(mixed)).toBeUndefined();
  });

  it('calls none of 4,000 random buffers of 12 to 256 bytes text', () => {
    let seed = 0x2545f491;
    const next = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    let hits = 0;
    for (let n = 0; n < 4000; n++) {
      const size = 20 + (n % 237);
      const b = Buffer.alloc(size);
      for (let i = 0; i < size; i++) b[i] = next() & 0xff;
      // Random bytes with spaces put in, as words would have them.
      if (n % 2 === 0) for (let i = 5; i < size; i += 7) b[i] = 0x20;
      if (legacyText(b)) hits++;
    }
    expect(hits).toBe(0);
  });

  it('refuses short or repetitive CJK-looking bytes without spaces (fuzzing inputs)', () => {
    // 16 bytes of one Shift_JIS pair repeated, as klauspost/compress's zstd fuzz corpus holds.
    expect(legacyText(Buffer.alloc(16, 0x89))).toBeUndefined();
    expect(legacyText(Buffer.alloc(64, 0x89))).toBeUndefined();
  });
});
