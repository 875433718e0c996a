/**
 * Text formats, decided from the head: JSON (and NDJSON), XML, mail (an RFC 5322
 * message or an mbox: mail-text.ts), and plain text or logs. Binary content never matches: the head must decode as UTF-8
 * (or UTF-16/32, with a BOM or read from its code units: unicode-text.ts) with almost no control characters,
 * be text in a legacy code page (legacy-text.ts: no control characters at all), or be UTF-8 text apart from
 * long NUL runs and a few stray bytes (padded-text.ts: a pre-allocated or damaged log).
 * References: RFC 8259 (JSON), XML 1.0 §2.8 (prolog), RFC 5322 §2.2 (header fields), RFC 4155 (mbox).
 */
import { defineDetector, type Detection, type PluginReason, type Probe } from '@evtriage/core/contract';
import { legacyText } from './legacy-text.js';
import { mailShape, type MailShape } from './mail-text.js';
import { paddedText } from './padded-text.js';
import {
  ascii,
  isUtf8TextWindow,
  notingZeroPadding,
  textInfo,
  utf16Text,
  utf32Text,
  type TextEncoding,
} from './util.js';

const LOG_LINE =
  /^(\d{4}-\d\d-\d\d[ T]\d\d:\d\d|\w{3} [ \d]\d \d\d:\d\d:\d\d|\[\d|\d{2}\/\d{2}\/\d{4}|\d{2}:\d{2}:\d{2}[.,]\d)/m;

function looksLikeJson(t: string, complete: boolean): 'json' | 'ndjson' | undefined {
  const s = t.trim();
  if (!/^[[{]/.test(s)) return undefined;
  if (complete) {
    try {
      JSON.parse(s);
      return 'json';
    } catch {
      const lines = s.split(/\r?\n/).filter((l) => l.trim() !== '');
      if (lines.length > 1 && lines.every((l) => isJson(l))) return 'ndjson';
      return undefined;
    }
  }
  // Only the head is known: a JSON value must start with a plausible first member.
  return /^(\{\s*("([^"\\]|\\.)*"\s*:|\})|\[\s*([[{"\d\-tfn\]]))/.test(s) ? 'json' : undefined;
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/**
 * XML without a prolog that opens with its document type declaration (KMyMoney's files as skroogeconvert writes
 * them, D-Bus introspection data): the root element the declaration names must follow. "<!DOCTYPE html" opens
 * HTML and a Netscape bookmark file has no such root; the magic libraries name those.
 */
function doctypeOpensRoot(text: string): boolean {
  const m = /^\s*<!DOCTYPE\s+([A-Za-z_][\w:.-]*)/i.exec(text);
  if (!m || m[1]!.toLowerCase() === 'html') return false;
  const root = m[1]!.replace(/[.]/g, '\\.');
  return new RegExp(`<${root}[\\s>/]`).test(text.slice(m[0].length, 8192));
}

/** Leading comments read at most: a licence or description block or two before the root element. */
const LEADING_COMMENTS_MAX = 8;

/**
 * The text after the comments that open it, and how many there were. XML allows comments (and white space) before
 * the root element when there is no declaration (XML 1.0 §2.8, prolog ::= XMLDecl? Misc*): Atom and RSS feeds,
 * build and configuration files open with a `<!-- licence -->` block. Only whole comments are skipped; one that
 * does not end in the text read leaves the text as it is.
 */
function afterLeadingComments(text: string): { rest: string; comments: number } {
  let rest = text;
  let comments = 0;
  while (comments < LEADING_COMMENTS_MAX) {
    const start = rest.search(/\S/);
    if (start < 0 || !rest.startsWith('<!--', start)) break;
    const end = rest.indexOf('-->', start + 4);
    if (end < 0) break;
    rest = rest.slice(end + 3);
    comments++;
  }
  return comments > 0 ? { rest, comments } : { rest: text, comments: 0 };
}

/** Text as such, or a log when its name or lines say so. */
function plainFormat(isLog: boolean) {
  return isLog
    ? { id: 'log', name: 'Log (text)', mime: 'text/plain' }
    : { id: 'text', name: 'Plain text', mime: 'text/plain' };
}

/** What the text opens with, for a reason: the header block, and whether it runs past what was read. */
function mailOpening(mail: MailShape): string {
  const block = mail.headerOpen
    ? 'a mail header block (From, To, Subject, Date… fields) that runs on past the bytes read'
    : 'a mail header block (From, To, Subject, Date… fields, then a blank line)';
  return mail.kind === 'eml' ? `${block}: an email message` : `an mbox "From " line and ${block}: a mailbox`;
}

/** The detection a mail shape gives: one message, or a mailbox of them; `text` says what kind of text it is. */
function mailDetection(
  mail: MailShape,
  text: string,
  confidence: number,
  figures: NonNullable<PluginReason['figures']>,
): Detection {
  return {
    format:
      mail.kind === 'eml'
        ? { id: 'eml', name: 'Email message (RFC 5322)', mime: 'message/rfc822' }
        : { id: 'mbox', name: 'Mailbox (mbox)', mime: 'application/mbox' },
    status: 'analysable',
    confidence,
    reasons: [
      {
        code: mail.kind === 'eml' ? 'MAIL_HEADER_BLOCK' : 'MBOX_FROM_LINE',
        message: `${text} that opens with ${mailOpening(mail)}.`,
        figures,
      },
    ],
  };
}

export const textDetector = defineDetector({
  meta: {
    id: 'text',
    version: '1.1.0',
    title: 'JSON, XML and plain text',
    formats: [
      {
        id: 'json',
        name: 'JSON',
        status: 'analysable',
        how: 'structure',
        mime: 'application/json',
        extensions: ['json', 'har', 'geojson', 'webmanifest', 'map', 'txt'],
      },
      {
        id: 'ndjson',
        name: 'Newline-delimited JSON',
        status: 'analysable',
        how: 'structure',
        mime: 'application/x-ndjson',
        extensions: ['ndjson', 'jsonl', 'json', 'log'],
      },
      {
        id: 'xml',
        name: 'XML',
        status: 'analysable',
        how: 'structure',
        mime: 'application/xml',
        // XML dialects apps save under names of their own (gpx, kml, tcx: GPS; enex: Evernote; xhb, gsb, kmy,
        // gnucash: finance apps, uncompressed).
        extensions: [
          'xml',
          'svg',
          'xsd',
          'rss',
          'atom',
          'kml',
          'gpx',
          'tcx',
          'xhtml',
          'html',
          'config',
          'enex',
          'xhb',
          'gsb',
          'kmy',
          'gnucash',
        ],
      },
      { id: 'text', name: 'Plain text', status: 'analysable', how: 'structure', mime: 'text/plain' },
      { id: 'log', name: 'Log (text)', status: 'analysable', how: 'structure', mime: 'text/plain' },
      {
        id: 'eml',
        name: 'Email message (RFC 5322)',
        status: 'analysable',
        how: 'structure',
        mime: 'message/rfc822',
        extensions: ['eml', 'msg', 'txt'],
      },
      {
        id: 'mbox',
        name: 'Mailbox (mbox)',
        status: 'analysable',
        how: 'structure',
        mime: 'application/mbox',
        extensions: ['mbox', 'mbx'],
      },
    ],
  },
  priority: 90,
  detect(probe): Detection | undefined {
    const info = textInfo(probe.head);
    // NULs that end the head of a larger file are not its end: judged as runs of padding inside text.
    if (!info || (info.zeroPadding && probe.tail.length > 0))
      return legacy(probe.head, probe.tail, !probe.complete) ?? padded(probe);
    // The tail must be text too (apart from NULs that end the file), or the head is a text preamble of a binary file.
    const tailPadding = info.encoding === 'utf-8' ? trailingNuls(probe.tail) : 0;
    if (probe.tail.length > tailPadding && !tailIsText(probe, info.encoding, tailPadding)) return undefined;
    return notingZeroPadding(textDetection(probe, info), { zeroPadding: (info.zeroPadding ?? 0) + tailPadding });
  },
});

/** How many NUL bytes end `bytes`. */
function trailingNuls(bytes: Uint8Array): number {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.length - end;
}

/** What the text read from the head is: JSON, XML, mail, log or plain text. */
function textDetection(probe: Probe, info: NonNullable<ReturnType<typeof textInfo>>): Detection {
  const { text, encoding, bomless } = info;
  const figures = bomless ? { encoding, byteOrderMark: false } : { encoding };
  const json = looksLikeJson(text, probe.complete);
  if (json) {
    return {
      format:
        json === 'json'
          ? { id: 'json', name: 'JSON', mime: 'application/json' }
          : { id: 'ndjson', name: 'Newline-delimited JSON', mime: 'application/x-ndjson' },
      status: 'analysable',
      confidence: probe.complete ? 0.95 : 0.85,
      reasons: [
        {
          code: json === 'json' ? 'JSON_PARSES' : 'NDJSON_LINES_PARSE',
          message: probe.complete
            ? json === 'json'
              ? 'The whole file parses as JSON.'
              : 'Every line parses as JSON.'
            : 'Text that starts like a JSON value (file larger than the probe).',
          figures,
        },
      ],
    };
  }
  const { rest, comments } = afterLeadingComments(text);
  if (/^\s*<(\?xml|[A-Za-z_][\w:.-]*[\s>/])/i.test(rest) || doctypeOpensRoot(rest)) {
    return {
      format: { id: 'xml', name: 'XML', mime: 'application/xml' },
      status: 'analysable',
      confidence: 0.85,
      reasons: [
        {
          code: 'XML_PROLOG',
          message:
            comments === 0
              ? 'Text that starts with an XML declaration, a document type declaration or an element.'
              : `Text that starts with ${comments} XML comment${comments === 1 ? '' : 's'} (<!-- … -->) and then an XML declaration, a document type declaration or an element (XML 1.0 §2.8: comments may precede the root).`,
          figures: comments === 0 ? figures : { ...figures, leadingComments: comments },
        },
      ],
    };
  }
  const mail = mailShape(text, !probe.complete);
  if (mail) return mailDetection(mail, 'Text', 0.8, figures);
  const isLog =
    /\.log(\.\d+)?$|(^|\/)(LOG|LOG\.old)$/i.test(probe.name) ||
    text
      .split('\n')
      .slice(0, 10)
      .filter((l) => LOG_LINE.test(l)).length >= 3;
  return {
    format: plainFormat(isLog),
    status: 'analysable',
    confidence: 0.75,
    reasons: [
      {
        code: 'TEXT_CONTENT',
        message: `Valid ${encoding} text${bomless ? ' without a byte-order mark (every code unit read is a letter, digit, punctuation or space of a writing system)' : ''} with almost no control characters${isLog ? ', in log form' : ''}.`,
        figures,
      },
    ],
  };
}

/** The probe's tail read in the head's encoding: UTF-8 from a character boundary, UTF-16 from a code-unit boundary. */
function tailIsText(probe: Probe, encoding: TextEncoding, padding: number): boolean {
  if (encoding === 'utf-8') return isUtf8TextWindow(probe.tail.subarray(0, probe.tail.length - padding));
  const start = probe.size - probe.tail.length;
  if (encoding === 'utf-16le' || encoding === 'utf-16be')
    return utf16Text(probe.tail.subarray(start % 2), encoding) !== undefined;
  return utf32Text(probe.tail.subarray((4 - (start % 4)) % 4), encoding) !== undefined;
}

/** Text apart from long NUL runs (pre-allocated logs) and a few stray bytes (padded-text.ts), in head and tail. */
function padded(probe: Probe): Detection | undefined {
  const head = paddedText(probe.head);
  if (!head) return undefined;
  const tail = probe.tail.length > 0 ? paddedText(probe.tail) : undefined;
  // A tail of NULs alone is the unwritten rest of a pre-allocated file.
  if (probe.tail.length > 0 && !tail && probe.tail.some((b) => b !== 0)) return undefined;
  const nulBytes = head.nulBytes + (tail?.nulBytes ?? probe.tail.length);
  const noiseBytes = head.noiseBytes + (tail?.noiseBytes ?? 0);
  const textBytes = head.textBytes + (tail?.textBytes ?? 0);
  const isLog =
    /\.log(\.\d+)?$/i.test(probe.name) || LOG_LINE.test(ascii(probe.head.subarray(0, 4096)).replace(/\0/g, ''));
  return {
    format: plainFormat(isLog),
    status: 'analysable',
    confidence: 0.65,
    reasons: [
      {
        code: 'TEXT_WITH_PADDING',
        message: `UTF-8 text (${textBytes} bytes read) apart from ${nulBytes} bytes in long NUL runs (space a program pre-allocated) and ${noiseBytes} stray bytes (under one in 200; binary data has one in two).`,
        figures: { textBytes, nulBytes, noiseBytes },
      },
    ],
  };
}

/** Text that is not UTF-8: the head, and the tail if the probe has one, in a legacy code page. */
function legacy(head: Uint8Array, tail: Uint8Array, cut: boolean): Detection | undefined {
  const found = legacyText(head);
  if (!found) return undefined;
  if (tail.length > 0 && !legacyText(tail)) return undefined;
  const share = Math.round(found.asciiShare * 100);
  const figures = { encodings: found.encodings.join(','), asciiShare: Number(found.asciiShare.toFixed(3)) };
  const consistent = `consistent with ${found.encodings.join(', ')}; ${share}% printable ASCII`;
  // A mail header block is ASCII (RFC 5322); a message's 8-bit body in its declared charset follows it.
  const mail = mailShape(ascii(head), cut);
  if (mail) return mailDetection(mail, `Text in a legacy code page (${consistent})`, 0.75, figures);
  return {
    format: { id: 'text', name: 'Text (legacy code page)', mime: 'text/plain' },
    status: 'analysable',
    confidence: 0.6,
    reasons: [
      {
        code: 'TEXT_LEGACY_ENCODING',
        message: `Not UTF-8, but no NUL or control characters (binary data has one byte in nine): text in a legacy code page, ${consistent}.`,
        figures,
      },
    ],
  };
}
