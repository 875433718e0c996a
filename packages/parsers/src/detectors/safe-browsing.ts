/**
 * Chromium's Safe Browsing database (`<profile root>/Safe Browsing/` in Chrome,
 * Edge, Brave and Electron apps that enable it):
 *
 * - V4 stores (`UrlMalware.store`, `UrlSoceng.store`, `IpMalware.store`…): a
 *   V4StoreFileFormat protobuf whose first fields are the magic 0x600D71FE
 *   (field 1, varint: 08 fe e3 b5 80 06) and the format version (field 2).
 * - Since Chromium 11x the hash prefixes of each store sit in files beside it,
 *   named `<store>.store.<prefix size>_<microseconds since 1601>`
 *   (`UrlMalware.store.4_13343012345678901`): the prefixes of that size,
 *   concatenated in ascending order (the browser binary-searches them), with no
 *   header. SHA-256 prefixes are uniformly random bytes, so the statistics took
 *   these files for ciphertext; their order is the structure.
 * Opaque: the browser's own lists of hashed URLs, read by no general tool.
 * References: Chromium components/safe_browsing/core/browser/db/v4_store.cc
 * (kFileMagic, kFileVersion), v4_store.proto, hash_prefix_map.cc
 * (GenerateExtension, the prefixes written sorted and searched with
 * std::binary_search).
 */
import { defineDetector, type Detection, type Probe } from '@evtriage/core/contract';
import { hexOf, plain } from './util.js';

const STORE_MAGIC = '08fee3b58006';
/** `<name>.store.<prefix size>_<time>`, the time in microseconds since 1601 (17 digits today). */
const PREFIX_FILE = /\.store\.(\d{1,2})_(\d{15,18})$/;
const MIN_PREFIX = 4;
const MAX_PREFIX = 32;
/** Fewer prefixes than this say too little by their order. */
const MIN_PREFIXES = 16;

/** Whether the whole prefixes in `bytes` (starting at a prefix boundary) ascend strictly; how many were compared. */
function ascending(bytes: Uint8Array, size: number): number | undefined {
  const count = Math.floor(bytes.length / size);
  for (let i = 1; i < count; i++) {
    const a = (i - 1) * size;
    const b = i * size;
    let order = 0;
    for (let k = 0; k < size && order === 0; k++) order = bytes[a + k]! - bytes[b + k]!;
    if (order >= 0) return undefined;
  }
  return count;
}

function prefixFile(probe: Probe): Detection | undefined {
  const m = PREFIX_FILE.exec(probe.name);
  if (!m) return undefined;
  const size = Number(m[1]);
  if (size < MIN_PREFIX || size > MAX_PREFIX || probe.size % size !== 0 || probe.size / size < MIN_PREFIXES)
    return undefined;
  const head = probe.head.subarray(0, Math.min(probe.head.length, probe.size));
  const inHead = ascending(head, size);
  if (inHead === undefined || inHead < Math.min(MIN_PREFIXES, probe.size / size)) return undefined;
  // The tail ends at the end of the file: start it at a prefix boundary.
  let inTail = 0;
  if (probe.tail.length > 0) {
    const skip = (probe.size - probe.tail.length) % size ? size - ((probe.size - probe.tail.length) % size) : 0;
    const t = ascending(probe.tail.subarray(skip), size);
    if (t === undefined) return undefined;
    inTail = t;
  }
  const prefixes = probe.size / size;
  return plain('opaque', {
    id: 'chromium-safe-browsing-prefixes',
    name: 'Chromium Safe Browsing hash prefixes',
    confidence: 0.93,
    code: 'SAFE_BROWSING_PREFIXES_SORTED',
    message: `Chromium Safe Browsing hash prefix file: named "<store>.store.${size}_<time>", ${prefixes} ${size}-byte prefixes that fill the file exactly, and the ${inHead + inTail} read ascend strictly, as the browser writes them for its binary search. Hashes of listed URLs: random-looking bytes, not ciphertext.`,
    figures: { prefixSize: size, prefixes, checked: inHead + inTail },
  });
}

function v4Store(probe: Probe): Detection | undefined {
  const h = probe.head;
  if (hexOf(h, 0, 6) !== STORE_MAGIC || h[6] !== 0x10) return undefined;
  const version = h[7] ?? 0;
  if (version === 0 || version > 0x7f) return undefined;
  return plain('opaque', {
    id: 'chromium-safe-browsing-store',
    name: 'Chromium Safe Browsing V4 store',
    confidence: 0.93,
    code: 'SAFE_BROWSING_V4_STORE',
    message: `Chromium Safe Browsing V4 store: a protobuf whose first field is the store magic 0x600D71FE and whose second is format version ${version}.`,
    figures: { version },
  });
}

export const safeBrowsingDetector = defineDetector({
  meta: {
    id: 'safe-browsing',
    version: '1.0.0',
    title: "Chromium's Safe Browsing stores and hash prefix files",
    formats: [
      {
        id: 'chromium-safe-browsing-store',
        name: 'Chromium Safe Browsing V4 store',
        status: 'opaque',
        how: 'signature',
      },
      {
        id: 'chromium-safe-browsing-prefixes',
        name: 'Chromium Safe Browsing hash prefixes',
        status: 'opaque',
        how: 'structure',
      },
    ],
  },
  minSize: 8,
  priority: 30,
  detect: (probe) => v4Store(probe) ?? prefixFile(probe),
});
