/**
 * V8 startup snapshots: `snapshot_blob.bin` and `v8_context_snapshot.bin` sit
 * beside every Chromium and Electron executable (Chrome, Edge, Slack, Teams,
 * VS Code, Discord… in Program Files or an app bundle) and inside Node
 * single-executable apps. The blob starts with the number of contexts, a
 * rehashability flag and one checksum (V8 up to 11.x: the version at offset 12)
 * or two (later: at 16), then V8's version as a NUL-padded 64-byte string
 * ("15.6.75.63", "11.3.244.8-node.38", "12.4.254.21-electron.0"), then the
 * offsets of the read-only, shared and context snapshots, ascending. Builds with
 * snapshot compression (Android, some Electron builds) zlib-compress the
 * payloads, which then look like ciphertext to the statistics; the header stays
 * in clear. Opaque: heap images only the V8 build that wrote them can load.
 *
 * Also V8's value serialization as Chromium writes it to disk: IndexedDB values
 * too large for LevelDB go to `<origin>.indexeddb.blob/<db>/<xx>/<n>` as Blink's
 * SerializedScriptValue: 0xFF and Blink's wire version (16 to 31; from 21 a
 * trailer-offset tag 0xFE with 12 bytes), then 0xFF and V8's serializer
 * version (13 to 15), then the value's first tag ('o' object, 'A'/'a' arrays,
 * strings, numbers, Map, Set…); an object's first key is a string or integer
 * tag. Opaque: structured-clone data that only V8 (or a forensic reader such as
 * dfindexeddb) decodes.
 * References: V8 src/snapshot/snapshot.cc (SnapshotImpl: kNumberOfContextsOffset,
 * kRehashabilityOffset, kChecksumOffset, kVersionStringOffset and its 64-byte
 * length, kReadOnlySnapshotOffsetOffset and the context offsets after it);
 * V8 src/objects/value-serializer.cc (SerializationTag, kLatestVersion); Blink
 * serialized_script_value.h and v8_script_value_serializer.cc (the envelope).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u32le } from './util.js';

/** Where the version string starts: after one checksum (V8 ≤ 11) or two (V8 12 on). */
const VERSION_OFFSETS = [16, 12];
const VERSION_BYTES = 64;
const MAX_CONTEXTS = 64;
/** "major.minor.build[.patch]" and an embedder's suffix (Electron, Node), as V8's version string is. */
const VERSION = /^\d{1,2}\.\d{1,2}\.\d{1,4}(?:\.\d{1,4})?(?:-[\w.+-]{1,40})?$/;

/** The version string when `at` holds one: printable, matching V8's form, NUL-padded to 64 bytes. */
function versionAt(h: Uint8Array, at: number): string | undefined {
  const field = h.subarray(at, at + VERSION_BYTES);
  const end = field.indexOf(0);
  if (field.length < VERSION_BYTES || end <= 0 || !field.subarray(end).every((b) => b === 0)) return undefined;
  const version = ascii(field.subarray(0, end));
  return VERSION.test(version) ? version : undefined;
}

export function readV8Snapshot(probe: { head: Uint8Array; size: number }): Detection | undefined {
  const h = probe.head;
  const contexts = u32le(h, 0) ?? 0;
  const rehashable = u32le(h, 4);
  if (contexts === 0 || contexts > MAX_CONTEXTS || (rehashable !== 0 && rehashable !== 1)) return undefined;
  let version: string | undefined;
  let offsetsAt = 0;
  for (const at of VERSION_OFFSETS) {
    version = versionAt(h, at);
    offsetsAt = at + VERSION_BYTES;
    if (version) break;
  }
  if (!version) return undefined;
  // The read-only and shared snapshots, then one per context; the first data starts after this table.
  const offsets = contexts + 2;
  const dataStart = offsetsAt + 4 * offsets;
  if (h.length < dataStart) return undefined;
  let previous = dataStart;
  for (let i = 0; i < offsets; i++) {
    const at = u32le(h, offsetsAt + 4 * i)!;
    if (at < previous) return undefined;
    previous = at;
  }
  const fits = previous < probe.size;
  return plain('opaque', {
    id: 'v8-startup-snapshot',
    name: 'V8 startup snapshot',
    confidence: 0.93,
    code: 'V8_SNAPSHOT_HEADER',
    message: `V8 startup snapshot of V8 ${version}: ${contexts} context snapshot(s), the version string NUL-padded to 64 bytes, and ${offsets} payload offsets ascending from the end of the header${fits ? ' within the file' : ', the last past the end of the file (cut short)'}. A heap image only that V8 build loads; compressed payloads are not ciphertext.`,
    figures: { v8Version: version, contexts, truncated: !fits },
  });
}

/** V8 SerializationTag values a serialized value may start with (value-serializer.cc). */
const VALUE_TAGS = new Set(
  ['o', 'A', 'a', '"', 'c', 'S', 'I', 'U', 'N', 'T', 'F', '_', '0', 'D', 'B', 'R', 'Z', ';', "'", '\\'].map((c) =>
    c.charCodeAt(0),
  ),
);
/** Tags an object's first key may have: a one- or two-byte string, an int32 or uint32, or the object's end. */
const KEY_TAGS = new Set(['"', 'c', 'I', 'U', '{'].map((c) => c.charCodeAt(0)));

export function readV8Serialized(probe: { head: Uint8Array }): Detection | undefined {
  const h = probe.head;
  const blink = h[1] ?? 0;
  if (h[0] !== 0xff || blink < 16 || blink > 31) return undefined;
  // From Blink version 21 an optional trailer-offset tag (0xFE, u64 offset, u32 size) comes first.
  let at = 2;
  if (h[at] === 0xfe) at += 13;
  const v8 = h[at + 1] ?? 0;
  if (h[at] !== 0xff || v8 < 13 || v8 > 15) return undefined;
  const tag = h[at + 2] ?? 0;
  if (!VALUE_TAGS.has(tag)) return undefined;
  if (tag === 0x6f && !KEY_TAGS.has(h[at + 3] ?? 0)) return undefined;
  return plain('opaque', {
    id: 'v8-serialized',
    name: 'V8 serialized value (Blink structured clone)',
    confidence: 0.9,
    code: 'V8_SERIALIZED_VALUE',
    message: `Blink serialized script value: 0xFF and wire version ${blink}${at > 2 ? ', a trailer-offset tag' : ''}, then V8's serializer header (0xFF, version ${v8}) and a value starting with tag '${String.fromCharCode(tag)}': an IndexedDB value written to a file, decoded by V8 or IndexedDB readers, not by general tools.`,
    figures: { blinkVersion: blink, v8Version: v8 },
  });
}

export const v8SnapshotDetector = defineDetector({
  meta: {
    id: 'v8-snapshot',
    version: '1.0.0',
    title:
      "V8 startup snapshots (Chromium's and Electron apps' snapshot_blob.bin, v8_context_snapshot.bin) and serialized values",
    formats: [
      { id: 'v8-startup-snapshot', name: 'V8 startup snapshot', status: 'opaque', how: 'header-field' },
      {
        id: 'v8-serialized',
        name: 'V8 serialized value (Blink structured clone)',
        status: 'opaque',
        how: 'header-field',
      },
    ],
  },
  minSize: 6,
  priority: 40,
  detect: (probe) => readV8Serialized(probe) ?? readV8Snapshot(probe),
});
