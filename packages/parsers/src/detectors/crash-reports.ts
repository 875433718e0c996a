/**
 * Crash reports and metrics files that browsers and Electron apps leave in a
 * profile (computer extractions; Android Chrome keeps the same under its app
 * data):
 *
 * - Minidumps (`Crash Reports/pending/<uuid>.dmp`, `Crashpad/reports/*.dmp`,
 *   Firefox `minidumps/*.dmp`, Windows `Minidump/*.dmp`): "MDMP", a version
 *   whose low half is 0xA793, a stream count and the directory's offset, then
 *   12-byte directory entries (type, size, offset). A documented format that
 *   WinDbg, minidump_stackwalk and rust-minidump read: analysable. Crashpad adds
 *   its own stream (type 0x43500001, "CP" 0x0001) with the report's client ID
 *   and annotations. libmagic checks only the four letters.
 * - Crashpad's `settings.dat`: u32 magic "CPds" (bytes "sdPC"), u32 version,
 *   u32 options (bit 0: uploads enabled), u32 padding, i64 time of the last
 *   upload attempt, the client's UUID: 40 bytes, opaque (Crashpad's own record).
 * - Crashpad's `metadata` on Windows (`Crashpad/metadata` of Chrome and every
 *   Electron app): u32 magic 'CPAD' (bytes "DAPC"), version 1, the record
 *   count, padding; 56-byte report records (UUID, string indexes of the
 *   report's file and upload ID, creation and last upload times, attempts,
 *   state, uploaded flag); then a string table. Opaque.
 * - Chromium's persistent metrics files (`BrowserMetrics/*.pma`,
 *   `BrowserMetrics-spare.pma`, `CrashpadMetrics-active.pma`, the same in
 *   Electron apps): a PersistentMemoryAllocator segment, a 64-byte header
 *   (cookie 0x408305DC, segment size, page size, version, id, name reference,
 *   state, flags, free pointer, tail pointer) and an iteration queue block
 *   (cookie 1); histograms are allocated after it. Opaque: only Chromium reads it.
 * References: Microsoft minidumpapiset.h (MINIDUMP_HEADER, MINIDUMP_DIRECTORY);
 * Crashpad minidump/minidump_extensions.h (kMinidumpStreamTypeCrashpadInfo),
 * client/settings.cc (Settings::Data), client/crash_report_database_win.cc
 * (MetadataFileHeader, MetadataFileReportRecord); Chromium
 * base/metrics/persistent_memory_allocator.cc (SharedMetadata, BlockHeader).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u32le } from './util.js';

const MINIDUMP_VERSION = 0xa793;
const MINIDUMP_HEADER = 32;
const CRASHPAD_INFO_STREAM = 0x43500001;
/** More streams than any writer produces: a count above it is not a minidump header. */
const MAX_STREAMS = 4096;
const CRASHPAD_SETTINGS_MAGIC = 0x43506473;
const CRASHPAD_SETTINGS_BYTES = 40;
const CRASHPAD_METADATA_MAGIC = 0x43504144;
const METADATA_HEADER = 16;
const METADATA_RECORD = 56;
const PMA_COOKIE = 0x408305dc;
const PMA_HEADER = 64;
const PMA_QUEUE_COOKIE = 1;
const PMA_MAX_SIZE = 1 << 30;

/** Stream types minidump readers name (minidumpapiset.h), for the message. */
const STREAM_NAMES: Record<number, string> = {
  3: 'thread list',
  4: 'module list',
  5: 'memory list',
  6: 'exception',
  7: 'system info',
  15: 'misc info',
  [CRASHPAD_INFO_STREAM]: 'Crashpad info',
};

function minidump(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  if (ascii(h.subarray(0, 4)) !== 'MDMP' || h.length < MINIDUMP_HEADER) return undefined;
  const version = u32le(h, 4)! & 0xffff;
  const streams = u32le(h, 8)!;
  const directory = u32le(h, 12)!;
  if (version !== MINIDUMP_VERSION || streams === 0 || streams > MAX_STREAMS) return undefined;
  if (directory < MINIDUMP_HEADER || directory + 12 * streams > probe.size) return undefined;
  const seen: string[] = [];
  let readable = 0;
  let pastEnd = 0;
  let crashpad = false;
  for (let i = 0; i < streams && directory + 12 * (i + 1) <= h.length; i++) {
    const at = directory + 12 * i;
    const type = u32le(h, at)!;
    const size = u32le(h, at + 4)!;
    const rva = u32le(h, at + 8)!;
    readable++;
    // Unused entries (type 0) carry no data; every other stream lies after the header.
    if (type === 0) continue;
    if (rva < MINIDUMP_HEADER && size > 0) return undefined;
    if (rva + size > probe.size) pastEnd++;
    if (type === CRASHPAD_INFO_STREAM) crashpad = true;
    const name = STREAM_NAMES[type];
    if (name && !seen.includes(name)) seen.push(name);
  }
  if (readable === 0) return undefined;
  const timestamp = u32le(h, 20)!;
  const when = timestamp ? new Date(timestamp * 1000).toISOString() : 'no time';
  return plain('analysable', {
    id: 'dmp',
    name: 'Mini DuMP crash report',
    mime: 'application/x-dmp',
    confidence: 0.95,
    code: 'MINIDUMP_DIRECTORY',
    message: `Minidump crash report: "MDMP", version 0x${MINIDUMP_VERSION.toString(16)}, ${streams} streams whose directory fits the file (${seen.join(', ') || 'no named streams'}), written ${when}${crashpad ? ', with the Crashpad info stream (a Chromium, Electron or Crashpad client crash)' : ''}${pastEnd ? `; ${pastEnd} streams run past the end of the file (cut short)` : ''}. Minidump readers (WinDbg, minidump_stackwalk, rust-minidump) open it.`,
    figures: { streams, crashpad, truncated: pastEnd > 0, timestamp },
  });
}

function crashpadSettings(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  if (probe.size !== CRASHPAD_SETTINGS_BYTES || u32le(h, 0) !== CRASHPAD_SETTINGS_MAGIC) return undefined;
  const version = u32le(h, 4)!;
  const options = u32le(h, 8)!;
  if (version < 1 || version > 16 || options > 0xff) return undefined;
  const id = Array.from(h.subarray(24, 40), (b) => b.toString(16).padStart(2, '0')).join('');
  const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
  return plain('opaque', {
    id: 'crashpad-settings',
    name: 'Crashpad settings (settings.dat)',
    confidence: 0.93,
    code: 'CRASHPAD_SETTINGS',
    message: `Crashpad database settings: magic "CPds", version ${version}, uploads ${options & 1 ? 'enabled' : 'disabled'}, a 40-byte record ending in the crash client's ID ${uuid}.`,
    figures: { version, uploadsEnabled: (options & 1) === 1 },
    details: { clientId: uuid },
  });
}

function crashpadMetadata(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  if (h.length < METADATA_HEADER || u32le(h, 0) !== CRASHPAD_METADATA_MAGIC || u32le(h, 4) !== 1) return undefined;
  const records = u32le(h, 8)!;
  const strings = probe.size - METADATA_HEADER - METADATA_RECORD * records;
  if (strings < 0) return undefined;
  let checked = 0;
  for (let i = 0; i < records && METADATA_HEADER + METADATA_RECORD * (i + 1) <= h.length; i++) {
    const at = METADATA_HEADER + METADATA_RECORD * i;
    // Both string indexes point into the table after the records; state is a ReportState, uploaded a bool.
    const state = u32le(h, at + 44)!;
    const uploaded = h[at + 48]!;
    if (u32le(h, at + 16)! >= strings || u32le(h, at + 20)! >= strings || state > 8 || uploaded > 1) return undefined;
    checked++;
  }
  // With no records there must be no string table either (an empty database's file is the header alone).
  if (records === 0 && strings !== 0) return undefined;
  return plain('opaque', {
    id: 'crashpad-metadata',
    name: 'Crashpad report metadata (Windows)',
    confidence: 0.9,
    code: 'CRASHPAD_METADATA',
    message: `Crashpad report database metadata: magic "CPAD", version 1, ${records} report records (${checked} checked: string indexes inside the ${strings}-byte string table, a known state, an uploaded flag).`,
    figures: { records, checked },
  });
}

function persistentMetrics(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  if (h.length < PMA_HEADER || u32le(h, 0) !== PMA_COOKIE) return undefined;
  const size = u32le(h, 4)!;
  const pageSize = u32le(h, 8)!;
  const version = u32le(h, 12)!;
  const freeptr = u32le(h, 40)!;
  // The segment is the file (a mapped file), the free pointer lies after the header within it, the
  // page size divides it, and the queue's block header carries the queue cookie.
  if (version < 1 || version > 16 || size < PMA_HEADER || size > PMA_MAX_SIZE || size !== probe.size) return undefined;
  if (pageSize !== 0 && size % pageSize !== 0) return undefined;
  if (freeptr < PMA_HEADER || freeptr > size || u32le(h, 52) !== PMA_QUEUE_COOKIE) return undefined;
  // The segment's name: a block (16-byte header) holding a NUL-terminated string.
  const nameRef = u32le(h, 24)!;
  let name = '';
  if (nameRef >= PMA_HEADER && nameRef + 16 < h.length) {
    const bytes = h.subarray(nameRef + 16, Math.min(h.length, nameRef + 16 + 64));
    const end = bytes.indexOf(0);
    const text = ascii(bytes.subarray(0, end < 0 ? bytes.length : end));
    if (/^[\x20-\x7e]{1,63}$/.test(text)) name = text;
  }
  return plain('opaque', {
    id: 'chromium-persistent-metrics',
    name: 'Chromium persistent metrics (.pma)',
    confidence: 0.93,
    code: 'CHROMIUM_PMA_HEADER',
    message: `Chromium persistent memory allocator segment${name ? ` "${name}"` : ''}: cookie 0x408305DC, version ${version}, a segment size equal to the file's (${size} bytes), ${freeptr - PMA_HEADER} bytes allocated after the header (histograms the browser had not yet reported).`,
    figures: { version, allocatedBytes: freeptr - PMA_HEADER, pageSize },
    ...(name ? { details: { segmentName: name } } : {}),
  });
}

export const crashReportsDetector = defineDetector({
  meta: {
    id: 'crash-reports',
    version: '1.0.0',
    title: "Minidumps, Crashpad's settings and Chromium's persistent metrics files",
    formats: [
      {
        id: 'dmp',
        name: 'Mini DuMP crash report',
        status: 'analysable',
        how: 'structure',
        extensions: ['dmp', 'mdmp'],
      },
      {
        id: 'crashpad-settings',
        name: 'Crashpad settings (settings.dat)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['dat'],
      },
      {
        id: 'crashpad-metadata',
        name: 'Crashpad report metadata (Windows)',
        status: 'opaque',
        how: 'header-field',
      },
      {
        id: 'chromium-persistent-metrics',
        name: 'Chromium persistent metrics (.pma)',
        status: 'opaque',
        how: 'header-field',
        extensions: ['pma'],
      },
    ],
  },
  signatures: [
    { offset: 0, ascii: 'MDMP' },
    { offset: 0, ascii: 'sdPC' },
    { offset: 0, ascii: 'DAPC' },
    { offset: 0, hex: 'dc058340' },
  ],
  minSize: METADATA_HEADER,
  priority: 30,
  detect: (probe) => minidump(probe) ?? crashpadSettings(probe) ?? crashpadMetadata(probe) ?? persistentMetrics(probe),
});
