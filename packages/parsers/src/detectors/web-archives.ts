/**
 * Web archives: WARC (ISO 28500; what wget --warc-file, Heritrix, webrecorder
 * and browser-archiving tools write, and libarchive reads) and its
 * predecessor, the Internet Archive's ARC. Both are records of a text header
 * and a payload (HTTP responses, often binary), so the text detector would
 * take a WARC for plain text and a binary payload would leave it to
 * statistics. WARC is recognised by its version line and a first record whose
 * header block holds the mandatory WARC-Type, WARC-Record-ID (or
 * WARC-Date) and Content-Length fields; ARC by its "filedesc://" version
 * record (URL, IP address, 14-digit date, content type, length, then the
 * version line). Neither has encryption: analysable.
 * References: ISO 28500:2017 (WARC 1.1) §4-5, IIPC WARC 1.0 specification;
 * Internet Archive "ARC File Format" 1.0 (version block); libarchive
 * archive_read_support_format_warc.c (accepts WARC/0.12 to 1.1).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

/** The version line and the first record's header block, as latin1 text (no more than the head holds). */
const WARC_LINE = /^WARC\/(0\.1[2-8]|1\.[01])\r?\n/;
const ARC_V1 = /^filedesc:\/\/\S+ \S+ (\d{14}) \S+ (\d+)\r?\n([12]) (\d) ([^\n]*)\n/;

function warc(text: string): Detection | undefined {
  const line = WARC_LINE.exec(text);
  if (!line) return undefined;
  const end = text.search(/\r?\n\r?\n/);
  if (end < 0) return undefined;
  const fields = new Map<string, string>();
  for (const l of text.slice(line[0].length, end).split(/\r?\n/)) {
    const colon = l.indexOf(':');
    if (colon > 0) fields.set(l.slice(0, colon).trim().toLowerCase(), l.slice(colon + 1).trim());
  }
  const type = fields.get('warc-type');
  const length = fields.get('content-length');
  if (!type || !length || !/^\d+$/.test(length)) return undefined;
  if (!fields.has('warc-record-id') && !fields.has('warc-date')) return undefined;
  return plain('analysable', {
    id: 'warc',
    name: 'WARC web archive',
    mime: 'application/warc',
    confidence: 0.95,
    code: 'WARC_RECORD',
    message: `WARC ${line[1]} web archive: the first record is "${type.slice(0, 40)}" with a ${length}-byte block (WARC-Type, Content-Length${fields.has('warc-record-id') ? ', WARC-Record-ID' : ''} present); records of captured content, not encrypted.`,
    figures: { version: line[1]!, firstRecordType: type.slice(0, 40), firstBlockBytes: Number(length) },
  });
}

function arc(text: string): Detection | undefined {
  const m = ARC_V1.exec(text);
  if (!m) return undefined;
  return plain('analysable', {
    id: 'arc-web-archive',
    name: 'Internet Archive ARC web archive',
    mime: 'application/x-internet-archive',
    confidence: 0.93,
    code: 'ARC_VERSION_RECORD',
    message: `Internet Archive ARC file, version ${m[3]}.${m[4]}: its "filedesc://" version record (date ${m[1]}, ${m[2]}-byte version block); records of captured content, not encrypted.`,
    figures: { version: `${m[3]}.${m[4]}`, date: m[1]! },
  });
}

export const webArchivesDetector = defineDetector({
  meta: {
    id: 'web-archives',
    version: '1.0.0',
    title: 'Web archives: WARC and the Internet Archive ARC',
    formats: [
      {
        id: 'warc',
        name: 'WARC web archive',
        status: 'analysable',
        how: 'structure',
        mime: 'application/warc',
        extensions: ['warc'],
      },
      {
        id: 'arc-web-archive',
        name: 'Internet Archive ARC web archive',
        status: 'analysable',
        how: 'structure',
        mime: 'application/x-internet-archive',
        extensions: ['arc'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'WARC/' },
    { offset: 0, ascii: 'filedesc://' },
  ],
  minSize: 24,
  priority: 30,
  detect(probe): Detection | undefined {
    const text = Buffer.from(probe.head.subarray(0, 8192)).toString('latin1');
    return text.startsWith('WARC/') ? warc(text) : arc(text);
  },
});
