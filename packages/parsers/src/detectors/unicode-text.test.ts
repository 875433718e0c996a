import { describe, expect, it } from 'vitest';
import { bomlessUtf16 } from './unicode-text.js';

describe('bomlessUtf16', () => {
  it('reads CJK text separated only by ideographic punctuation', () => {
    const text = Buffer.from('データ交換方式、ファイル形式として、一般的にUTF-8は使われる傾向にある。', 'utf16le');
    expect(bomlessUtf16(text)).toBe('utf-16le');
    text.swap16();
    expect(bomlessUtf16(text)).toBe('utf-16be');
  });

  it('refuses a repeated byte pair (tabs read two at a time are U+0909, a Devanagari letter)', () => {
    const tabs = Buffer.alloc(200, 0x09);
    tabs[0] = 0x01;
    tabs[1] = 0x6e;
    tabs[100] = 0x00; // a tab code unit (00 09) as the separator
    expect(bomlessUtf16(tabs)).toBeUndefined();
  });

  it('counts the less used blocks and punctuation separators only over 32 units', () => {
    // Georgian with an ideographic full stop: 40 units are text, 8 are too few without a space.
    const georgian = Buffer.from('ქართული ენა'.replace(' ', '。').repeat(4), 'utf16le');
    expect(bomlessUtf16(georgian)).toBe('utf-16le');
    expect(bomlessUtf16(georgian.subarray(0, 16))).toBeUndefined();
  });
});
