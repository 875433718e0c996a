/**
 * A streaming reader for the JSON-document manifest (`{"header": ...,
 * "items": [...], "summary": ...}`, RFC 8259): yields each top-level member,
 * and each element of the `items` array on its own, so a manifest of
 * millions of items is read with memory bounded by the largest single item,
 * whatever its layout (one item a line as evtriage writes it, pretty-printed,
 * or minified on one line). Each value is handed to `JSON.parse` whole, so
 * the JSON grammar inside a value is the platform's; this scanner only finds
 * where values begin and end (strings, escapes, nesting) and reports the
 * line where a problem is.
 */
import fs from 'node:fs';

export type JsonDocEvent =
  | { kind: 'member'; key: string; value: unknown; line: number }
  | { kind: 'element'; key: string; index: number; value: unknown; line: number }
  | { kind: 'array-end'; key: string; count: number };

/** A syntax problem with its 1-based line. */
export class JsonStreamError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'JsonStreamError';
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);

/**
 * Streams the members of a top-level JSON object; members named in
 * `arrays` that hold arrays are streamed element by element.
 *
 * @example
 * for await (const ev of streamJsonDocument('manifest.json', ['items'])) if (ev.kind === 'element') count++;
 */
export async function* streamJsonDocument(
  file: string,
  arrays: readonly string[] = ['items'],
): AsyncGenerator<JsonDocEvent> {
  let buf = '';
  let i = 0;
  let line = 1;
  let eof = false;
  const input = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })[Symbol.asyncIterator]();

  const more = async (): Promise<boolean> => {
    if (eof) return false;
    const r = await input.next();
    if (r.done) {
      eof = true;
      return false;
    }
    buf = buf.slice(i) + (r.value as string);
    i = 0;
    return true;
  };
  const peek = async (): Promise<string | undefined> => {
    while (i >= buf.length) if (!(await more())) return undefined;
    return buf[i];
  };
  const skipWs = async (): Promise<string | undefined> => {
    for (;;) {
      const c = await peek();
      if (c === undefined || !WS.has(c)) return c;
      if (c === '\n') line++;
      i++;
    }
  };
  const expect = async (want: string) => {
    const c = await skipWs();
    if (c !== want)
      throw new JsonStreamError(
        c === undefined ? `unexpected end of file, expected "${want}"` : `expected "${want}", found "${c}"`,
        line,
      );
    i++;
  };
  /** Reads one complete JSON value starting at the current position and parses it. */
  const readValue = async (): Promise<{ value: unknown; line: number }> => {
    const startLine = line;
    let start = i;
    let j = i;
    let depth = 0;
    let inString = false;
    let scalar = false;
    for (;;) {
      if (j >= buf.length) {
        const offset = j - start;
        // Keep the value's text across refills: `more` drops what is before `i`.
        i = start;
        const got = await more();
        start = i;
        j = i + offset;
        if (!got) {
          if (scalar && depth === 0) break;
          throw new JsonStreamError('unexpected end of file inside a value', line);
        }
        continue;
      }
      if (inString) {
        // Jump to the next quote; it closes the string unless an odd run of backslashes precedes it.
        // (A raw line break cannot occur inside a valid JSON string, so no line is counted here.)
        const q = buf.indexOf('"', j);
        if (q < 0) {
          j = buf.length;
          continue;
        }
        let k = q - 1;
        while (buf.charCodeAt(k) === 92) k--;
        j = q + 1;
        if ((q - 1 - k) % 2 === 1) continue;
        inString = false;
        if (depth === 0) break;
        continue;
      }
      const c = buf.charCodeAt(j);
      if (c === 0x22)
        inString = true; // "
      else if (c === 0x7b || c === 0x5b)
        depth++; // { [
      else if (c === 0x7d || c === 0x5d) {
        // } ]
        if (depth === 0) break;
        depth--;
        if (depth === 0) {
          j++;
          break;
        }
      } else if (c === 0x0a || c === 0x20 || c === 0x09 || c === 0x0d || c === 0x2c) {
        // whitespace or comma: ends a scalar at the top level
        if (depth === 0) break;
        if (c === 0x0a) line++;
      } else if (depth === 0) scalar = true;
      j++;
    }
    const text = buf.slice(start, j);
    i = j;
    try {
      return { value: JSON.parse(text), line: startLine };
    } catch (err) {
      throw new JsonStreamError(`invalid JSON value: ${(err as Error).message}`, startLine);
    }
  };

  await expect('{');
  let first = true;
  for (;;) {
    let c = await skipWs();
    if (c === '}') {
      i++;
      break;
    }
    if (!first) {
      if (c !== ',')
        throw new JsonStreamError(
          c === undefined ? 'unexpected end of file in the top-level object' : `expected "," or "}", found "${c}"`,
          line,
        );
      i++;
      c = await skipWs();
    }
    first = false;
    if (c !== '"')
      throw new JsonStreamError(
        c === undefined ? 'unexpected end of file, expected a member name' : `expected a member name, found "${c}"`,
        line,
      );
    const key = (await readValue()).value as string;
    await expect(':');
    c = await skipWs();
    if (c === '[' && arrays.includes(key)) {
      i++;
      let index = 0;
      for (;;) {
        let d = await skipWs();
        if (d === ']') {
          i++;
          break;
        }
        if (index > 0) {
          if (d !== ',')
            throw new JsonStreamError(
              d === undefined ? `unexpected end of file in "${key}"` : `expected "," or "]" in "${key}", found "${d}"`,
              line,
            );
          i++;
          d = await skipWs();
        }
        if (d === undefined) throw new JsonStreamError(`unexpected end of file in "${key}"`, line);
        const v = await readValue();
        yield { kind: 'element', key, index, value: v.value, line: v.line };
        index++;
      }
      yield { kind: 'array-end', key, count: index };
    } else {
      if (c === undefined) throw new JsonStreamError('unexpected end of file, expected a value', line);
      const v = await readValue();
      yield { kind: 'member', key, value: v.value, line: v.line };
    }
  }
  const tail = await skipWs();
  if (tail !== undefined) throw new JsonStreamError(`unexpected "${tail}" after the top-level object`, line);
}
