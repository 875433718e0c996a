/**
 * Two small binary files a Firefox profile (desktop, and Fenix on Android)
 * holds many of, which have no magic number but a fixed name and layout:
 * - `storage/<kind>/<origin>/.metadata-v2`, the quota manager's record of a
 *   site's storage folder: the last access time (int64, microseconds since
 *   the epoch), the persisted flag, two u32 fields, then three u32-length
 *   strings (origin attributes suffix, quota group, storage origin) and the
 *   private-browsing flag, all big-endian. It says which site the IndexedDB,
 *   local storage and Cache API data beside it belong to, and when the site
 *   last used it.
 * - `data.safe.bin`, an rkv store in safe mode (Glean telemetry, the
 *   extension store, certificate storage): a bincode map, little-endian, a
 *   u64 count of databases, each an optional u64-length name, u32 flags and a
 *   u64 count of entries.
 * Both are checked field by field (times in range, lengths that fit,
 * printable names), so the name alone decides nothing. Under another name
 * (a carved or exported copy) each must prove more: the origin metadata an
 * origin with a scheme (or Firefox's internal "chrome"), the rkv store its
 * entries chaining (each key and value a u64 length and its bytes) to the
 * file's end, or for eight entries through the bytes read.
 * Reference: Firefox dom/quota/DirectoryMetadata.h (the .metadata-v2 fields);
 * mozilla/rkv src/backend/impl_safe (safe mode's bincode snapshot). Fixtures
 * made by headless firefox-esr (fixtures/firefox-storage/generate.sh).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { plain, u32be, u64le } from './util.js';

const METADATA_NAME = '.metadata-v2';
const RKV_NAME = 'data.safe.bin';
/** Microseconds since the epoch: 2000-01-01 to 2100-01-01. */
const FIRST_MICROS = 946_684_800_000_000;
const LAST_MICROS = 4_102_444_800_000_000;
const MAX_STRING = 8192;
const MAX_DATABASES = 1024;
const MAX_NAME = 1024;
/** Entries an rkv store under another name must chain through when the probe holds only its first part. */
const MIN_CHAINED_ENTRIES = 8;
/** A storage origin as Firefox writes one: a URL's scheme, or its internal principal. */
const ORIGIN_FORM = /^(?:[a-z][a-z0-9+.-]*:\S+|chrome)$/;

export const firefoxStorageDetector = defineDetector({
  meta: {
    id: 'firefox-storage',
    version: '1.0.0',
    title: "Firefox profile storage records (the quota manager's .metadata-v2, rkv's data.safe.bin)",
    formats: [
      {
        id: 'firefox-origin-metadata',
        name: 'Firefox storage origin metadata (.metadata-v2)',
        status: 'analysable',
        how: 'structure',
        extensions: ['metadata-v2'],
      },
      {
        id: 'rkv-safe-store',
        name: 'rkv key-value store, safe mode (Firefox data.safe.bin)',
        status: 'analysable',
        how: 'structure',
        extensions: ['bin'],
      },
    ],
  },
  minSize: 8,
  priority: 30,
  detect(probe): Detection | undefined {
    if (probe.name === METADATA_NAME) return originMetadata(probe.head, true);
    if (probe.name === RKV_NAME) return rkvStore(probe, true);
    return originMetadata(probe.head, false) ?? rkvStore(probe, false);
  },
});

/** A u32-length string at `at` (printable ASCII), and where it ends. */
function lengthPrefixed(b: Uint8Array, at: number, length: number | undefined): [string, number] | undefined {
  if (length === undefined || length > MAX_STRING || at + length > b.length) return undefined;
  for (let i = at; i < at + length; i++) if (b[i]! < 0x20 || b[i]! > 0x7e) return undefined;
  return [Buffer.from(b.buffer, b.byteOffset + at, length).toString('latin1'), at + length];
}

function originMetadata(b: Uint8Array, named: boolean): Detection | undefined {
  if (b.length < 8 + 1 + 8 + 12 + 1) return undefined;
  const micros = Number(Buffer.from(b.buffer, b.byteOffset, 8).readBigInt64BE(0));
  if (micros < FIRST_MICROS || micros > LAST_MICROS || b[8]! > 1) return undefined;
  let at = 17;
  const strings: string[] = [];
  for (let i = 0; i < 3; i++) {
    const s = lengthPrefixed(b, at + 4, u32be(b, at));
    if (!s) return undefined;
    strings.push(s[0]);
    at = s[1];
  }
  const [suffix, group, origin] = strings as [string, string, string];
  // The storage origin names a site or an internal principal; the private-browsing flag follows it.
  if (origin === '' || /\s/.test(origin) || at >= b.length || b[at]! > 1) return undefined;
  if (!named && (!ORIGIN_FORM.test(origin) || group === '')) return undefined;
  const lastAccess = new Date(micros / 1000).toISOString();
  return plain('analysable', {
    id: 'firefox-origin-metadata',
    name: 'Firefox storage origin metadata (.metadata-v2)',
    confidence: named ? 0.9 : 0.75,
    code: named ? 'FIREFOX_ORIGIN_METADATA' : 'FIREFOX_ORIGIN_METADATA_STRUCTURE',
    message: `${named ? '' : 'Not named .metadata-v2, but laid out as '}Firefox's quota-manager record of a site's storage folder: origin "${origin}"${suffix ? ` (attributes ${suffix})` : ''}, group "${group}", last accessed ${lastAccess}, ${b[8] === 1 ? 'persisted' : 'not persisted'}${b[at] === 1 ? ', private browsing' : ''}.`,
    figures: { origin, group, lastAccess, persisted: b[8] === 1 },
    details: { origin, group, suffix, lastAccess, persisted: b[8] === 1, private: b[at] === 1 },
  });
}

/**
 * How the rkv store's databases and entries chain from offset 8: each database an optional name, u32 flags
 * and a u64 count of entries, each entry a key and a value of u64 length and bytes, all within `size`. `end`
 * is where the walk stopped (the end of the last database when whole), `entries` how many lie whole in `b`.
 */
function rkvChain(b: Uint8Array, count: number, size: number): { entries: number; end: number } | undefined {
  let at = 8;
  let entries = 0;
  for (let d = 0; d < count; d++) {
    if (b[at] === 1) {
      const length = u64le(b, at + 1);
      if (length === undefined || length < 1 || length > MAX_NAME) return undefined;
      at += 9 + length;
    } else if (b[at] === 0) at += 1;
    else return at >= b.length ? { entries, end: at } : undefined;
    const n = u64le(b, at + 4);
    if (n === undefined) return { entries, end: at };
    if (n > size) return undefined;
    at += 12;
    for (let e = 0; e < n; e++)
      for (let part = 0; part < 2; part++) {
        const length = u64le(b, at);
        if (length === undefined) return { entries, end: at };
        if (at + 8 + length > size) return undefined;
        at += 8 + length;
        if (part === 1 && at <= b.length) entries++;
      }
  }
  return { entries, end: at };
}

function rkvStore(probe: Probe, named: boolean): Detection | undefined {
  const b = probe.head;
  const count = u64le(b, 0);
  if (count === undefined || count < 1 || count > MAX_DATABASES) return undefined;
  // The first database: an optional name (tag 0 or 1, then a u64 length), u32 flags, a u64 count of entries.
  let at = 8;
  let name = '(default)';
  if (b[at] === 1) {
    const length = u64le(b, at + 1);
    if (length === undefined || length < 1 || length > MAX_NAME) return undefined;
    const s = lengthPrefixed(b, at + 9, length);
    if (!s) return undefined;
    [name, at] = s;
  } else if (b[at] === 0) at += 1;
  else return undefined;
  const entries = u64le(b, at + 4);
  if (entries === undefined || entries > 0xffffffff) return undefined;
  const what = `rkv store written in safe mode (bincode): ${count} database${count === 1 ? '' : 's'}, the first "${name}" with ${entries} entr${entries === 1 ? 'y' : 'ies'} (Firefox: Glean telemetry, the extension store, certificate storage)`;
  if (named)
    return plain('analysable', {
      id: 'rkv-safe-store',
      name: 'rkv key-value store, safe mode (Firefox data.safe.bin)',
      confidence: 0.85,
      code: 'RKV_SAFE_STORE',
      message: `An ${what}.`,
      figures: { databases: count, firstDatabase: name, firstEntries: entries },
    });
  const chain = rkvChain(b, count, probe.size);
  if (!chain || chain.entries < 1) return undefined;
  const whole = probe.complete && chain.end === probe.size;
  if (!whole && (probe.complete || chain.entries < MIN_CHAINED_ENTRIES)) return undefined;
  return plain('analysable', {
    id: 'rkv-safe-store',
    name: 'rkv key-value store, safe mode (Firefox data.safe.bin)',
    confidence: 0.75,
    code: 'RKV_SAFE_STORE_STRUCTURE',
    message: `Not named data.safe.bin, but an ${what}, its key/value entries chaining by their u64 lengths ${whole ? `to the file's end (${chain.entries} entries)` : `through the first ${chain.entries} entries read, each within the file's ${probe.size} bytes`}.`,
    figures: { databases: count, firstDatabase: name, firstEntries: entries, chainedEntries: chain.entries },
  });
}
