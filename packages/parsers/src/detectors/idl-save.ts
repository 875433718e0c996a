/**
 * IDL SAVE files (`.sav`, written by IDL's and GDL's SAVE procedure; read by
 * RESTORE, scipy.io.readsav and GDL): variables, structures and heap data
 * of an astronomy or remote-sensing session. libmagic 5.44 has no rule for
 * them, so they were opaque and unnamed. The file is "SR", a record format
 * (00 04 plain, 00 06 with each record's body zlib-compressed), then records
 * chained by absolute offsets: a big-endian 32-bit record type, the next
 * record's offset (low and high 32-bit words) and 4 reserved bytes; the last
 * record is the END_MARKER. Two bytes and a chance word are weak, so the
 * chain is walked: every record's type must be one IDL writes, every offset
 * must move forward within the file, and a compressed body must inflate.
 * Readable by the general tools above without a secret: analysable.
 * Reference: Craig Markwardt's "Unofficial Format Specification of the IDL
 * SAVE File" (2002-2011); scipy 1.10 scipy/io/_idl.py (record types, the
 * compressed variant).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { trialInflate } from './trial-decode.js';
import { plain, u32be } from './util.js';

const RECORD_HEADER = 16;
const END_MARKER = 6;
/** The record types IDL writes (scipy's RECTYPE_DICT). */
const RECORD_TYPES = new Map<number, string>([
  [0, 'START_MARKER'],
  [1, 'COMMON_VARIABLE'],
  [2, 'VARIABLE'],
  [3, 'SYSTEM_VARIABLE'],
  [6, 'END_MARKER'],
  [10, 'TIMESTAMP'],
  [12, 'COMPILED'],
  [13, 'IDENTIFICATION'],
  [14, 'VERSION'],
  [15, 'HEAP_HEADER'],
  [16, 'HEAP_DATA'],
  [17, 'PROMOTE64'],
  [19, 'NOTICE'],
  [20, 'DESCRIPTION'],
]);
/** Records needed, END_MARKER included: a header that chains nowhere proves nothing. */
const MIN_RECORDS = 2;

interface Walk {
  records: number;
  ended: boolean;
  /** A record points past the file's end: the file was cut short. */
  cut: boolean;
  types: string[];
}

/** Follows the record chain through the head; undefined when any record is not one IDL writes. */
function walk(h: Uint8Array, size: number, compressed: boolean): Walk | undefined {
  const types: string[] = [];
  let at = 4;
  while (at + RECORD_HEADER <= h.length) {
    const type = RECORD_TYPES.get(u32be(h, at)!);
    if (type === undefined) return undefined;
    types.push(type);
    if (u32be(h, at)! === END_MARKER) return { records: types.length, ended: true, cut: false, types };
    const next = u32be(h, at + 4)! + u32be(h, at + 8)! * 2 ** 32;
    if (next < at + RECORD_HEADER) return undefined;
    if (next > size) return { records: types.length, ended: false, cut: true, types };
    if (compressed && next <= h.length) {
      // A compressed record's body, header aside, is one whole zlib stream.
      if (!trialInflate(h.subarray(at + RECORD_HEADER, next), 'zlib', true).ok) return undefined;
    }
    at = next;
  }
  return { records: types.length, ended: false, cut: false, types };
}

export const idlSaveDetector = defineDetector({
  meta: {
    id: 'idl-save',
    version: '1.0.0',
    title: 'IDL SAVE files (record chain walked, compressed records inflated)',
    formats: [
      {
        id: 'idl-save',
        name: 'IDL SAVE file',
        status: 'analysable',
        how: 'structure',
        mime: 'application/x-idl-save',
        extensions: ['sav'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: '53520004' },
    { offset: 0, hex: '53520006' },
  ],
  minSize: 4 + 2 * RECORD_HEADER,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h[0] !== 0x53 || h[1] !== 0x52 || h[2] !== 0 || (h[3] !== 4 && h[3] !== 6)) return undefined;
    const compressed = h[3] === 6;
    const w = walk(h, probe.size, compressed);
    if (!w || w.records < MIN_RECORDS) return undefined;
    const shown = w.types.slice(0, 4).join(', ') + (w.types.length > 4 ? ', …' : '');
    return plain('analysable', {
      id: 'idl-save',
      name: 'IDL SAVE file',
      mime: 'application/x-idl-save',
      confidence: w.ended ? 0.95 : 0.9,
      code: 'IDL_SAVE_RECORDS',
      message: `IDL SAVE signature "SR" with record format ${compressed ? '00 06 (zlib-compressed records, each inflated)' : '00 04'}; ${w.records} records chained by their offsets (${shown})${w.ended ? ' to the END_MARKER' : w.cut ? ', the last pointing past the end (the file is cut short)' : ' through the bytes read'}: readable by IDL/GDL RESTORE and scipy.io.readsav.`,
      figures: { records: w.records, compressed, cut: w.cut },
      details: { records: w.records, compressed, ended: w.ended, cut: w.cut },
    });
  },
});
