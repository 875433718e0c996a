import { describe, expect, it } from 'vitest';
import { hasInvalidXmlChars, xmlText } from './dfxml.js';

describe('xmlText', () => {
  it('escapes markup and keeps CR, TAB and LF as character references', () => {
    expect(xmlText(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(xmlText('a\rb\tc\nd')).toBe('a&#xD;b&#x9;c&#xA;d');
  });

  it('replaces characters XML 1.0 cannot hold with U+FFFD and says so', () => {
    expect(xmlText('a\u0000b\u001fc\uFFFE')).toBe('a\uFFFDb\uFFFDc\uFFFD');
    expect(xmlText('x\uD800y')).toBe('x\uFFFDy');
    expect(xmlText('emoji \u{1F600}')).toBe('emoji \u{1F600}');
    expect(hasInvalidXmlChars('ctrl\u0001')).toBe(true);
    expect(hasInvalidXmlChars('caf\u00e9 \u{1F600}')).toBe(false);
    expect(hasInvalidXmlChars('caf\u00e9 \u{1F600}')).toBe(false);
  });
});
