/**
 * macOS FSEvents disk log streams: the decompressed content of the gzip files
 * in a volume's `/.fseventsd` (one per range of event ids), the record of
 * which paths were created, changed, renamed or removed. A stream header,
 * "1SLD" (Mac OS X 10.5 to 10.12), "2SLD" (10.13 on, with a node id per
 * record) or "3SLD" (later, a further field), four unknown bytes and the
 * stream's size (little-endian, header included); then records of a
 * NUL-terminated path, an 8-byte event id and 4-byte flags. Opaque: read by
 * forensic tools (FSEventsParser, plaso, mac_apt), not by a general reader;
 * before, the member inside the gzip was unknown binary. The detector wants
 * the size to fit the file and the first record's path to be text ending in
 * NUL with the record's fixed fields after it inside the stream.
 * Reference: libyal/dtformats "MacOS File System Events Disk Log Stream
 * format". Fixtures are real streams from published forensic test data
 * (fixtures/apple-fsevents/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u32le } from './util.js';

const VERSIONS: Record<string, number> = { '1SLD': 1, '2SLD': 2, '3SLD': 3 };
// The record's fixed part after the path: event id and flags, then a node id (v2) and a further 4 bytes (v3).
const FIXED: Record<number, number> = { 1: 12, 2: 20, 3: 24 };
const MAX_PATH = 1024;

export const appleFseventsDetector = defineDetector({
  meta: {
    id: 'apple-fsevents',
    version: '1.0.0',
    title: 'macOS FSEvents disk log streams (the content of /.fseventsd files)',
    formats: [
      { id: 'apple-fsevents-dls', name: 'macOS FSEvents disk log stream', status: 'opaque', how: 'header-field' },
    ],
  },
  signatures: [
    { offset: 0, ascii: '1SLD' },
    { offset: 0, ascii: '2SLD' },
    { offset: 0, ascii: '3SLD' },
  ],
  minSize: 12 + 1 + 12,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const version = VERSIONS[ascii(h, 0, 4)];
    const size = u32le(h, 8);
    if (!version || size === undefined || size > probe.size) return undefined;
    let end = 12;
    while (end < h.length && end - 12 <= MAX_PATH && h[end] !== 0) {
      if (h[end]! < 0x20 || h[end] === 0x7f) return undefined;
      end++;
    }
    if (h[end] !== 0 || end + 1 + FIXED[version]! > size) return undefined;
    const path = Buffer.from(h.subarray(12, end)).toString('utf8');
    return plain('opaque', {
      id: 'apple-fsevents-dls',
      name: 'macOS FSEvents disk log stream',
      confidence: 0.92,
      code: 'APPLE_FSEVENTS_DLS',
      message: `"${ascii(h, 0, 4)}" disk log stream (version ${version}) of ${size} bytes${size < probe.size ? ', more streams after it' : ''}, the first record's path ${path ? `"${path.slice(0, 80)}"` : 'empty (the volume itself)'}: macOS's record of file-system changes (FSEvents), read by forensic parsers.`,
      figures: { version, streamSize: size },
    });
  },
});
