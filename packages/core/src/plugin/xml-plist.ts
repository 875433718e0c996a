/**
 * XML property-list decoder that streams `saxes` events into plist values,
 * without building a DOM.
 *
 * Why: `plist@5`'s `parse` builds a full `@xmldom/xmldom` DOM and xmldom
 * recompiles its grammar regexes for every document; on the 100,000-file
 * bench tree that was ~22% of the scan's main thread. Measured on 794 XML
 * plists of that tree (mean 3.8 KiB, warm, one process, median of 5 passes):
 * plist.parse 1.12 ms/file, this decoder 0.20 ms/file (5.5x), a bare saxes
 * pass with no-op handlers 0.10-0.12 ms/file; the rest is building the values
 * (mostly adding ~64 distinct keys per dict to plain objects, as plist does).
 *
 * Contract: for every well-formed XML plist nested no deeper than `maxDepth`
 * (below), the result is the value `plist.parse` (plist@5.0.0,
 * `dist/parse.js`) returns, down to its quirks, which the differential tests
 * in `xml-plist.test.ts` hold it to:
 * - the root must be `<plist>`; one child is returned as is, several as an
 *   array (nulls kept), none as `[]`;
 * - text, CDATA and comments directly inside `<plist>`, `<dict>` and
 *   `<array>` are ignored; a processing instruction there counts as an empty
 *   element named by its target (xmldom's `nodeName`);
 * - `<dict>`: keys and values alternate (else throw), a trailing key gets
 *   `""`, a `__proto__` key is refused (CVE-2022-22912, as plist does);
 * - `<array>` drops null values (`<null/>`, and a `<key>` whose first child
 *   is an element); a nested `<plist>` is an array that keeps them;
 * - `<key>`, `<integer>` and `<date>` read only their first child node's
 *   value (text, CDATA, comment or processing-instruction data; `null` for an
 *   element; an empty CDATA section is no node, an empty comment is);
 *   `<string>` joins text and CDATA; `<real>` and `<data>` join
 *   text only; `<data>` is base64 (whitespace removed, `atob`) into a
 *   `Uint8Array`; elements nested in these are skipped unread;
 * - any other element name (prefixes included) throws `Invalid PLIST tag`.
 *
 * One deliberate difference on well-formed input: xmldom turns U+0085, U+2028
 * and U+2029 into "\n" in every document (XML 1.1 line ends, and U+2029 is
 * not even one); saxes applies XML 1.0 line-end handling to XML 1.0 documents
 * and keeps those characters, as the evidence holds them.
 *
 * Where this differs from plist.parse on malformed input: saxes is a
 * strict XML 1.0 parser, so what XML does not allow (bare `&`, undefined
 * entities, `<` or `]]>` in text, control characters, text after the root
 * element) throws here, where xmldom logged to stderr and carried on; callers
 * record the error as a per-item diagnostic. The other way round, saxes
 * skips the DOCTYPE without checking its public and system ids, and accepts
 * a byte-order mark before the XML declaration; xmldom refused both. Entities
 * declared in an internal DTD subset are not expanded (saxes refuses them as
 * undefined), so entity-expansion bombs cannot cost anything.
 *
 * Hostile input: saxes and this decoder are iterative (explicit stacks), so
 * work is linear in the input and nesting cannot overflow the call stack;
 * nesting of plist values is bounded by `maxDepth` (the binary decoder's
 * budget, bplist-guard.ts) so consumers that walk the value recursively are
 * safe too (plist.parse itself overflowed the stack, a RangeError, between
 * 3,000 and 5,000 nested arrays); dictionaries are plain objects filled only through keys that are
 * not `__proto__`.
 *
 * Format: Apple's PropertyList-1.0 DTD
 * (http://www.apple.com/DTDs/PropertyList-1.0.dtd) and the `plist` package's
 * reading of it.
 */
import type { SaxesTagPlain } from 'saxes';
import { saxesModule } from '../lazy-require.js';
import { DEFAULT_BPLIST_LIMITS } from './bplist-guard.js';

/** Budgets for an XML plist, with units. */
export interface XmlPlistLimits {
  /** Nesting of `plist`, `dict` and `array` elements (the root `plist` counts), at most. */
  maxDepth: number;
}

/** Default budgets: the same nesting limit as binary plists (256). */
export const DEFAULT_XML_PLIST_LIMITS: Readonly<XmlPlistLimits> = Object.freeze({
  maxDepth: DEFAULT_BPLIST_LIMITS.maxDepth,
});

const enum Kind {
  Plist,
  Dict,
  Array,
  Leaf,
}

/** What a leaf element's direct children held, as far as plist reads them. */
const enum Child {
  None,
  Value,
  Element,
}

const CONTAINERS: ReadonlyMap<string, Kind> = new Map([
  ['plist', Kind.Plist],
  ['dict', Kind.Dict],
  ['array', Kind.Array],
]);
const LEAVES = new Set(['key', 'string', 'integer', 'real', 'data', 'date', 'true', 'false', 'null']);

/** One open element. Containers collect values; leaves collect their direct children's text. */
class Frame {
  /** Array under construction (plist, array). */
  readonly items: unknown[] | undefined;
  /** Object under construction (dict). */
  readonly dict: Record<string, unknown> | undefined;
  /** Dict: non-ignored children seen so far (even: a key is due). */
  counter = 0;
  /** Dict: the last key read. */
  key: unknown = null;
  /** Leaf: direct child nodes seen (text, CDATA, comments, PIs, elements). */
  childCount = 0;
  /** Leaf: what the first child was. */
  firstKind = Child.None;
  /** Leaf: the first child's node value. */
  firstValue = '';
  /** Leaf: text and CDATA joined (`<string>`). */
  textAndCdata = '';
  /** Leaf: text only joined (`<real>`, `<data>`). */
  textOnly = '';
  /** Leaf: depth inside elements nested in the leaf, which plist never reads. */
  skip = 0;

  constructor(
    readonly name: string,
    readonly kind: Kind,
  ) {
    this.items = kind === Kind.Plist || kind === Kind.Array ? [] : undefined;
    this.dict = kind === Kind.Dict ? {} : undefined;
  }

  /** Records a direct child node of a leaf. */
  child(kind: Child, value: string): void {
    if (this.childCount++ === 0) {
      this.firstKind = kind;
      this.firstValue = value;
    }
  }
}

function fail(message: string): never {
  throw new Error(message);
}

function base64ToBytes(base64: string): Uint8Array {
  // atob, as plist uses: the same padding leniency and the same errors.
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The value of a closed leaf element, as plist's `parsePlistXML` computes it. */
function leafValue(f: Frame): unknown {
  const empty = f.childCount === 0;
  const first = f.firstKind === Child.Element ? null : f.firstValue;
  switch (f.name) {
    case 'key':
      if (empty) return '';
      if (first === '__proto__') fail('__proto__ keys can lead to prototype pollution. More details on CVE-2022-22912');
      return first;
    case 'string':
      return f.textAndCdata;
    case 'integer':
      if (empty) fail('Cannot parse "" as integer.');
      return parseInt(first as string, 10);
    case 'real':
      if (empty) fail('Cannot parse "" as real.');
      return parseFloat(f.textOnly);
    case 'data':
      return base64ToBytes(f.textOnly.replace(/\s+/g, ''));
    case 'date':
      if (empty) fail('Cannot parse "" as Date.');
      return new Date(first as string);
    case 'true':
      return true;
    case 'false':
      return false;
    default: // 'null'; other names were refused when they opened
      return null;
  }
}

/**
 * Decodes an XML plist (text) into the value `plist.parse` returns for it:
 * dicts are plain objects, arrays arrays, `<data>` a `Uint8Array`, `<date>` a
 * `Date`. Throws an `Error` on malformed XML (saxes' message with line and
 * column), on structure plist refuses, and past `limits.maxDepth`.
 */
export function decodeXmlPlist(text: string, limits: Readonly<XmlPlistLimits> = DEFAULT_XML_PLIST_LIMITS): unknown {
  const parser = new (saxesModule().SaxesParser)({ xmlns: false, position: true });
  const stack: Frame[] = [];
  let containers = 0;
  let rootSeen = false;
  let result: unknown;
  let done = false;

  /** Hands a finished value to the open container (or the document). */
  const deliver = (value: unknown): void => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      // The root <plist> closed: one value is unwrapped, as plist does.
      const items = value as unknown[];
      result = items.length === 1 ? items[0] : items;
      done = true;
      return;
    }
    if (parent.kind === Kind.Plist) {
      parent.items!.push(value);
    } else if (parent.kind === Kind.Array) {
      if (value != null) parent.items!.push(value);
    } else {
      // Dict; alternation was checked when the child opened.
      if (parent.counter % 2 === 0) parent.key = value;
      else parent.dict![parent.key as string] = value;
      parent.counter++;
    }
  };

  /** Checks a new child of the open container and returns its kind. */
  const open = (name: string): Kind => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      if (rootSeen || name !== 'plist') fail('malformed document. First element should be <plist>');
      rootSeen = true;
    } else if (parent.kind === Kind.Dict) {
      if (parent.counter % 2 === 0) {
        if (name !== 'key') fail('Missing key while parsing <dict/>.');
      } else if (name === 'key') {
        fail('Unexpected <key> while parsing <dict/>. Keys and values must alternate.');
      }
    }
    const kind = CONTAINERS.get(name);
    if (kind !== undefined) {
      if (++containers > limits.maxDepth) fail(`XML plist nested deeper than ${limits.maxDepth} containers`);
      return kind;
    }
    if (!LEAVES.has(name)) fail(`Invalid PLIST tag ${name}`);
    return Kind.Leaf;
  };

  const close = (f: Frame): void => {
    if (f.kind === Kind.Leaf) {
      deliver(leafValue(f));
      return;
    }
    containers--;
    if (f.kind === Kind.Dict) {
      if (f.counter % 2 === 1) f.dict![f.key as string] = '';
      deliver(f.dict);
    } else {
      deliver(f.items);
    }
  };

  parser.on('opentag', (tag: SaxesTagPlain) => {
    const top = stack[stack.length - 1];
    if (top !== undefined && top.kind === Kind.Leaf) {
      // plist never reads elements inside a leaf; only note that one is there.
      if (top.skip++ === 0) top.child(Child.Element, '');
      return;
    }
    const frame = new Frame(tag.name, open(tag.name));
    stack.push(frame);
  });
  parser.on('closetag', () => {
    const top = stack[stack.length - 1]!;
    if (top.skip > 0) {
      top.skip--;
      return;
    }
    stack.pop();
    close(top);
  });
  parser.on('text', (t: string) => {
    const top = stack[stack.length - 1];
    if (top === undefined || top.kind !== Kind.Leaf || top.skip > 0) return;
    top.child(Child.Value, t);
    top.textAndCdata += t;
    top.textOnly += t;
  });
  parser.on('cdata', (t: string) => {
    const top = stack[stack.length - 1];
    // xmldom makes no node of an empty CDATA section, so it is not a first child either.
    if (top === undefined || top.kind !== Kind.Leaf || top.skip > 0 || t === '') return;
    top.child(Child.Value, t);
    top.textAndCdata += t;
  });
  parser.on('comment', (t: string) => {
    const top = stack[stack.length - 1];
    if (top === undefined || top.kind !== Kind.Leaf || top.skip > 0) return;
    top.child(Child.Value, t);
  });
  parser.on('processinginstruction', (pi: { target: string; body: string }) => {
    const top = stack[stack.length - 1];
    if (top === undefined) return; // prolog or epilogue
    if (top.kind === Kind.Leaf) {
      if (top.skip === 0) top.child(Child.Value, pi.body);
      return;
    }
    // In a container xmldom hands plist the PI node itself: an element named by its target, without children.
    const frame = new Frame(pi.target, open(pi.target));
    close(frame);
  });

  parser.write(text).close();
  if (!done) fail('malformed document. First element should be <plist>');
  return result;
}
