/**
 * The streaming XML plist decoder against `plist.parse` (plist@5.0.0), the
 * decoder it replaces: generated plists written by plist's own `build`, every
 * XML plist committed in the repository, plist's quirks one by one, random
 * tag soup, and malformed or hostile input (which must throw an Error, never
 * hang or overflow the stack).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { build, parse } from 'plist';
import { describe, expect, it } from 'vitest';
import { decodePlist } from './plist.js';
import { decodeXmlPlist } from './xml-plist.js';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Runs a decoder; xmldom logs recoverable errors to the console, which is silenced here. */
function outcome(decode: (text: string) => unknown, text: string): Outcome {
  const log = console.error;
  console.error = () => {};
  try {
    return { ok: true, value: decode(text) };
  } catch (error) {
    return { ok: false, error };
  } finally {
    console.error = log;
  }
}

/** saxes reports well-formedness errors as "line:column: message". */
const isXmlError = (e: unknown) => e instanceof Error && /^\d+:\d+: /.test(e.message);

/** Both decoders give deep-equal values, or both throw an Error. */
function expectSame(text: string): Outcome {
  const old = outcome(parse, text);
  const neu = outcome(decodeXmlPlist, text);
  if (old.ok) {
    expect(neu).toStrictEqual(old);
  } else {
    expect(neu.ok, `plist.parse threw ${String(old.error)}, decodeXmlPlist returned`).toBe(false);
    if (!neu.ok) expect(neu.error).toBeInstanceOf(Error);
  }
  return neu;
}

// XML 1.1 line ends, which xmldom turns into "\n" in every document and we keep in XML 1.0 ones (tested below).
const XML11_LINE_ENDS = /[\u0085\u2028\u2029]/;

// Strings mixing XML-special characters, whitespace, markup look-alikes and non-ASCII text (BMP and astral).
const xmlText = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(
        '<',
        '>',
        '&',
        '"',
        "'",
        ']]>',
        '<![CDATA[',
        '<!--',
        '&amp;',
        ' ',
        '\t',
        '\n',
        '\r\n',
        '__proto__',
      ),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 4 }),
    ),
    maxLength: 12,
  })
  .filter((t) => !XML11_LINE_ENDS.test(t));

const plistValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    xmlText,
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double(),
    fc.boolean(),
    fc.uint8Array({ maxLength: 40 }),
    fc.date({ noInvalidDate: true, min: new Date(-8.64e14), max: new Date(8.64e14) }),
    tie('array'),
    tie('dict'),
  ),
  array: fc.array(tie('value'), { maxLength: 5 }),
  dict: fc.dictionary(xmlText, tie('value'), { maxKeys: 5 }),
}));

/** Files under `dir` (skipping node_modules and dot-folders), depth-first. */
function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile() && statSync(path).size <= 1 << 20) out.push(path);
  }
  return out;
}

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

describe('decodeXmlPlist against plist.parse', () => {
  it('decodes generated plists (plist build, pretty and compact) to the same values', () => {
    fc.assert(
      fc.property(plistValue.value, fc.boolean(), (value, pretty) => {
        const text = build(value as never, { pretty });
        const got = expectSame(text);
        // build writes only plists plist.parse reads back (or refuses a __proto__ key).
        if (!got.ok) expect(String(got.error)).toContain('__proto__');
      }),
      { numRuns: 400 },
    );
  });

  it('decodes every XML plist committed in the repository the same way (or both refuse it)', () => {
    const roots = ['packages', 'test', 'examples', 'docs'].map((d) => join(repo, d));
    const plists = roots
      .flatMap((r) => walk(r))
      .filter((p) => /\.(plist|xml)$/i.test(p) || !/\.[a-z]+$/i.test(p))
      .map((p) => ({ p, text: readFileSync(p).toString('utf8') }))
      .filter(({ text }) => text.includes('<plist') && !text.startsWith('bplist'));
    const decoded = plists.filter(({ text }) => expectSame(text).ok).map(({ p }) => relative(repo, p));
    // The committed fixtures: good and truncated plists in parsers, iOS backups, the sample extraction.
    expect(plists.length).toBeGreaterThanOrEqual(8);
    expect(decoded.length).toBeGreaterThanOrEqual(6);
  });

  it.each([
    ['empty root', '<plist/>'],
    ['empty root with whitespace', '<plist version="1.0">\n</plist>'],
    ['several root values, nulls kept', '<plist><null/><true/><string>a</string></plist>'],
    ['a single null root', '<plist><null/></plist>'],
    ['array drops nulls', '<plist><array><null/><false/><null/></array></plist>'],
    ['dict keeps nulls', '<plist><dict><key>a</key><null/></dict></plist>'],
    ['trailing key gets ""', '<plist><dict><key>a</key><true/><key>b</key></dict></plist>'],
    [
      'duplicate keys, last wins',
      '<plist><dict><key>a</key><integer>1</integer><key>a</key><integer>2</integer></dict></plist>',
    ],
    [
      'keys named like Object.prototype members',
      '<plist><dict><key>constructor</key><string>x</string><key>toString</key><true/><key>hasOwnProperty</key><false/></dict></plist>',
    ],
    [
      'text, CDATA and comments in containers are ignored',
      '<plist><dict>junk<!--c--><![CDATA[x]]><key>a</key>more<array>t<!--c--></array></dict></plist>',
    ],
    [
      'string joins text and CDATA, skips comments and nested elements',
      '<plist><string>a<!--c-->b<![CDATA[<c>]]><x>y</x>d</string></plist>',
    ],
    ['empty leaves', '<plist><array><string/><key/><data/><string></string></array></plist>'],
    [
      'key reads its first child only',
      '<plist><dict><key>a<!--c-->b</key><true/><key><!--c-->d</key><true/><key><![CDATA[e]]>f</key><true/></dict></plist>',
    ],
    ['key with an element first: null, dropped by array', '<plist><array><key><x/></key><key>k</key></array></plist>'],
    [
      'integer reads its first child',
      '<plist><array><integer>12<!---->3</integer><integer> -7 </integer><integer>0x10</integer><integer>1e3</integer><integer>abc</integer></array></plist>',
    ],
    ['integer with an element first is NaN', '<plist><integer><x/></integer></plist>'],
    [
      'real joins text only',
      '<plist><array><real>1.<!---->5</real><real><![CDATA[2.5]]></real><real>-0.0</real><real>inf</real><real>1e400</real></array></plist>',
    ],
    ['data ignores whitespace and CDATA', '<plist><data>\n\tSGVs\n  bG8=\n<![CDATA[AAAA]]></data></plist>'],
    ['data without padding', '<plist><data>QQ</data></plist>'],
    [
      'an unparseable date is an invalid Date',
      '<plist><array><date>yesterday</date><date>&#65;</date></array></plist>',
    ],
    ['date reads its first child', '<plist><array><date>2024-02-29T12:00:00Z</date><date><x/></date></array></plist>'],
    [
      'entities and character references',
      '<plist><dict><key>a&amp;b&lt;&#x1F600;</key><string>&quot;&apos;&gt;&#233;</string></dict></plist>',
    ],
    ['line endings are normalised', '<plist><string>a\r\nb\rc</string></plist>'],
    [
      'attributes are ignored',
      '<plist version="1.0"><dict a="1"><key b="2">k</key><string c="3">v</string></dict></plist>',
    ],
    [
      'prolog and doctype',
      '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<!-- c -->\n<?pi x?>\n<plist><true/></plist>\n<!-- after -->\n',
    ],
    [
      'a nested plist element is an array keeping nulls',
      '<plist><array><plist><null/><true/></plist><plist/></array></plist>',
    ],
    [
      'processing instructions in containers act as empty elements',
      '<plist><array><?true x?><?string?><?dict?><?array?><?data?></array></plist>',
    ],
    ['a processing instruction as a dict key', '<plist><dict><?key?><string>v</string></dict></plist>'],
    ['processing-instruction data as a key', '<plist><dict><key><?pi body?></key><string>v</string></dict></plist>'],
    [
      'an empty CDATA section is no node',
      '<plist><array><key><![CDATA[]]><?pi d?></key><string><![CDATA[]]></string><data><![CDATA[]]></data></array></plist>',
    ],
    ['an empty comment is a node', '<plist><array><key><!---->x</key><string><!----></string></array></plist>'],
    [
      'elements nested in leaves are not read',
      '<plist><array><true><bogus/></true><string><dict><key>k</key></dict></string></array></plist>',
    ],
  ])('quirk: %s', (_name, text) => {
    const got = expectSame(text);
    expect(got.ok).toBe(true);
  });

  it('keeps U+0085, U+2028 and U+2029 in XML 1.0 text, where xmldom made them line feeds', () => {
    const text = '<plist><string>a\u0085b\u2028c\u2029d\r\ne</string></plist>';
    expect(parse(text)).toBe('a\nb\nc\nd\ne');
    expect(decodeXmlPlist(text)).toBe('a\u0085b\u2028c\u2029d\ne');
    // XML 1.1 documents get XML 1.1 line-end handling (U+0085 and U+2028, not U+2029).
    expect(decodeXmlPlist(`<?xml version="1.1"?>${text}`)).toBe('a\nb\nc\u2029d\ne');
  });

  it.each([
    ['the root is not <plist>', '<dict/>'],
    ['unknown tag', '<plist><dict><key>a</key><foo/></dict></plist>'],
    ['prefixed tag', '<plist xmlns:x="urn:x"><x:string>a</x:string></plist>'],
    [
      'unknown processing-instruction target in a container',
      '<plist><array><?xml-stylesheet href="a"?></array></plist>',
    ],
    ['missing key', '<plist><dict><string>a</string></dict></plist>'],
    ['two keys in a row', '<plist><dict><key>a</key><key>b</key></dict></plist>'],
    ['__proto__ key', '<plist><dict><key>__proto__</key><dict><key>polluted</key><true/></dict></dict></plist>'],
    ['empty integer', '<plist><integer/></plist>'],
    ['empty real', '<plist><real></real></plist>'],
    ['empty date', '<plist><date/></plist>'],
    ['an integer holding only an empty CDATA section', '<plist><integer><![CDATA[]]></integer></plist>'],
    ['bad base64', '<plist><data>!!!</data></plist>'],
    ['truncated', '<?xml version="1.0"?><plist><dict><key>a</key><string>b'],
    ['mismatched tags', '<plist><dict><key>a</key><string>b</dict></string></plist>'],
    ['empty document', ''],
    ['two roots', '<plist><true/></plist><plist/>'],
    ['duplicate attribute', '<plist a="1" a="2"><true/></plist>'],
  ])('refuses: %s', (_name, text) => {
    const got = expectSame(text);
    expect(got.ok).toBe(false);
    expect(() => decodeXmlPlist(text)).toThrow(Error);
  });

  it('never accepts random tag soup that plist.parse reads differently', () => {
    const token = fc.constantFrom(
      '<dict>',
      '</dict>',
      '<array>',
      '</array>',
      '<plist>',
      '</plist>',
      '<key>',
      '</key>',
      '<string>',
      '</string>',
      '<integer>',
      '</integer>',
      '<real>',
      '</real>',
      '<data>',
      '</data>',
      '<date>',
      '</date>',
      '<true/>',
      '<false/>',
      '<null/>',
      '<dict/>',
      '<array/>',
      '<key/>',
      '<string/>',
      '<foo/>',
      '<true>',
      '</true>',
      '<null>',
      '</null>',
      'k',
      '12',
      ' 3.5',
      'QUJD',
      '2020-01-01T00:00:00Z',
      '__proto__',
      ' ',
      '\n',
      '&amp;',
      '&#65;',
      '<![CDATA[x]]>',
      '<![CDATA[]]>',
      '<!--c-->',
      '<!---->',
      '<?pi d?>',
      '<?pi  sp  ?>',
      '<?true?>',
      '<?key?>',
      '<?dict?>',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (tokens) => {
        const text = `<plist>${tokens.join('')}</plist>`;
        const old = outcome(parse, text);
        const neu = outcome(decodeXmlPlist, text);
        if (neu.ok) {
          expect(old).toStrictEqual(neu);
        } else {
          expect(neu.error).toBeInstanceOf(Error);
          // A plist-structure refusal is plist's own; only well-formedness may be stricter than xmldom.
          if (!isXmlError(neu.error)) expect(old.ok).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('truncations and byte edits of a real plist either decode the same or throw an Error', () => {
    const text = build({
      name: 'Ünïcode & <tags>',
      list: [1, 2.5, true, new Uint8Array([1, 2, 3])],
      nested: { when: new Date(0), empty: {} },
    });
    const prolog = text.indexOf('<plist');
    fc.assert(
      fc.property(
        fc.nat(text.length),
        fc.nat(text.length),
        fc.constantFrom('', '<', '>', '/', '&', 'x', ']]>'),
        (cut, at, insert) => {
          const edited = text.slice(0, at) + insert + text.slice(at + 1);
          for (const variant of [text.slice(0, cut), edited]) {
            const neu = outcome(decodeXmlPlist, variant);
            const old = outcome(parse, variant);
            if (!neu.ok) expect(neu.error).toBeInstanceOf(Error);
            // saxes skips over the DOCTYPE without checking its ids, which xmldom refuses when an edit breaks them.
            else if (!old.ok && variant === edited && at < prolog) expect(String(old.error)).toMatch(/doctype/i);
            else expect(old).toStrictEqual(neu);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('decodeXmlPlist on hostile input', () => {
  const DEPTH = 100_000;

  it('refuses 100,000 nested arrays with an Error, without overflowing the stack', () => {
    const text = `<plist>${'<array>'.repeat(DEPTH)}${'</array>'.repeat(DEPTH)}</plist>`;
    expect(() => decodeXmlPlist(text)).toThrow(/nested deeper than 256/);
  });

  it('refuses 100,000 nested dicts, left unclosed, with an Error', () => {
    const text = `<plist>${'<dict><key>k</key>'.repeat(DEPTH)}`;
    expect(() => decodeXmlPlist(text)).toThrow(Error);
  });

  it('skips 100,000 elements nested inside a string iteratively and reads the text', () => {
    const text = `<plist><string>a${'<x>'.repeat(DEPTH)}${'</x>'.repeat(DEPTH)}b</string></plist>`;
    expect(decodeXmlPlist(text)).toBe('ab');
  });

  it('decodes nesting up to the limit and refuses one level more', () => {
    const nest = (n: number) => `<plist>${'<array>'.repeat(n - 1)}${'</array>'.repeat(n - 1)}</plist>`;
    let v = decodeXmlPlist(nest(256));
    let depth = 1;
    while (Array.isArray(v) && v.length > 0) {
      v = v[0];
      depth++;
    }
    expect(depth).toBe(255); // the root <plist> unwraps its single child
    expect(() => decodeXmlPlist(nest(257))).toThrow(/nested deeper than 256/);
    expect(decodeXmlPlist(nest(2), { maxDepth: 2 })).toStrictEqual([]);
    expect(() => decodeXmlPlist(nest(3), { maxDepth: 2 })).toThrow(/nested deeper than 2/);
  });

  it('does not pollute Object.prototype', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const text = `<plist><dict><key>${key}</key><dict><key>polluted</key><true/></dict></dict></plist>`;
      try {
        decodeXmlPlist(text);
      } catch {
        // __proto__ is refused
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  // A quadratic decoder would take minutes here and fail on the test timeout; no wall-clock bound of our own.
  it('decodes a large flat plist (100,000 keys)', () => {
    const entries = Array.from({ length: 100_000 }, (_, i) => `<key>k${i}</key><integer>${i}</integer>`).join('');
    const v = decodeXmlPlist(`<plist><dict>${entries}</dict></plist>`) as Record<string, number>;
    expect(Object.keys(v)).toHaveLength(100_000);
    expect(v.k99999).toBe(99_999);
  });
});

describe('decodePlist routing', () => {
  it('sends XML to decodeXmlPlist and OpenStep to plist.parse', () => {
    const xml = build({ a: [1, 'two'] });
    expect(decodePlist(Buffer.from(xml))).toStrictEqual({ a: [1, 'two'] });
    expect(decodePlist(Buffer.from('  { a = (1, "two"); }'))).toStrictEqual(parse('  { a = (1, "two"); }'));
    expect(decodePlist(Buffer.from('("x", "y")'))).toStrictEqual(['x', 'y']);
  });

  it('reports malformed XML with a line and column', () => {
    expect(() => decodePlist(Buffer.from('<plist><dict></plist>'))).toThrow(/^1:\d+: /);
  });

  it('accepts a UTF-8 byte-order mark before the XML declaration, which xmldom refused', () => {
    const text =
      '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>a</key><true/></dict></plist>';
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expect(outcome(parse as (t: string) => unknown, withBom.toString('utf8')).ok).toBe(false);
    expect(decodePlist(withBom)).toStrictEqual({ a: true });
  });

  it('does not expand entities declared in an internal DTD subset', () => {
    const lol = '<!DOCTYPE plist [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>';
    expect(() => decodePlist(Buffer.from(`${lol}<plist><string>&b;</string></plist>`))).toThrow(/undefined entity/i);
  });

  it('still refuses text that claims to be a binary plist', () => {
    expect(() => decodePlist(Buffer.from('bplist15 not really'))).toThrow(/bad magic/);
  });
});
