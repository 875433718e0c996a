/**
 * Firefox's HTTP cache entries (`cache2/entries/<SHA-1>`, desktop and
 * Android): the response body, then the entry's metadata, then the body's
 * length as a u32 BE in the last 4 bytes, which is where the metadata starts.
 * The metadata: a u32 hash, one u16 hash per 256 KiB chunk of the body, a
 * header of eight u32 BE (version, fetch count, last fetched, last modified,
 * frecency, expiration, key size, flags; version 1 has no flags), the key (`[flags]:<url>`) and a NUL,
 * then NUL-separated name/value pairs (request method, response head, …);
 * the files Firefox ESR 140 writes have one more u32 before the offset.
 * No magic: the offset in the last 4 bytes, a known version, a key that
 * fits and ends with a NUL, and elements that end with a NUL right before the
 * offset are checked together, on the probe's head or tail. Opaque, with the
 * format named: Firefox's private records, read only by cache readers. An
 * entry with a body starts with that body: this is a fallback detector (run
 * only when no primary detector recognised the bytes), beside libmagic and
 * statistics, with a weaker confidence when there is a body, so a recognised
 * body (PNG, gzip, HTML…) is the item's format.
 * Reference: Firefox netwerk/cache2/CacheFileMetadata.h/.cpp
 * (kCacheEntryVersion, CacheFileMetadataHeader). Fixtures made by headless
 * firefox-esr (fixtures/browser-caches/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, probeBytes, u32be } from './util.js';

const CHUNK_BYTES = 256 * 1024;
const HEADER_BYTES = 32;

export const firefoxCache2Detector = defineDetector({
  meta: {
    id: 'firefox-cache2',
    version: '1.0.0',
    title: "Firefox's HTTP cache entries (cache2)",
    formats: [
      { id: 'firefox-cache2-entry', name: 'Firefox cache2 entry (HTTP cache)', status: 'opaque', how: 'structure' },
    ],
  },
  minSize: 4 + 4 + HEADER_BYTES + 2,
  priority: 40,
  // An entry starts with its body: the metadata explains the file only when nothing recognises those bytes.
  fallback: true,
  detect(probe): Detection | undefined {
    const end = probeBytes(probe, probe.size - 4, 4);
    if (!end) return undefined;
    const offset = u32be(end, 0) ?? 0;
    const chunks = Math.ceil(offset / CHUNK_BYTES);
    const headerAt = offset + 4 + 2 * chunks;
    const header = probeBytes(probe, headerAt, HEADER_BYTES);
    if (!header) return undefined;
    const version = u32be(header, 0) ?? 0;
    const keySize = u32be(header, 24) ?? 0;
    // Version 1 has no flags field: its key follows seven u32.
    const flags = version >= 2 ? (u32be(header, 28) ?? 0) : 0;
    const keyAt = headerAt + (version >= 2 ? HEADER_BYTES : HEADER_BYTES - 4);
    // Versions 1-4 are the ones Firefox has written; flags has two defined bits.
    if (version < 1 || version > 4 || flags > 3 || keySize < 3 || keyAt + keySize + 1 > probe.size - 4)
      return undefined;
    const key = probeBytes(probe, keyAt, keySize + 1);
    // The elements end with a NUL before the offset field; current versions write one more u32 between them.
    const beforeOffset = probeBytes(probe, probe.size - 9, 5);
    const elementsEnd = beforeOffset && (beforeOffset[4] === 0 || beforeOffset[0] === 0);
    if (!key || key[keySize] !== 0 || !elementsEnd) return undefined;
    const text = ascii(key.subarray(0, keySize));
    // The key is printable, with a ':' before the URL (after optional flags such as `a,` or `O^partitionKey=…,`).
    if (!/^[\x20-\x7e]+$/.test(text) || !text.includes(':')) return undefined;
    const url = text.slice(text.indexOf(':') + 1);
    return plain('opaque', {
      id: 'firefox-cache2-entry',
      name: 'Firefox cache2 entry (HTTP cache)',
      // With a body the entry holds that body: libmagic's name for it, when it has one, wins.
      confidence: offset === 0 ? 0.93 : 0.55,
      code: 'FIREFOX_CACHE2_METADATA',
      message: `Firefox cache2 entry: the last 4 bytes put the metadata at offset ${offset} (the body's length), where a version ${version} header names a ${keySize}-byte key ending in a NUL (${url.length > 120 ? `${url.slice(0, 120)}…` : url}) and the elements end in a NUL before the offset field.`,
      figures: { version, bodyBytes: offset, keySize },
      details: { key: text },
    });
  },
});
