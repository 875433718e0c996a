/**
 * Reader for Android Binary XML ("ABX"), the format `packages.xml` and other
 * system state files use since Android 12. A file is the magic `ABX\0`
 * followed by tokens: one byte whose low nibble is the XmlPullParser event
 * (0 start document, 1 end document, 2 start tag, 3 end tag, 4 text, ...,
 * 15 attribute) and whose high nibble is the data type (1 null, 2 string,
 * 3 interned string, 4 hex bytes, 5 base64 bytes, 6 int, 7 hex int, 8 long,
 * 9 hex long, 10 float, 11 double, 12 true, 13 false). Strings are a
 * big-endian u16 length plus (modified) UTF-8; interned strings are a u16
 * index into a table that grows each time the index 0xFFFF is followed by a
 * new string. Numbers are big-endian.
 * Reference: AOSP frameworks/libs/modules-utils `BinaryXmlSerializer.java`,
 * `BinaryXmlPullParser.java` and `FastDataOutput.java` (read, not copied).
 */

/** `ABX\0`: version 0 of the protocol. */
export const ABX_MAGIC = Buffer.from([0x41, 0x42, 0x58, 0x00]);

/** Interned strings kept at most (the writer's index is a u16, 0xFFFF being the escape). */
const MAX_INTERNED = 0xfffe;

export type AbxValue = string | number | bigint | boolean | null | Uint8Array;

export type AbxEvent =
  | { type: 'start'; name: string; attributes: Record<string, AbxValue> }
  | { type: 'end'; name: string }
  | { type: 'text'; text: string };

export class AbxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = 'AbxError';
  }
}

/** Whether the bytes start with the ABX magic. */
export function isAbx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ABX_MAGIC.equals(bytes.subarray(0, 4));
}

const utf8 = new TextDecoder('utf-8');

/**
 * Walks an ABX document, yielding start tags (with their attributes, which
 * follow the start-tag token), end tags and text. Throws an `AbxError` on
 * truncated or malformed input.
 *
 * @example
 * for (const ev of abxEvents(bytes)) if (ev.type === 'start' && ev.name === 'package') console.log(ev.attributes['name']);
 */
export function* abxEvents(bytes: Uint8Array): Generator<AbxEvent, void, undefined> {
  if (!isAbx(bytes)) throw new AbxError('not Android binary XML (no ABX\\0 magic)', 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const interned: string[] = [];
  let pos = 4;
  const need = (n: number) => {
    if (pos + n > bytes.length) throw new AbxError(`truncated: ${n} more byte(s) needed`, pos);
  };
  const u16 = () => {
    need(2);
    const v = view.getUint16(pos);
    pos += 2;
    return v;
  };
  const utf = () => {
    const len = u16();
    need(len);
    const s = utf8.decode(bytes.subarray(pos, pos + len));
    pos += len;
    return s;
  };
  const internedUtf = () => {
    const at = pos;
    const index = u16();
    if (index === 0xffff) {
      const s = utf();
      if (interned.length >= MAX_INTERNED) throw new AbxError('too many interned strings', at);
      interned.push(s);
      return s;
    }
    const s = interned[index];
    if (s === undefined) throw new AbxError(`interned string ${index} is not defined (${interned.length} known)`, at);
    return s;
  };
  const value = (type: number): AbxValue => {
    switch (type) {
      case 1:
        return null;
      case 2:
        return utf();
      case 3:
        return internedUtf();
      case 4:
      case 5: {
        const len = u16();
        need(len);
        const b = bytes.slice(pos, pos + len);
        pos += len;
        return b;
      }
      case 6:
      case 7: {
        need(4);
        const v = view.getInt32(pos);
        pos += 4;
        return v;
      }
      case 8:
      case 9: {
        need(8);
        const v = view.getBigInt64(pos);
        pos += 8;
        return v;
      }
      case 10: {
        need(4);
        const v = view.getFloat32(pos);
        pos += 4;
        return v;
      }
      case 11: {
        need(8);
        const v = view.getFloat64(pos);
        pos += 8;
        return v;
      }
      case 12:
        return true;
      case 13:
        return false;
      default:
        throw new AbxError(`unknown data type ${type}`, pos - 1);
    }
  };

  let pending: { name: string; attributes: Record<string, AbxValue> } | undefined;
  let depth = 0;
  while (pos < bytes.length) {
    const at = pos;
    const token = bytes[pos++]!;
    const event = token & 0x0f;
    const type = token >> 4;
    if (event === 15) {
      if (!pending) throw new AbxError('attribute outside a start tag', at);
      const name = internedUtf();
      pending.attributes[name] = value(type);
      continue;
    }
    if (pending) {
      yield { type: 'start', ...pending };
      pending = undefined;
    }
    switch (event) {
      case 0: // start document
        break;
      case 1: // end document
        if (depth !== 0) throw new AbxError(`document ended with ${depth} tag(s) open`, at);
        return;
      case 2:
        if (type !== 3) throw new AbxError(`start tag with data type ${type}`, at);
        pending = { name: internedUtf(), attributes: Object.create(null) as Record<string, AbxValue> };
        depth++;
        break;
      case 3:
        if (type !== 3) throw new AbxError(`end tag with data type ${type}`, at);
        depth--;
        yield { type: 'end', name: internedUtf() };
        break;
      default: {
        // Text, CDATA, entity refs, whitespace, comments, processing instructions, doctype.
        const v = value(type);
        if (event === 4 || event === 5) yield { type: 'text', text: typeof v === 'string' ? v : '' };
      }
    }
  }
  if (pending) yield { type: 'start', ...pending };
  throw new AbxError('truncated: no end-document token', pos);
}
