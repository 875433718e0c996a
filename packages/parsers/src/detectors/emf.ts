/**
 * Windows Enhanced Metafiles (EMF, and EMF+ records inside them): the drawing records Windows keeps for
 * printing (the pages of a print spool job), the clipboard and pictures in Office documents. The file is
 * a chain of records, each a 32-bit type and a 32-bit size; the first is EMR_HEADER (type 1) holding the
 * signature " EMF" at offset 40, version 0x10000, the metafile's size in bytes and its record count, and
 * the last is EMR_EOF (type 14). Accepted: that header (size at least 88 and a multiple of 4, reserved
 * field zero, a byte count no smaller than the header) and records that chain by their sizes through the
 * head, each of a type MS-EMF defines, reaching EMR_EOF where the head holds the end. An EMF holding a
 * JPEG or PNG picture (EMR_STRETCHDIBITS with BI_JPEG) no longer reads as a JPEG with a garbled header.
 * Analysable.
 * Reference: [MS-EMF] 2.3.4.2 EMR_HEADER, 2.1.1 RecordType enumeration, 2.3.4.1 EMR_EOF.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u16le, u32le } from './util.js';

const EMR_HEADER = 1;
const EMR_EOF = 14;
/** [MS-EMF] 2.1.1: record types run from 1 to 122. */
const MAX_TYPE = 122;
const MIN_HEADER = 88;
/** Records walked at most (the head bounds it too). */
const MAX_RECORDS = 200_000;

interface Walk {
  records: number;
  /** EMR_EOF was read, ending exactly at the metafile's byte count. */
  eof: boolean;
}

/** Walks records from the header through the bytes the head holds; undefined when a record breaks the chain. */
function walkRecords(h: Uint8Array, total: number): Walk | undefined {
  let at = 0;
  let records = 0;
  while (at + 8 <= h.length && at < total && records < MAX_RECORDS) {
    const type = u32le(h, at)!;
    const size = u32le(h, at + 4)!;
    if (type < 1 || type > MAX_TYPE || size < 8 || size % 4 !== 0 || at + size > total) return undefined;
    if (records > 0 && type === EMR_HEADER) return undefined;
    records++;
    at += size;
    if (type === EMR_EOF) return at === total ? { records, eof: true } : undefined;
  }
  // The head ended before EMR_EOF: what was read stands when the file goes on beyond it.
  return at >= h.length || records === MAX_RECORDS ? { records, eof: false } : undefined;
}

function emfVerdict(probe: Probe): Detection | undefined {
  const h = probe.head;
  const headerSize = u32le(h, 4);
  const total = u32le(h, 48);
  const declaredRecords = u32le(h, 52);
  if (headerSize === undefined || total === undefined || declaredRecords === undefined) return undefined;
  if (headerSize < MIN_HEADER || headerSize % 4 !== 0 || u32le(h, 44) !== 0x10000 || u16le(h, 58) !== 0)
    return undefined;
  // A metafile inside a larger file (a spool job, a carved run) is longer than its byte count says, never shorter.
  if (total < headerSize || total > probe.size || declaredRecords < 2) return undefined;
  const walk = walkRecords(h, total);
  if (!walk || (!walk.eof && probe.complete)) return undefined;
  const trailing = probe.size - total;
  return plain('analysable', {
    id: 'emf',
    name: 'Windows Enhanced Metafile',
    confidence: walk.eof ? 0.95 : 0.9,
    code: 'EMF_RECORD_CHAIN',
    message:
      `EMR_HEADER with the " EMF" signature, version 0x10000, ${total} bytes in ${declaredRecords} records; ` +
      `${walk.records} record(s) chain by their sizes${walk.eof ? ' to EMR_EOF at the end of the metafile' : ' as far as the head goes'}` +
      `${trailing > 0 ? `, ${trailing} bytes after it` : ''}. Drawing records any EMF reader renders; not encrypted.`,
    figures: { bytes: total, records: declaredRecords, recordsRead: walk.records, eof: walk.eof },
  });
}

export const emfDetector = defineDetector({
  meta: {
    id: 'emf',
    version: '1.0.0',
    title: 'Windows Enhanced Metafiles (EMF/EMF+) by the header record and the record chain',
    formats: [
      {
        id: 'emf',
        name: 'Windows Enhanced Metafile',
        status: 'analysable',
        how: 'structure',
        mime: 'image/emf',
        extensions: ['emf'],
      },
    ],
  },
  minSize: MIN_HEADER + 20,
  priority: 30,
  signatures: [{ offset: 40, ascii: ' EMF' }],
  detect(probe): Detection | undefined {
    if (u32le(probe.head, 0) !== EMR_HEADER) return undefined;
    return emfVerdict(probe);
  },
});
