/**
 * Erlang/OTP's two storage files, which Mnesia databases are made of (ejabberd, RabbitMQ before 3.13, CouchDB
 * tools, any OTP application): DETS tables (`*.dets`, Mnesia's `*.DAT` and `schema.DAT`) and disk_log files in
 * the internal format (Mnesia's `LATEST.LOG`, `DECISION_TAB.LOG`, `*.DCD`, `*.DCL`, an application's own logs).
 * libmagic and file-type name neither ("data"), so they were opaque binary.
 * - DETS: a 4-byte free-list pointer, the cookie 0x00abcdef, the closed-properly flag, then (version 9) the
 *   table type, the file format version at offset 16, the key position and the object and key counts.
 *   Reference: stdlib/src/dets.hrl and dets_v9.erl (`file_header/4`), OTP 25.
 * - disk_log: 01 02 03 04, then 06 07 08 09 (opened, not closed: what a crash leaves) or 63 58 4d 0b
 *   (closed), then items of a 4-byte size, a magic (0c 21 2c 37, or 62 57 4c 41 with an MD5 of the size before
 *   items of 65,528 bytes and more) and the item, a term_to_binary term: each item in the head is walked as one.
 *   Reference: kernel/src/disk_log.hrl and disk_log_1.erl (`logl/3`), OTP 25.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { walkTerm } from './erlang-term.js';
import { plain, u32be } from './util.js';

const DETS_COOKIE = 0x00abcdef;
const DETS_TYPES = ['set', 'bag', 'duplicate_bag'];
const LOG_MAGIC = 0x01020304;
const LOG_OPENED = 0x06070809;
const LOG_CLOSED = 0x63584d0b;
const ITEM_MAGIC = 0x0c212c37;
const ITEM_BIG_MAGIC = 0x6257_4c41;
/** disk_log_1: items of this many bytes and more carry an MD5 of their size after the magic. */
const MIN_MD5_TERM = 65528;

const FORMATS = {
  dets: { id: 'erlang-dets', name: 'Erlang DETS table (Mnesia disc table)' },
  log: { id: 'erlang-disk-log', name: 'Erlang disk_log file (internal format)' },
} as const;

function dets(probe: Probe): Detection | undefined {
  const h = probe.head;
  const freeLists = u32be(h, 0);
  const closed = u32be(h, 8);
  const version = u32be(h, 16);
  if (u32be(h, 4) !== DETS_COOKIE || freeLists === undefined || closed === undefined) return undefined;
  if (version !== 8 && version !== 9) return undefined;
  if (freeLists > probe.size) return undefined;
  if (version === 8) {
    return plain('analysable', {
      ...FORMATS.dets,
      confidence: 0.85,
      code: 'ERLANG_DETS_HEADER',
      message: `Erlang DETS table: cookie 0x00abcdef at offset 4, file format version 8 (written by OTP before R8, read by OTP before 23).`,
      figures: { version },
    });
  }
  // Version 9: the table type, the key position (1-based), the object and key counts, the hash method.
  const [type, keypos, objects, keys, hash] = [12, 28, 32, 36, 52].map((at) => u32be(h, at));
  const typeName = DETS_TYPES[(type ?? 0) - 1];
  if (closed > 1 || !typeName || !keypos || keypos > 255 || hash === undefined || hash > 1) return undefined;
  if (objects === undefined || keys === undefined || keys > objects) return undefined;
  return plain('analysable', {
    ...FORMATS.dets,
    confidence: 0.9,
    code: 'ERLANG_DETS_HEADER',
    message: `Erlang DETS table, format version 9: cookie 0x00abcdef, a ${typeName} keyed on element ${keypos}, ${objects} objects under ${keys} keys, ${closed ? 'closed properly' : 'not closed properly (the writer stopped; dets repairs it on open)'}.`,
    figures: { version, type: typeName, objects, keys, closedProperly: closed === 1 ? 'yes' : 'no' },
  });
}

function diskLog(probe: Probe): Detection | undefined {
  const h = probe.head;
  const state = u32be(h, 4);
  if (u32be(h, 0) !== LOG_MAGIC || (state !== LOG_OPENED && state !== LOG_CLOSED)) return undefined;
  let at = 8;
  let items = 0;
  let damagedAt: number | undefined;
  while (at + 8 <= h.length) {
    const size = u32be(h, at)!;
    const magic = u32be(h, at + 4);
    const start = at + 8 + (magic === ITEM_BIG_MAGIC && size >= MIN_MD5_TERM ? 16 : 0);
    if (magic !== ITEM_MAGIC && magic !== ITEM_BIG_MAGIC) {
      damagedAt = at;
      break;
    }
    if (start + size > h.length) break; // an item the head (or the file's end) cuts: what was read decides
    const w = h[start] === 131 ? walkTerm(h.subarray(start, start + size), 1) : undefined;
    if (!w || w.cut || w.end !== size) {
      damagedAt = at;
      break;
    }
    items++;
    at = start + size;
  }
  // The first item's magic must be right and its term read when whole (a header alone, an empty log, is enough);
  // a damaged later item is reported.
  if (items === 0 && damagedAt !== undefined) return undefined;
  const open = state === LOG_OPENED;
  const tail =
    damagedAt !== undefined
      ? `; the item at offset ${damagedAt} does not read (damaged, or bytes written after a crash)`
      : probe.complete && at < h.length
        ? `; ${probe.size - at} bytes after the last whole item (an item cut short)`
        : '';
  return plain('analysable', {
    ...FORMATS.log,
    confidence: items > 0 ? 0.9 : 0.8,
    code: 'ERLANG_DISK_LOG',
    message: `Erlang disk_log file, internal format: header 01 02 03 04, ${open ? 'marked opened (never closed: the writer stopped or crashed)' : 'marked closed'}; ${items} item${items === 1 ? '' : 's'} read in the first ${Math.min(h.length, probe.size)} bytes, each a size, an item magic and one term_to_binary term${tail}.`,
    figures: { items, closed: open ? 'no' : 'yes' },
  });
}

export const erlangStorageDetector = defineDetector({
  meta: {
    id: 'erlang-storage',
    version: '1.0.0',
    title: "Erlang/OTP's storage files: DETS tables and disk_log files (Mnesia)",
    formats: [
      {
        ...FORMATS.dets,
        status: 'analysable',
        how: 'header-field',
        extensions: ['dets', 'dat'],
        mime: 'application/x-erlang-dets',
      },
      {
        ...FORMATS.log,
        status: 'analysable',
        how: 'structure',
        extensions: ['log', 'dcd', 'dcl'],
        mime: 'application/x-erlang-disk-log',
      },
    ],
  },
  signatures: [
    { offset: 4, hex: '00abcdef' },
    { offset: 0, hex: '0102030406070809' },
    { offset: 0, hex: '0102030463584d0b' },
  ],
  minSize: 8,
  priority: 40,
  detect(probe: Probe): Detection | undefined {
    return probe.head[0] === 0x01 ? diskLog(probe) : dets(probe);
  },
});
