/**
 * Apple's unified log (macOS 10.12+, iOS 10+), named but kept opaque: the
 * entries are format-string references resolved through other files, read
 * only by Apple's `log` tool and dedicated parsers (the corpus's convention).
 * - tracev3 (`/private/var/db/diagnostics/{Persist,Special,Signpost}/`):
 *   chunks of a u32 tag, u32 sub tag and u64 size, padded to 8 bytes; the
 *   first is the header chunk (tag 0x1000) and must fit the file, and the
 *   next, when the head holds it, has a known tag (catalog 0x600b, firehose
 *   0x6001, oversize 0x6002, statedump 0x6003, simpledump 0x6004, chunkset
 *   0x600d, header 0x1000).
 * - timesync (`diagnostics/timesync/`): a boot record (u16 0xbbb0, u16 size
 *   48) followed by sync records ("Ts", u16 size 32) or another boot record.
 * - uuidtext (`/private/var/db/uuidtext/<2 hex>/<30 hex>`): u32 0x66778899,
 *   version 2.1, an entry count whose (offset, size) table and strings fit
 *   the file, and the image path NUL-terminated at its end.
 * - shared-cache strings (`uuidtext/dsc/<32 hex>`): "hcsd", version 1 or 2,
 *   range and UUID counts whose descriptors fit the file.
 * Reference: libyal/dtformats, "Apple Unified Logging and Activity Tracing
 * formats". Fixtures written from it (fixtures/apple-unified-log/generate.py);
 * the shared corpus holds real ones.
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u16le, u32le, u64le } from './util.js';

const CHUNK_TAGS = new Set([0x1000, 0x6001, 0x6002, 0x6003, 0x6004, 0x600b, 0x600d]);

type Kind = 'apple-tracev3' | 'apple-timesync' | 'apple-uuidtext' | 'apple-dsc';
const NAMES: Record<Kind, string> = {
  'apple-tracev3': 'Apple unified log tracev3',
  'apple-timesync': 'Apple unified log timesync',
  'apple-uuidtext': 'Apple unified log uuidtext (format strings)',
  'apple-dsc': 'Apple unified log shared-cache strings (dsc)',
};

function verdict(id: Kind, code: string, message: string): Detection {
  return plain('opaque', {
    id,
    name: NAMES[id],
    confidence: 0.9,
    code,
    message: `${message}: part of Apple's unified log, read by Apple's log tool and dedicated parsers only.`,
  });
}

function tracev3(probe: Probe): Detection | undefined {
  const h = probe.head;
  const size = u64le(h, 8);
  if (u32le(h, 0) !== 0x1000 || size === undefined || size < 0x40 || size > 0x1000 || 16 + size > probe.size)
    return undefined;
  const next = 16 + size + (-size & 7);
  const tag = u32le(h, next);
  if (next + 16 <= h.length && (tag === undefined || !CHUNK_TAGS.has(tag))) return undefined;
  const then = tag !== undefined && next + 16 <= h.length ? `, then a chunk tagged 0x${tag.toString(16)}` : '';
  return verdict('apple-tracev3', 'TRACEV3_CHUNKS', `A tracev3 header chunk (tag 0x1000, ${size} bytes)${then}`);
}

function timesync(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (u16le(h, 2) !== 48 || probe.size < 48) return undefined;
  if (probe.size > 48) {
    const mark = u16le(h, 48);
    const length = u16le(h, 50);
    const sync = mark === 0x7354 && length === 32;
    const boot = mark === 0xbbb0 && length === 48;
    if (!sync && !boot) return undefined;
  }
  return verdict(
    'apple-timesync',
    'TIMESYNC_RECORDS',
    'A boot record (0xbbb0, 48 bytes) followed by a sync ("Ts") or boot record',
  );
}

function uuidtext(probe: Probe): Detection | undefined {
  const h = probe.head;
  const count = u32le(h, 12);
  if (u32le(h, 4) !== 2 || u32le(h, 8) !== 1 || count === undefined || 16 + 8 * count >= probe.size) return undefined;
  let strings = 0;
  for (let i = 0; i < count && 24 + 8 * i <= h.length; i++) strings += u32le(h, 20 + 8 * i)!;
  if (16 + 8 * count + strings >= probe.size) return undefined;
  const last = probe.complete ? h[h.length - 1] : probe.tail[probe.tail.length - 1];
  if (last !== 0) return undefined;
  return verdict(
    'apple-uuidtext',
    'UUIDTEXT_HEADER',
    `uuidtext signature 0x66778899, version 2.1, ${count} format-string ranges fitting the file and the image path at its end`,
  );
}

function dsc(probe: Probe): Detection | undefined {
  const h = probe.head;
  const major = u16le(h, 4);
  const ranges = u32le(h, 8);
  const uuids = u32le(h, 12);
  if ((major !== 1 && major !== 2) || ranges === undefined || uuids === undefined) return undefined;
  const width = major === 1 ? 16 : 24;
  if (ranges + uuids === 0 || 16 + ranges * width + uuids * 28 > probe.size) return undefined;
  return verdict(
    'apple-dsc',
    'DSC_HEADER',
    `"hcsd" version ${major}, ${ranges} string ranges and ${uuids} image UUIDs whose descriptors fit the file`,
  );
}

export const appleUnifiedLogDetector = defineDetector({
  meta: {
    id: 'apple-unified-log',
    version: '1.0.0',
    title: 'Apple unified log files: tracev3, timesync, uuidtext, shared-cache strings (named, opaque)',
    formats: (Object.keys(NAMES) as Kind[]).map((id) => ({
      id,
      name: NAMES[id],
      status: 'opaque' as const,
      how: 'structure' as const,
      ...(id === 'apple-tracev3'
        ? { extensions: ['tracev3'] }
        : id === 'apple-timesync'
          ? { extensions: ['timesync'] }
          : {}),
    })),
  },
  signatures: [
    { offset: 0, hex: '00100000' },
    { offset: 0, hex: 'b0bb' },
    { offset: 0, hex: '99887766' },
    { offset: 0, ascii: 'hcsd' },
  ],
  minSize: 16,
  priority: 30,
  detect(probe): Detection | undefined {
    const first = u32le(probe.head, 0);
    if (first === 0x1000) return tracev3(probe);
    if (first === 0x66778899) return uuidtext(probe);
    if (first === 0x64736368) return dsc(probe);
    if (u16le(probe.head, 0) === 0xbbb0) return timesync(probe);
    return undefined;
  },
});
