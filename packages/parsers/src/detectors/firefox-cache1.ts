/**
 * Firefox's first disk cache (Mozilla 0.9.5 to Firefox 31, and SeaMonkey, Pale
 * Moon, Waterfox and other Gecko forks since): a `Cache/` folder holding
 * `_CACHE_MAP_`, three block files `_CACHE_001_` to `_CACHE_003_` and large
 * entries in `<x>/<yz>/<hash>d01` (data, the cached body as served) and `m01`
 * (metadata) files.
 * - `_CACHE_MAP_`: a big-endian header (version 1.x, data size in KiB, entry
 *   count, dirty flag, record count, then 32 eviction ranks and 32 bucket
 *   usages: 276 bytes), then 16-byte records (hash, eviction rank, data and
 *   metadata locations), as many as the record count, a multiple of the 32
 *   buckets.
 * - `_CACHE_00N_`: a 4,096-byte allocation bitmap, then blocks of 256, 1,024 or
 *   4,096 bytes. No magic: named by the file name, which Firefox fixes, and a
 *   size that holds at least the bitmap.
 * Opaque: the browser's own records, read by cache viewers written for them.
 * References: Mozilla netwerk/cache/nsDiskCacheMap.h (nsDiskCacheHeader,
 * nsDiskCacheRecord, kBuckets), nsDiskCacheBlockFile.h (kBitMapBytes); libyal
 * dtformats "Firefox cache file format".
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u32be } from './util.js';

const MAP_HEADER = 276;
const MAP_RECORD = 16;
const BUCKETS = 32;
const BITMAP_BYTES = 4096;
const BLOCK_FILE = /^_CACHE_00([123])_$/;
const BLOCK_SIZES = [256, 1024, 4096];

function cacheMap(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (h.length < MAP_HEADER) return undefined;
  const version = u32be(h, 0) ?? 0;
  const entries = u32be(h, 8) ?? 0;
  const dirty = u32be(h, 12) ?? 0;
  const records = u32be(h, 16) ?? 0;
  if (version >>> 16 !== 1 || (version & 0xffff) === 0 || (version & 0xffff) > 64) return undefined;
  if (dirty > 1 || records === 0 || records % BUCKETS !== 0 || entries > records) return undefined;
  // Each bucket uses at most its share of the records.
  for (let i = 0; i < BUCKETS; i++) if ((u32be(h, 148 + 4 * i) ?? 0) > records / BUCKETS) return undefined;
  // The records follow the header; a copy may stop short of them (only the header kept), never run past them.
  const body = probe.size - MAP_HEADER;
  if (body < 0 || body % MAP_RECORD !== 0 || body > MAP_RECORD * records) return undefined;
  const whole = body === MAP_RECORD * records;
  return plain('opaque', {
    id: 'firefox-cache1-map',
    name: 'Firefox cache (version 1) map',
    confidence: 0.9,
    code: 'FIREFOX_CACHE1_MAP',
    message: `Firefox cache version 1 map: big-endian header version ${version >>> 16}.${version & 0xffff}, ${entries} entries in ${records} records (${BUCKETS} buckets)${whole ? ', the records filling the file after the 276-byte header' : `, of which the file holds ${body / MAP_RECORD} (cut short)`}.`,
    figures: { version: `${version >>> 16}.${version & 0xffff}`, entries, records, truncated: !whole },
  });
}

function blockFile(probe: Probe): Detection | undefined {
  const m = BLOCK_FILE.exec(probe.name);
  if (!m || probe.size < BITMAP_BYTES) return undefined;
  const blockSize = BLOCK_SIZES[Number(m[1]) - 1]!;
  return plain('opaque', {
    id: 'firefox-cache1-block',
    name: 'Firefox cache (version 1) block file',
    confidence: 0.8,
    code: 'FIREFOX_CACHE1_BLOCK_FILE',
    message: `Firefox cache version 1 block file ${probe.name}: the name Firefox gives its ${blockSize}-byte-block file, and ${probe.size} bytes, enough for its 4,096-byte allocation bitmap (the blocks hold cached bodies and their metadata).`,
    figures: { blockSize },
  });
}

export const firefoxCache1Detector = defineDetector({
  meta: {
    id: 'firefox-cache1',
    version: '1.0.0',
    title: "Firefox's version 1 disk cache (_CACHE_MAP_, _CACHE_00N_)",
    formats: [
      { id: 'firefox-cache1-map', name: 'Firefox cache (version 1) map', status: 'opaque', how: 'header-field' },
      { id: 'firefox-cache1-block', name: 'Firefox cache (version 1) block file', status: 'opaque', how: 'path' },
    ],
  },
  minSize: MAP_HEADER,
  priority: 40,
  detect: (probe) => cacheMap(probe) ?? blockFile(probe),
});
