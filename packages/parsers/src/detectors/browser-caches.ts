/**
 * Chromium's and Firefox's own binary files, present in every computer and
 * phone extraction (Chrome, Edge, Brave, Android WebView in any app):
 *
 * - Chromium's simple HTTP cache (Linux, Android, WebView): entry files
 *   `<hash>_0`/`_1`/`_s` start with a SimpleFileHeader (u64 LE magic
 *   0xfcfb6d1ba7725c30, version, key length, key hash, padding) and the
 *   cache key (`1/0/_dk_<site> <url>`); the code caches (`Code Cache/js`,
 *   `Code Cache/wasm`: V8's compiled scripts) are simple caches too, keyed
 *   "_key<url> \n<origin>" or by a script's SHA-256; `index` is the fake index (same magic,
 *   no key); `index-dir/the-real-index` is a pickle (payload size, CRC) holding
 *   magic 0x656e74657220796f and a version.
 * - Chromium's blockfile cache (Windows HTTP cache, GPU/shader caches
 *   everywhere): `index` (magic 0xc103cac3, version, a table of 4-byte
 *   addresses after a 368-byte header) and `data_N` block files (magic
 *   0xc104cac3, version, this file's number, the block size).
 * - Chromium session files `Sessions/Session_*`, `Tabs_*`, `Current Session`
 *   (SNSS): "SNSS", a version (1, 3: clear commands of u16 size + u8 id; 2, 4:
 *   encrypted commands; 5: commands of u32 size whose payload is OSCrypt
 *   ciphertext starting "v10"/"v11").
 * - Chromium's `Visited Links` (profile folder): "VLnk", version (2, 3), the
 *   table length, the used count and an 8-byte salt, then one u64 fingerprint
 *   (salted MD5 of a URL, 0 when free) per slot, filling the file.
 * - Firefox's startup caches (`startupCache/*`): a 16-byte ASCII magic with a
 *   version (startupcache0002, mozXDRcachev003, mozURLcachev003, mozJSSCLz40v001).
 * - Chromium resource packs (`resources.pak`, `chrome_100_percent.pak`, in
 *   Chrome, Electron apps and Android WebView): version 5 (u32 version,
 *   u32 encoding, u16 resource count, u16 alias count) or 4 (u32 version,
 *   u32 count, u8 encoding), then (id, offset) entries with a sentinel; the
 *   first resource starts right after the index, offsets never go back, the
 *   sentinel is the file's size. Mostly compressed resources: the statistics
 *   took them for ciphertext.
 *
 * libmagic knows none of these (it calls a blockfile `data_0` "FoxPro FPT").
 * The clear ones are opaque, with their format named: the browser's private
 * binary records, read only by cache and session readers written for them
 * (as prefetch files and jump lists are); the encrypted sessions are encrypted.
 * References: Chromium net/disk_cache/simple/simple_entry_format.h,
 * simple_index_file.cc, net/disk_cache/blockfile/disk_format.h and
 * disk_format_base.h, components/sessions/core/command_storage_backend.cc,
 * ui/base/resource/data_pack.cc, components/visitedlink/browser/visitedlink_writer.cc;
 * Firefox js/xpconnect/loader/ScriptPreloader.cpp, URLPreloader.cpp,
 * startupcache/StartupCache.cpp. Fixtures made by headless chromium and
 * firefox-esr (fixtures/browser-caches/generate.sh).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { ascii, hexOf, locked, plain, u16le, u32le } from './util.js';

const SIMPLE_MAGIC = '305c72a71b6dfbfc';
const SIMPLE_INDEX_MAGIC = '6f79207265746e65';
const SIMPLE_HEADER_BYTES = 24;
const BLOCKFILE_INDEX_MAGIC = 0xc103cac3;
const BLOCKFILE_BLOCK_MAGIC = 0xc104cac3;
const BLOCKFILE_VERSIONS = new Set([0x20000, 0x20001, 0x30000]);
/** Block sizes of data_N files: rankings (36), v3 entries (104) and evicted (48), 256 B, 1 KiB, 4 KiB. */
const BLOCK_SIZES = new Set([36, 48, 104, 256, 1024, 4096]);
const BLOCKFILE_INDEX_HEADER_BYTES = 368;
const STARTUP_CACHE_MAGIC = /^(startupcache\d{4}|mozXDRcachev\d{3}|mozURLcachev\d{3}|mozJSSCLz40v\d{3})\0?/;

const OSCRYPT_HINT: KeyHint = {
  description:
    'The OSCrypt key of the browser profile: on Windows the DPAPI-protected key in the profile\'s "Local State" (os_crypt.encrypted_key) and the user\'s Windows password; on macOS the keychain item "<Browser> Safe Storage"; on Linux "v11" uses the desktop keyring\'s "<Browser> Safe Storage" secret, while "v10" uses a password built into Chromium.',
  kind: 'keystore',
  present: 'unknown',
  lookFor: ['**/Local State'],
};

/** A cache key is printable ASCII (a URL with an optional `1/0/_dk_` prefix); a code cache key has one line feed. */
function printable(b: Uint8Array): boolean {
  return b.length > 0 && b.every((c) => (c >= 0x20 && c < 0x7f) || c === 0x0a);
}

/** V8's code cache keys (content/browser/code_cache/generated_code_cache.cc): "_key" + URL + " \n" + origin. */
const CODE_CACHE_KEY = /^_key(\S+) \n(\S*)$/;
/** Large scripts' code is kept once under the SHA-256 of their source, as 64 upper-case hex digits. */
const SOURCE_HASH_KEY = /^[0-9A-F]{64}$/;
/** Which code cache a path is in: `Code Cache/js` or `Code Cache/wasm` (Chromium, Electron apps, Android WebView). */
const CODE_CACHE_PATH = /(?:^|\/)Code Cache\/(js|wasm|webui_js)\//i;

function shortened(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

function simpleCacheEntry(version: number, keyLength: number, key: string, path: string): Detection {
  const codeCache = CODE_CACHE_KEY.exec(key);
  const place = CODE_CACHE_PATH.exec(path)?.[1]?.toLowerCase();
  if (codeCache || (place && SOURCE_HASH_KEY.test(key))) {
    const keyText = codeCache
      ? `"_key", the script's URL ${shortened(codeCache[1]!)} and the origin that ran it (${shortened(codeCache[2]!) || 'none'})`
      : "the SHA-256 of a large script's source (the compiled code kept once for every site that loads it)";
    return plain('opaque', {
      id: 'chromium-code-cache-entry',
      name: 'Chromium code cache entry (V8 compiled code)',
      confidence: 0.97,
      code: 'CHROMIUM_CODE_CACHE_ENTRY',
      message: `Chromium code cache entry${place ? ` in Code Cache/${place}` : ''}: a simple cache entry (magic 0xfcfb6d1ba7725c30, version ${version}) whose ${keyLength}-byte key is ${keyText}. The data is V8's compiled code for that script or WebAssembly module, read only by the V8 build that wrote it.`,
      figures: { version, keyLength, ...(place ? { cache: place } : {}) },
      details: codeCache ? { url: codeCache[1], origin: codeCache[2] } : { sourceHash: key },
    });
  }
  return plain('opaque', {
    id: 'chromium-simple-cache-entry',
    name: 'Chromium simple cache entry (HTTP cache)',
    confidence: 0.97,
    code: 'CHROMIUM_SIMPLE_CACHE_ENTRY',
    message: `Chromium simple cache entry: magic 0xfcfb6d1ba7725c30, entry version ${version}, a ${keyLength}-byte printable cache key (${shortened(key)}).`,
    figures: { version, keyLength },
    details: { key },
  });
}

function simpleCache(probe: { head: Uint8Array; size: number; name: string; path: string }): Detection | undefined {
  const h = probe.head;
  if (hexOf(h, 0, 8) === SIMPLE_MAGIC && h.length >= SIMPLE_HEADER_BYTES) {
    const version = u32le(h, 8) ?? 0;
    const keyLength = u32le(h, 12) ?? 0;
    if (version < 1 || version > 64) return undefined;
    if (keyLength === 0 && probe.size <= 32 && h.subarray(12, probe.size).every((c) => c === 0)) {
      return plain('opaque', {
        id: 'chromium-simple-cache-index',
        name: 'Chromium simple cache index',
        confidence: 0.9,
        code: 'CHROMIUM_SIMPLE_CACHE_FAKE_INDEX',
        message: `Chromium simple cache fake index: magic 0xfcfb6d1ba7725c30, version ${version}, no key (the entries are the <hash>_0 files beside it).`,
        figures: { version },
      });
    }
    const keyEnd = SIMPLE_HEADER_BYTES + keyLength;
    if (keyLength === 0 || keyEnd > probe.size || keyEnd > h.length) return undefined;
    const key = h.subarray(SIMPLE_HEADER_BYTES, keyEnd);
    if (!printable(key)) return undefined;
    return simpleCacheEntry(version, keyLength, ascii(key), probe.path);
  }
  // the-real-index: a pickle (u32 payload size, u32 CRC) whose payload starts with the index magic.
  if (hexOf(h, 8, 16) === SIMPLE_INDEX_MAGIC && h.length >= 20) {
    const payload = u32le(h, 0) ?? 0;
    const version = u32le(h, 16) ?? 0;
    if (payload + 8 !== probe.size || version < 1 || version > 64) return undefined;
    return plain('opaque', {
      id: 'chromium-simple-cache-index',
      name: 'Chromium simple cache index',
      confidence: 0.95,
      code: 'CHROMIUM_SIMPLE_CACHE_INDEX',
      message: `Chromium simple cache index: a ${payload}-byte pickle payload (the whole file after its 8-byte header) starting with magic 0x656e74657220796f, version ${version}.`,
      figures: { version, payloadBytes: payload },
    });
  }
  return undefined;
}

function blockfile(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  const magic = u32le(h, 0);
  const version = u32le(h, 4) ?? 0;
  if (!BLOCKFILE_VERSIONS.has(version)) return undefined;
  const versionText = `${version >>> 16}.${version & 0xffff}`;
  if (magic === BLOCKFILE_INDEX_MAGIC) {
    const tableLength = u32le(h, 0x1c) ?? 0;
    const table = tableLength === 0 ? 0x10000 : tableLength;
    // The table is a power of two of 4-byte cache addresses right after the header.
    if ((table & (table - 1)) !== 0 || probe.size < BLOCKFILE_INDEX_HEADER_BYTES + 4 * table) return undefined;
    return plain('opaque', {
      id: 'chromium-blockfile-cache',
      name: 'Chromium blockfile cache (index or block file)',
      confidence: 0.95,
      code: 'CHROMIUM_BLOCKFILE_INDEX',
      message: `Chromium blockfile cache index: magic 0xc103cac3, version ${versionText}, a table of ${table} addresses that fits the file (${probe.size} bytes).`,
      figures: { version: versionText, tableLength: table },
    });
  }
  if (magic === BLOCKFILE_BLOCK_MAGIC) {
    const thisFile = u16le(h, 8) ?? 0xffff;
    const blockSize = u32le(h, 12) ?? 0;
    const entries = u32le(h, 16) ?? 0;
    const maxEntries = u32le(h, 20) ?? 0;
    if (!BLOCK_SIZES.has(blockSize) || thisFile > 0x7fff || entries > maxEntries) return undefined;
    if (probe.size < 8192 + blockSize * maxEntries) return undefined;
    return plain('opaque', {
      id: 'chromium-blockfile-cache',
      name: 'Chromium blockfile cache (index or block file)',
      confidence: 0.95,
      code: 'CHROMIUM_BLOCKFILE_BLOCKS',
      message: `Chromium blockfile cache block file: magic 0xc104cac3, version ${versionText}, file number ${thisFile}, ${blockSize}-byte blocks, ${entries} of ${maxEntries} in use (an 8 KiB header and the blocks fit the file).`,
      figures: { version: versionText, fileNumber: thisFile, blockSize, entries, maxEntries },
    });
  }
  return undefined;
}

function session(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  if (ascii(h.subarray(0, 4)) !== 'SNSS' || h.length < 8) return undefined;
  const version = u32le(h, 4) ?? 0;
  const name = 'Chromium session file (SNSS)';
  if (probe.size === 8 && version >= 1 && version <= 5) {
    return plain('opaque', {
      id: 'chromium-session',
      name,
      confidence: 0.85,
      code: 'CHROMIUM_SNSS_EMPTY',
      message: `Chromium session file: "SNSS" and version ${version}, no commands yet.`,
      figures: { version },
    });
  }
  if (version === 1 || version === 3) {
    // A clear command: u16 size (id byte + payload), u8 command id; it must fit the file.
    const size = u16le(h, 8) ?? 0;
    if (size < 1 || 10 + size > probe.size) return undefined;
    return plain('opaque', {
      id: 'chromium-session',
      name,
      confidence: 0.93,
      code: 'CHROMIUM_SNSS_COMMANDS',
      message: `Chromium session file: "SNSS", version ${version} (clear commands), a first command of ${size} bytes (id ${h[10]}) that fits the file.`,
      figures: { version, firstCommandBytes: size, firstCommandId: h[10] ?? 0 },
    });
  }
  const encryptedName = 'Chromium session file (SNSS, encrypted commands)';
  if (version === 5) {
    // Commands of u32 size whose payload is OSCrypt output: "v1" and a digit, then at least one cipher block.
    const size = u32le(h, 8) ?? 0;
    const prefix = ascii(h.subarray(12, 15));
    if (size < 3 + 16 || 12 + size > probe.size || !/^v1\d$/.test(prefix)) return undefined;
    return locked({
      id: 'chromium-session-encrypted',
      name: encryptedName,
      confidence: 0.95,
      code: 'CHROMIUM_SNSS_OSCRYPT',
      message: `Chromium session file: "SNSS", version 5, a first command of ${size} bytes whose payload starts with the OSCrypt prefix "${prefix}" (the browser's profile key encrypts every command).`,
      figures: { version, firstCommandBytes: size, oscryptPrefix: prefix },
      scheme: `chromium-oscrypt-${prefix}`,
      keyHint: OSCRYPT_HINT,
    });
  }
  if (version === 2 || version === 4) {
    const size = u16le(h, 8) ?? 0;
    if (size < 1 || 10 + size > probe.size) return undefined;
    return locked({
      id: 'chromium-session-encrypted',
      name: encryptedName,
      confidence: 0.9,
      code: 'CHROMIUM_SNSS_ENCRYPTED_VERSION',
      message: `Chromium session file: "SNSS", version ${version} (Chromium's encrypted-commands versions), a first command of ${size} bytes that fits the file.`,
      figures: { version, firstCommandBytes: size },
      scheme: 'chromium-session-aead',
      keyHint: {
        description:
          "The session key Chromium keeps in the profile (Android: the app's key store); without it the commands do not decrypt.",
        kind: 'keystore',
        present: 'unknown',
      },
    });
  }
  return undefined;
}

function resourcePack(probe: { head: Uint8Array; tail: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  const version = u32le(h, 0);
  let count: number;
  let aliases = 0;
  let header: number;
  let encoding: number;
  if (version === 5) {
    encoding = u32le(h, 4) ?? 99;
    count = u16le(h, 8) ?? 0;
    aliases = u16le(h, 10) ?? 0;
    header = 12;
  } else if (version === 4) {
    count = u32le(h, 4) ?? 0;
    encoding = h[8] ?? 99;
    header = 9;
  } else return undefined;
  if (encoding > 2 || count === 0 || count > 0xffff) return undefined;
  // The index: count + 1 entries of (u16 id, u32 offset), then the aliases (u16 id, u16 index) in version 5.
  const dataStart = header + 6 * (count + 1) + 4 * aliases;
  if (u32le(h, header + 2) !== dataStart || dataStart > probe.size) return undefined;
  let previous = dataStart;
  const inHead = Math.min(count, Math.floor((h.length - header) / 6) - 1);
  for (let i = 1; i <= inHead; i++) {
    const offset = u32le(h, header + 6 * i + 2) ?? 0;
    if (offset < previous || offset > probe.size) return undefined;
    previous = offset;
  }
  // The sentinel's offset is the size of the file, when the probe holds it.
  if (inHead === count && u32le(h, header + 6 * count + 2) !== probe.size) return undefined;
  return plain('opaque', {
    id: 'chromium-resource-pack',
    name: 'Chromium resource pack (.pak)',
    confidence: 0.93,
    code: 'CHROMIUM_PAK_INDEX',
    message: `Chromium resource pack version ${version}: ${count} resources${aliases ? ` and ${aliases} aliases` : ''}, the first starting where the index ends (offset ${dataStart}) and the ${inHead} offsets read never going back${inHead === count ? ', the last at the end of the file' : ''}.`,
    figures: { version, resources: count, aliases, encoding },
  });
}

/** Chromium's `Visited Links`: "VLnk", version, table length, used count, an 8-byte salt, then u64 fingerprints. */
const VISITED_LINKS_HEADER = 24;

function visitedLinks(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  if (ascii(h.subarray(0, 4)) !== 'VLnk' || h.length < VISITED_LINKS_HEADER) return undefined;
  const version = u32le(h, 4)!;
  const length = u32le(h, 8)!;
  const used = u32le(h, 12)!;
  // The table of 8-byte fingerprints fills the file after the header; no more slots are used than exist.
  if (version < 1 || version > 8 || length === 0 || used > length) return undefined;
  if (VISITED_LINKS_HEADER + 8 * length !== probe.size) return undefined;
  return plain('opaque', {
    id: 'chromium-visited-links',
    name: 'Chromium visited links table',
    confidence: 0.95,
    code: 'CHROMIUM_VISITED_LINKS',
    message: `Chromium "Visited Links" table: "VLnk", version ${version}, ${used} of ${length} slots used, the 8-byte salted fingerprints filling the file after the 24-byte header (hashes of visited URLs: which links to colour, not the URLs).`,
    figures: { version, slots: length, used },
  });
}

function startupCache(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const m = STARTUP_CACHE_MAGIC.exec(ascii(probe.head.subarray(0, 16)));
  if (!m || probe.size < 24) return undefined;
  return plain('opaque', {
    id: 'firefox-startup-cache',
    name: 'Firefox startup cache',
    confidence: 0.9,
    code: 'FIREFOX_STARTUP_CACHE_MAGIC',
    message: `Firefox startup cache: the 16-byte magic "${m[1]}" (precompiled scripts and URLs of the browser's own code).`,
    figures: { magic: m[1]! },
  });
}

export const browserCachesDetector = defineDetector({
  meta: {
    id: 'browser-caches',
    version: '1.1.0',
    title: "Chromium's caches, session files and resource packs, Firefox's startup caches",
    formats: [
      {
        id: 'chromium-simple-cache-entry',
        name: 'Chromium simple cache entry (HTTP cache)',
        status: 'opaque',
        how: 'header-field',
      },
      {
        id: 'chromium-simple-cache-index',
        name: 'Chromium simple cache index',
        status: 'opaque',
        how: 'header-field',
      },
      {
        id: 'chromium-code-cache-entry',
        name: 'Chromium code cache entry (V8 compiled code)',
        status: 'opaque',
        how: 'header-field',
      },
      {
        id: 'chromium-blockfile-cache',
        name: 'Chromium blockfile cache (index or block file)',
        status: 'opaque',
        how: 'header-field',
      },
      { id: 'chromium-session', name: 'Chromium session file (SNSS)', status: 'opaque', how: 'header-field' },
      {
        id: 'chromium-session-encrypted',
        name: 'Chromium session file (SNSS, encrypted commands)',
        status: 'encrypted',
        how: 'header-field',
      },
      { id: 'firefox-startup-cache', name: 'Firefox startup cache', status: 'opaque', how: 'signature' },
      { id: 'chromium-visited-links', name: 'Chromium visited links table', status: 'opaque', how: 'header-field' },
      {
        id: 'chromium-resource-pack',
        name: 'Chromium resource pack (.pak)',
        status: 'opaque',
        how: 'structure',
        extensions: ['pak'],
      },
    ],
  },
  signatures: [
    { offset: 0, hex: SIMPLE_MAGIC },
    { offset: 8, hex: SIMPLE_INDEX_MAGIC },
    { offset: 0, hex: 'c3ca03c1' },
    { offset: 0, hex: 'c3ca04c1' },
    { offset: 0, ascii: 'SNSS' },
    { offset: 0, ascii: 'VLnk' },
    { offset: 0, ascii: 'startupcache' },
    { offset: 0, ascii: 'mozXDRcachev' },
    { offset: 0, ascii: 'mozURLcachev' },
    { offset: 0, ascii: 'mozJSSCLz40v' },
    { offset: 0, hex: '05000000' },
    { offset: 0, hex: '04000000' },
  ],
  minSize: 8,
  priority: 30,
  detect(probe): Detection | undefined {
    return (
      simpleCache(probe) ??
      blockfile(probe) ??
      session(probe) ??
      visitedLinks(probe) ??
      startupCache(probe) ??
      resourcePack(probe)
    );
  },
});
