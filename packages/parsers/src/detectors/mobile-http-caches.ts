/**
 * The disk caches Android HTTP and image libraries write into every app's
 * `cache/` folder, thousands of files in a phone extraction:
 *
 * - Volley's `DiskBasedCache` (`cache/volley/<hash>`): one file per response,
 *   a header of little-endian fields (u32 magic 0x20150306, or 0x20120504 in
 *   Volley before 2015; the cache key and the ETag as u64 length + UTF-8; the
 *   server date, last-modified, TTL and soft TTL as u64 milliseconds; a u32
 *   count of response headers, each name and value a string) and then the
 *   body exactly as received: JSON, an image, sometimes still gzip. A JPEG or
 *   PNG body after the header was taken for a "JPEG body without its header";
 *   a compressed body for unknown compressed data. Opaque with the format
 *   named (like Chromium's cache entries): no general tool reads the header,
 *   and the body is stated in the reason.
 * - Jake Wharton's `DiskLruCache` journal (OkHttp's HTTP cache, Glide's
 *   `image_manager_disk_cache`, and many copies): the text "libcore.io.DiskLruCache",
 *   the journal version 1, the app's cache version, the count of values per
 *   entry, a blank line, then CLEAN/DIRTY/REMOVE/READ lines naming entries.
 *   Text: analysable, named.
 * - OkHttp's entry metadata (`<md5 of URL>.0`, beside `.1`, the body): text
 *   lines (the URL, the request method, the varying request headers, the status
 *   line, the response headers, then for HTTPS the cipher suite and
 *   certificates). Analysable, named; the `.1` bodies are the responses' own
 *   formats (gzip, Brotli, zstd, JSON, images) and are left to their detectors.
 *
 * References: Volley core/src/main/java/com/android/volley/toolbox/DiskBasedCache.java
 * and CacheHeader.java (writeHeader, writeInt/writeLong little-endian, CACHE_MAGIC);
 * JakeWharton/DiskLruCache DiskLruCache.java (MAGIC, VERSION_1, journal line
 * kinds); OkHttp okhttp3/Cache.kt (Entry.writeTo, VERSION 201105, ENTRY_METADATA 0,
 * ENTRY_BODY 1); Glide DiskLruCacheWrapper (app version 1, one value). Fixtures
 * written from those layouts by python3 (fixtures/mobile-http-caches/generate.sh).
 */
import { isUtf8 } from 'node:buffer';
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { ascii, hexOf, plain, textInfo, u32le, u64le } from './util.js';

const VOLLEY_MAGICS = new Map([
  [0x20150306, 'current (0x20150306)'],
  [0x20120504, 'pre-2015 (0x20120504)'],
]);
/** Longest key, ETag, header name or value believed: URLs and header values are short; a bigger length is not Volley's. */
const MAX_STRING = 64 * 1024;
const MAX_HEADERS = 4096;
/** Milliseconds since 1970 that Volley's dates and TTLs hold: 0 (unknown) or between 1990 and 2200. */
const MS_1990 = 631_152_000_000;
const MS_2200 = 7_258_118_400_000;

function plausibleMillis(v: number): boolean {
  return v === 0 || (v >= MS_1990 && v <= MS_2200);
}

/** Printable UTF-8 with no control characters (tab allowed): what a URL, an ETag or a header holds. */
function cleanText(b: Uint8Array): boolean {
  if (!isUtf8(b)) return false;
  for (const c of b) if ((c < 0x20 && c !== 0x09) || c === 0x7f) return false;
  return true;
}

interface VolleyString {
  text: string;
  end: number;
}

/** A Volley string at `at`: u64 LE length + UTF-8; undefined when malformed, 'cut' when the head ends inside it. */
function volleyString(h: Uint8Array, at: number, size: number, maxBytes: number): VolleyString | 'cut' | undefined {
  if (at + 8 > h.length) return at + 8 > size ? undefined : 'cut';
  const length = u64le(h, at);
  if (length === undefined || length > maxBytes) return undefined;
  const end = at + 8 + length;
  if (end > size) return undefined;
  if (end > h.length) return 'cut';
  const bytes = h.subarray(at + 8, end);
  if (!cleanText(bytes)) return undefined;
  return { text: Buffer.from(bytes).toString('utf8'), end };
}

/** What a cached body starts with, by its own magic or as text. */
function bodyKind(b: Uint8Array): string | undefined {
  if (b.length < 4) return undefined;
  const hex = hexOf(b, 0, 4);
  if (hex.startsWith('ffd8ff')) return 'a JPEG image';
  if (hex === '89504e47') return 'a PNG image';
  if (hex === '47494638') return 'a GIF image';
  if (hex === '52494646' && ascii(b.subarray(8, 12)) === 'WEBP') return 'a WebP image';
  if (ascii(b.subarray(4, 8)) === 'ftyp') return 'an ISO media file (MP4/HEIF)';
  if (hex.startsWith('1f8b08')) return 'gzip-compressed data';
  if (hex === '28b52ffd') return 'zstd-compressed data';
  const text = textInfo(b.subarray(0, 4096));
  if (text) {
    const first = text.text.trimStart()[0];
    return first === '{' || first === '[' ? 'JSON text' : first === '<' ? 'markup (HTML/XML)' : 'text';
  }
  return undefined;
}

function volleyEntry(probe: Probe): Detection | undefined {
  const h = probe.head;
  const magic = u32le(h, 0);
  const version = magic === undefined ? undefined : VOLLEY_MAGICS.get(magic);
  if (!version) return undefined;
  const key = volleyString(h, 4, probe.size, MAX_STRING);
  if (!key || key === 'cut' || key.text.length === 0) return undefined;
  const etag = volleyString(h, key.end, probe.size, MAX_STRING);
  if (!etag || etag === 'cut') return undefined;
  const timesAt = etag.end;
  if (timesAt + 36 > h.length) return undefined;
  const times = [0, 8, 16, 24].map((o) => u64le(h, timesAt + o) ?? -1);
  if (!times.every(plausibleMillis)) return undefined;
  const count = u32le(h, timesAt + 32) ?? MAX_HEADERS + 1;
  if (count > MAX_HEADERS) return undefined;
  // Every header the head holds must be well formed; one cut by the end of the head stops the walk.
  const headers: Record<string, string> = {};
  let at = timesAt + 36;
  let complete = true;
  for (let i = 0; i < count; i++) {
    const name = volleyString(h, at, probe.size, MAX_STRING);
    if (name === undefined) return undefined;
    if (name === 'cut') {
      complete = false;
      break;
    }
    const value = volleyString(h, name.end, probe.size, MAX_STRING);
    if (value === undefined || (value !== 'cut' && name.text.length === 0)) return undefined;
    if (value === 'cut') {
      complete = false;
      break;
    }
    headers[name.text.toLowerCase()] = value.text;
    at = value.end;
  }
  const bodyBytes = complete ? probe.size - at : undefined;
  const kind = complete ? bodyKind(h.subarray(at)) : undefined;
  const contentType = headers['content-type'];
  const body =
    bodyBytes === undefined
      ? 'a body after the headers (the head ends inside them)'
      : bodyBytes === 0
        ? 'no body'
        : `a ${bodyBytes}-byte body${kind ? ` that is ${kind}` : ''}${contentType ? ` (Content-Type ${contentType})` : ''}`;
  const shortKey = key.text.length > 120 ? `${key.text.slice(0, 120)}…` : key.text;
  return plain('opaque', {
    id: 'volley-cache-entry',
    name: 'Volley disk cache entry (Android HTTP cache)',
    confidence: 0.97,
    code: 'VOLLEY_CACHE_ENTRY',
    message: `Volley DiskBasedCache entry: magic ${version}, the cache key ${shortKey}, ${etag.text ? `ETag ${etag.text}, ` : ''}four plausible millisecond dates/TTLs and ${count} response header(s), then ${body}. The header is Volley's own; the body is the response as received.`,
    figures: {
      headers: count,
      ...(bodyBytes === undefined ? {} : { bodyOffset: at, bodyBytes }),
    },
    details: {
      key: key.text,
      ...(etag.text ? { etag: etag.text } : {}),
      ...(contentType ? { contentType } : {}),
      ...(kind ? { body: kind } : {}),
    },
  });
}

const JOURNAL_MAGIC = 'libcore.io.DiskLruCache\n';
/**
 * An entry line: OkHttp and Jake Wharton's copy allow keys of [a-z0-9_-]{1,120}; Android's original libcore
 * class and other copies only forbid spaces and line breaks, so any run of non-space characters is taken.
 */
const JOURNAL_LINE = /^(CLEAN|DIRTY|REMOVE|READ) \S{1,200}( \d+)*$/;
/** OkHttp's Cache.VERSION: its journal's app version. */
const OKHTTP_CACHE_VERSION = '201105';

function journal(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (ascii(h.subarray(0, JOURNAL_MAGIC.length)) !== JOURNAL_MAGIC) return undefined;
  const text = textInfo(h);
  if (!text) return undefined;
  const lines = text.text.split('\n');
  // Header: magic, journal version "1", app version, value count, a blank line.
  const [, journalVersion, appVersion, valueCount, blank] = lines;
  if (journalVersion !== '1' || !/^\d{1,10}$/.test(appVersion ?? '') || !/^[1-9]\d{0,2}$/.test(valueCount ?? '')) {
    return undefined;
  }
  if (blank !== '') return undefined;
  // The entry lines the head holds in full (the last may be cut by the head or be the final newline).
  const entries = lines.slice(5, -1);
  if (entries.some((l) => !JOURNAL_LINE.test(l))) return undefined;
  const user =
    appVersion === OKHTTP_CACHE_VERSION && valueCount === '2'
      ? "OkHttp's HTTP cache (app version 201105, two values: <key>.0 metadata and <key>.1 body)"
      : valueCount === '1'
        ? "a one-value cache (Glide's image_manager_disk_cache writes <key>.0 only, app version 1)"
        : `a cache of ${valueCount} value(s) per entry`;
  return plain('analysable', {
    id: 'disklrucache-journal',
    name: 'DiskLruCache journal (OkHttp, Glide and other Android disk caches)',
    confidence: 0.97,
    code: 'DISKLRUCACHE_JOURNAL',
    message: `DiskLruCache journal: "libcore.io.DiskLruCache", journal version 1, app version ${appVersion}, ${valueCount} value(s) per entry and ${entries.length} well-formed CLEAN/DIRTY/REMOVE/READ line(s) in the part read: ${user}. Text that lists the cache's entries and their sizes.`,
    figures: { appVersion: Number(appVersion), valueCount: Number(valueCount), lines: entries.length },
  });
}

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'QUERY']);
const STATUS_LINE = /^(HTTP\/1\.[01]|HTTP\/2|h2) \d{3}( .*)?$/;
const HEADER_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:.*$/;

function okhttpMetadata(probe: Probe): Detection | undefined {
  const text = textInfo(probe.head);
  if (!text) return undefined;
  const lines = text.text.split('\n');
  const [url, method, varyCount] = lines;
  if (!url || !/^https?:\/\/\S+$/.test(url) || !HTTP_METHODS.has(method ?? '')) return undefined;
  const vary = /^\d{1,3}$/.test(varyCount ?? '') ? Number(varyCount) : -1;
  if (vary < 0) return undefined;
  let at = 3;
  for (let i = 0; i < vary; i++, at++) if (!HEADER_LINE.test(lines[at] ?? '')) return undefined;
  const status = lines[at++] ?? '';
  if (!STATUS_LINE.test(status)) return undefined;
  const responseCount = /^\d{1,4}$/.test(lines[at] ?? '') ? Number(lines[at++]) : -1;
  if (responseCount < 0) return undefined;
  // The response headers the head holds must all be header lines (OkHttp adds OkHttp-Sent-Millis and -Received-Millis).
  const shown = Math.min(responseCount, lines.length - at - 1);
  for (let i = 0; i < shown; i++) if (!HEADER_LINE.test(lines[at + i]!)) return undefined;
  return plain('analysable', {
    id: 'okhttp-cache-metadata',
    name: 'OkHttp cache entry metadata',
    confidence: 0.95,
    code: 'OKHTTP_CACHE_METADATA',
    message: `OkHttp cache entry metadata (the <key>.0 file; the body is <key>.1 beside it): the URL, request method ${method}, ${vary} varying request header(s), status line "${status}" and ${responseCount} response header line(s), as text.`,
    figures: { varyHeaders: vary, responseHeaders: responseCount },
    details: { url, method, status },
  });
}

export const mobileHttpCachesDetector = defineDetector({
  meta: {
    id: 'mobile-http-caches',
    version: '1.0.0',
    title: "Android HTTP and image libraries' disk caches (Volley, OkHttp, DiskLruCache)",
    formats: [
      {
        id: 'volley-cache-entry',
        name: 'Volley disk cache entry (Android HTTP cache)',
        status: 'opaque',
        how: 'structure',
      },
      {
        id: 'disklrucache-journal',
        name: 'DiskLruCache journal (OkHttp, Glide and other Android disk caches)',
        status: 'analysable',
        how: 'structure',
      },
      { id: 'okhttp-cache-metadata', name: 'OkHttp cache entry metadata', status: 'analysable', how: 'structure' },
    ],
  },
  signatures: [
    { offset: 0, hex: '06031520' },
    { offset: 0, hex: '04051220' },
    { offset: 0, ascii: JOURNAL_MAGIC },
    { offset: 0, ascii: 'http://' },
    { offset: 0, ascii: 'https://' },
  ],
  minSize: 16,
  priority: 30,
  detect(probe): Detection | undefined {
    const c = probe.head[0];
    if (c === 0x06 || c === 0x04) return volleyEntry(probe);
    if (c === 0x6c) return journal(probe);
    return okhttpMetadata(probe);
  },
});
