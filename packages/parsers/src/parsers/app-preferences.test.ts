import { describe, expect, it } from 'vitest';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { readSharedPrefs } from './app-preferences.js';

/** The element regex readSharedPrefs used before (a lazy body to the closing tag), as the reference. */
function byLazyRegex(text: string): Array<[string, string | number | boolean]> {
  const out: Array<[string, string | number | boolean]> = [];
  for (const m of text.matchAll(
    /<(string|int|long|float|boolean)\s+name="([^"]*)"(?:\s+value="([^"]*)")?\s*(?:\/>|>([\s\S]*?)<\/\1>)/g,
  )) {
    const [, type, name, value, body] = m;
    if (type === 'string') out.push([name!, (body ?? '').slice(0, 200)]);
    else if (type === 'boolean') out.push([name!, value === 'true']);
    else if (value !== undefined && Number.isFinite(Number(value))) out.push([name!, Number(value)]);
  }
  return out;
}

describe('Android shared_prefs read element by element', () => {
  it('reads what the lazy regex read, on generated maps with unclosed, nested and self-closed elements', () => {
    const units = [
      '<string name="a">x</string>',
      '<string name="b">',
      '</string>',
      '<int name="n" value="7" />',
      '<boolean name="f" value="true"/>',
      '<long name="l">',
      '</long>',
      '<float name="g" value="1.5" />',
      'text',
      '<string name="c" />',
      '<set name="s">',
      '</set>',
    ];
    const bytes = seededBytes(37, 6_000);
    for (let i = 0; i < bytes.length; i += 30) {
      const text =
        '<?xml version="1.0"?>\n<map>\n' +
        [...bytes.subarray(i, i + 30)].map((b) => units[b % units.length]).join('\n') +
        '\n</map>\n';
      expect(readSharedPrefs(text)).toEqual(byLazyRegex(text));
    }
  });

  it('many opening tags with no close are read in one pass (the lazy regex searched to the end from each)', () => {
    // 200,000 unclosed elements then one closed: the regex took time quadratic in their number (500,000 in
    // 8.5 MB held the parser to its deadline).
    const text = '<map>\n' + '<string name="a">'.repeat(200_000) + '<int name="n" value="3" />\n</map>\n';
    expect(readSharedPrefs(text)).toEqual([['n', 3]]);
  });

  it('a character reference past U+10FFFF is kept as written, not a failure of the whole file', () => {
    const text = '<map><string name="a">&#x110000;&amp;&#65;</string><int name="n" value="1"/></map>';
    expect(readSharedPrefs(text)).toEqual([
      ['a', '&#x110000;&A'],
      ['n', 1],
    ]);
  });
});
