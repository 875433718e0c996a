/**
 * uuencoded files (POSIX uuencode, its historical and `-m` base64 forms): a `begin <mode> <name>` line, lines
 * of encoded bytes, and `end` (or `====` after `begin-base64`). Usenet, old mail and test suites (libarchive
 * keeps every test archive as a `.uu` file) carry binaries so. The file needs no key: the uuencoded detector
 * names it and the uuencode container decodes it, so that the decoded file (named in the begin line) is
 * identified as a member of its own.
 * Reference: POSIX.1-2017 uuencode(1), "Description of encoding" (historical and base64 algorithms).
 */

export type Uuencoded = {
  /** Historical (one length character, then 4 characters per 3 bytes, 0x20–0x60) or base64 (`begin-base64`). */
  form: 'historical' | 'base64';
  mode: string;
  name: string;
  /** Encoded lines read (data lines, without the begin and end lines). */
  lines: number;
  /** Whether the end line was reached. */
  ended: boolean;
};

/** Lines before the begin line looked at (libarchive's test files open with a FreeBSD id and a blank line). */
const MAX_PREAMBLE_LINES = 8;
const BEGIN = /^begin(-base64)? ([0-7]{3,4}) (\S.*)$/;
const BASE64_LINE = /^[A-Za-z0-9+/]+={0,2}$/;

/** A line of the historical form: its length character says how many bytes it carries; the characters follow. */
function historicalLine(line: string): boolean {
  if (line.length === 0) return false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c < 0x20 || c > 0x60) return false;
  }
  const n = (line.charCodeAt(0) - 0x20) & 0x3f;
  const chars = Math.ceil(n / 3) * 4;
  // Mailers strip trailing spaces (zero sixes); some encoders add a checksum character.
  return line.length - 1 <= chars + 1 && line.length - 1 >= chars - 3;
}

/**
 * Whether `text` (the file, or its head when `complete` is false) is uuencoded: a begin line within the first
 * lines, then only encoded lines up to the end line. A head cut inside the data needs 4 lines.
 */
export function recogniseUuencoded(text: string, complete: boolean): Uuencoded | undefined {
  const lines = text.split(/\r?\n/);
  // uudecode skips any lines before the begin line (a version-control id, a note, a mail's header).
  const at = lines.slice(0, MAX_PREAMBLE_LINES + 1).findIndex((l) => BEGIN.test(l));
  if (at < 0) return undefined;
  const begin = BEGIN.exec(lines[at]!)!;
  const form = begin[1] ? 'base64' : 'historical';
  // The last line of a head may be cut in the middle.
  const last = complete ? lines.length : lines.length - 1;
  let data = 0;
  for (let i = at + 1; i < last; i++) {
    const raw = lines[i]!;
    if (form === 'base64') {
      const line = raw.trim();
      if (line === '====') return { form, mode: begin[2]!, name: begin[3]!, lines: data, ended: true };
      if (!BASE64_LINE.test(line)) return undefined;
    } else {
      if (raw.trimEnd() === 'end') {
        return data > 0 ? { form, mode: begin[2]!, name: begin[3]!, lines: data, ended: true } : undefined;
      }
      // An empty line is the zero-length line whose space a mailer stripped.
      if (raw !== '' && !historicalLine(raw)) return undefined;
    }
    data++;
  }
  if (complete || data < 4) return undefined;
  return { form, mode: begin[2]!, name: begin[3]!, lines: data, ended: false };
}

/** Whether a tail window ends as a uuencoded file ends: encoded lines, then the end line. */
export function tailEndsUuencoded(text: string, form: Uuencoded['form']): boolean {
  const lines = text.split(/\r?\n/).slice(1); // the first line may be cut
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const end = lines.pop();
  if (end?.trim() !== (form === 'base64' ? '====' : 'end')) return false;
  return lines.every((l) => (form === 'base64' ? BASE64_LINE.test(l.trim()) : l === '' || historicalLine(l)));
}

/** The decoded bytes of a whole uuencoded file (recogniseUuencoded said complete and ended), or undefined. */
export function decodeUuencoded(text: string): { found: Uuencoded; bytes: Buffer } | undefined {
  const found = recogniseUuencoded(text, true);
  if (!found?.ended) return undefined;
  const lines = text.split(/\r?\n/);
  let at = 0;
  while (!BEGIN.test(lines[at]!)) at++;
  const body = lines.slice(at + 1, at + 1 + found.lines);
  if (found.form === 'base64') return { found, bytes: Buffer.from(body.join(''), 'base64') };
  const out: number[] = [];
  for (const line of body) {
    if (line === '') continue;
    const n = (line.charCodeAt(0) - 0x20) & 0x3f;
    const six = (i: number): number => ((line.charCodeAt(i) || 0x20) - 0x20) & 0x3f;
    const bytes: number[] = [];
    for (let i = 1; bytes.length < n; i += 4) {
      const [a, b, c, d] = [six(i), six(i + 1), six(i + 2), six(i + 3)];
      bytes.push(((a << 2) | (b >> 4)) & 0xff, ((b << 4) | (c >> 2)) & 0xff, ((c << 6) | d) & 0xff);
    }
    out.push(...bytes.slice(0, n));
  }
  return { found, bytes: Buffer.from(out) };
}
